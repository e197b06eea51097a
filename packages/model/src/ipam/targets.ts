// The CNI settings that steer the warm pool, resolved to numbers the way IPAMD reads its env, and the
// WARM_IP_TARGET / MINIMUM_IP_TARGET arithmetic (ipamd.go datastoreTargetState).
import { IPS_PER_PREFIX } from "../capacity.ts";
import type { PoolStats } from "./pool.ts";

/** What the warm pool needs of the CNI settings; CniConfig and the simulator's settings both fit. */
export interface WarmPoolSettings {
  prefixDelegation: boolean;
  /** WARM_ENI_TARGET; null means unset (the CNI's default is 1). */
  warmEniTarget: number | null;
  warmIpTarget: number | null;
  minimumIpTarget: number | null;
  warmPrefixTarget: number | null;
  /** MAX_ENI: lowers the instance type's ENI count. */
  maxEni: number | null;
  /** AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: the primary ENI gets no pod IPs. */
  customNetworking: boolean;
  ipCooldownSeconds: number;
  /** ENABLE_POD_ENI: one ENI slot is kept for the trunk ENI until it exists. */
  podEni?: boolean;
  /** AWS_MANAGE_ENIS_NON_SCHEDULABLE: attach/detach even on a cordoned node. */
  manageEnisOnCordonedNode?: boolean;
}

export interface ResolvedTargets {
  warmEni: number;
  warmIp: number;
  minimumIp: number;
  /** WARM_IP_TARGET or MINIMUM_IP_TARGET set (non-zero): they override the ENI and prefix targets. */
  ipTargets: boolean;
  warmPrefix: number;
  /** WARM_PREFIX_TARGET set (non-zero) with prefix delegation on. */
  prefixTarget: boolean;
}

function setting(name: string, value: number | null, fallback: number): number {
  if (value === null) return fallback;
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a whole number >= 0, got ${value}`);
  }
  return value;
}

export function resolveTargets(settings: WarmPoolSettings): ResolvedTargets {
  const warmIp = setting("WARM_IP_TARGET", settings.warmIpTarget, 0);
  const minimumIp = setting("MINIMUM_IP_TARGET", settings.minimumIpTarget, 0);
  const warmPrefix = setting("WARM_PREFIX_TARGET", settings.warmPrefixTarget, 0);
  return {
    warmEni: setting("WARM_ENI_TARGET", settings.warmEniTarget, 1),
    warmIp,
    minimumIp,
    ipTargets: warmIp > 0 || minimumIp > 0,
    warmPrefix,
    prefixTarget: settings.prefixDelegation && warmPrefix > 0,
  };
}

export interface ShortOver {
  /** IPs (or, with prefix delegation, prefixes) missing to meet the targets. */
  short: number;
  /** IPs (or prefixes) beyond the targets that may be released. */
  over: number;
}

function divCeil(x: number, y: number): number {
  return Math.ceil(x / y);
}

/** short = max(WARM_IP - available, MIN_IP - total, 0); over = max(min(available - WARM_IP, total - MIN_IP), 0). */
export function ipTargetShortOver(
  stats: PoolStats,
  t: ResolvedTargets,
  prefixDelegation: boolean,
): ShortOver {
  const short = Math.max(t.warmIp - stats.available, t.minimumIp - stats.total, 0);
  const over = Math.max(Math.min(Math.max(stats.available - t.warmIp, 0), stats.total - t.minimumIp), 0);
  if (!prefixDelegation) return { short, over };
  // Prefixes come in 16s: keep the prefixes the pods plus WARM_IP_TARGET need, and MINIMUM_IP_TARGET rounded up.
  const neededForWarm = divCeil(stats.assigned + t.warmIp, IPS_PER_PREFIX);
  const neededForMinimum = divCeil(t.minimumIp, IPS_PER_PREFIX);
  let overPrefixes = Math.max(Math.min(stats.freePrefixes, stats.prefixes - neededForWarm), 0);
  overPrefixes = Math.max(Math.min(overPrefixes, stats.prefixes - neededForMinimum), 0);
  return { short: divCeil(short, IPS_PER_PREFIX), over: overPrefixes };
}
