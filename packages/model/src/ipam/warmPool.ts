// IPAMD's warm-pool loop (ipamd.go updateIPPoolIfRequired) as a pure function: from one node's pool,
// the CNI settings, the instance limits and the time, the one thing IPAMD does next and why.
//
// Order per cycle, as in the CNI: if the pool is too low, grow it (fill an existing ENI, else attach a new
// one); else if it is too high, release IPs/prefixes (at most every 30 s); then maybe free one ENI. The CNI
// can release IPs and free an ENI in the same 5 s loop; here that ENI goes one cycle later.
import { IPS_PER_PREFIX } from "../capacity.ts";
import { emptyEniExists, reasonToKeepEni } from "./freeEni.ts";
import {
  assignedInCidr,
  managedEnis,
  modeCidrs,
  type NodePool,
  type PoolEni,
  type PoolStats,
  poolStats,
} from "./pool.ts";
import { ipTargetShortOver, type ResolvedTargets, resolveTargets, type WarmPoolSettings } from "./targets.ts";

/** decreaseIPPoolInterval in ipamd.go. */
export const DECREASE_INTERVAL_MS = 30_000;
/** insufficientCidrErrorCooldown in ipamd.go: no growth for this long after the subnet ran dry. */
export const INSUFFICIENT_CIDR_PAUSE_MS = 120_000;

export interface WarmPoolLimits {
  /** ENIs on the default network card of the instance type. */
  maxEnis: number;
  /** IPv4 addresses per ENI, the ENI's own primary address included. */
  ipv4PerEni: number;
  /** node.status.capacity.pods: IPAMD stops growing once the pool holds this many IPs. */
  maxPods: number;
}

export interface WarmPoolInput {
  pool: NodePool;
  settings: WarmPoolSettings;
  limits: WarmPoolLimits;
  /** ms since the epoch. */
  now: number;
  /** Node unschedulable: IPAMD then attaches and detaches nothing. */
  cordoned?: boolean;
  /** The order IPAMD walks its ENIs and each ENI's CIDRs in: Go map order, random. A simulator passes a
   * seeded shuffle; without it the newest ENIs and their CIDRs in order come first, the tightest packing. */
  mapOrder?: <T>(items: readonly T[]) => T[];
}

/** "ip": secondary IPs (AssignPrivateIpAddresses count); "prefix": /28 prefixes (Ipv4PrefixCount). */
export type PoolUnit = "ip" | "prefix";

export type WarmPoolAction =
  | { kind: "none" }
  | { kind: "assign"; eniId: string; count: number; unit: PoolUnit }
  | { kind: "create-eni"; deviceIndex: number; count: number; unit: PoolUnit }
  | { kind: "release"; unit: PoolUnit; cidrs: { eniId: string; cidr: string }[] }
  | { kind: "free-eni"; eniId: string };

export interface WarmPoolDecision {
  action: WarmPoolAction;
  /** One sentence a user can read: the rule that fired and what it leads to. */
  reason: string;
  stats: PoolStats;
}

interface Context {
  input: WarmPoolInput;
  t: ResolvedTargets;
  pd: boolean;
  unit: PoolUnit;
  /** IPs, or prefixes, one ENI holds (IPv4 per ENI - 1). */
  perEni: number;
  maxEni: number;
  enis: PoolEni[];
  stats: PoolStats;
  cooldownMs: number;
}

function validate(input: WarmPoolInput): void {
  const { maxEnis, ipv4PerEni, maxPods } = input.limits;
  if (!Number.isInteger(maxEnis) || maxEnis < 1) throw new RangeError(`maxEnis must be >= 1, got ${maxEnis}`);
  if (!Number.isInteger(ipv4PerEni) || ipv4PerEni < 2) {
    throw new RangeError(`ipv4PerEni must be >= 2, got ${ipv4PerEni}`);
  }
  if (!Number.isInteger(maxPods) || maxPods < 0) throw new RangeError(`maxPods must be >= 0, got ${maxPods}`);
  if (!Number.isFinite(input.now)) throw new RangeError(`now must be a time in ms, got ${input.now}`);
  const cooldown = input.settings.ipCooldownSeconds;
  if (!Number.isFinite(cooldown) || cooldown < 0) {
    throw new RangeError(`IP_COOLDOWN_PERIOD must be >= 0 seconds, got ${cooldown}`);
  }
}

function plural(n: number, unit: PoolUnit): string {
  return `${n} ${unit === "ip" ? "IP" : "prefix"}${n === 1 ? "" : unit === "ip" ? "s" : "es"}`;
}

/** The ENIs IPAMD may attach: the instance type's, or fewer when MAX_ENI is set (0 or unset: no cap). */
export function enisAllowed(settings: { maxEni: number | null }, typeMaxEnis: number): number {
  return settings.maxEni !== null && settings.maxEni > 0
    ? Math.min(typeMaxEnis, settings.maxEni)
    : typeMaxEnis;
}

export function decideWarmPoolAction(input: WarmPoolInput): WarmPoolDecision {
  validate(input);
  const { settings, limits, pool, now } = input;
  const pd = settings.prefixDelegation;
  const cooldownMs = settings.ipCooldownSeconds * 1000;
  const enis = managedEnis(pool).sort((a, b) => a.deviceIndex - b.deviceIndex);
  const maxEni = enisAllowed(settings, limits.maxEnis);
  const c: Context = {
    input,
    t: resolveTargets(settings),
    pd,
    unit: pd ? "prefix" : "ip",
    perEni: limits.ipv4PerEni - 1,
    maxEni,
    enis,
    stats: poolStats(pool, pd, now, cooldownMs),
    cooldownMs,
  };
  const decide = (action: WarmPoolAction, reason: string): WarmPoolDecision => ({
    action,
    reason,
    stats: c.stats,
  });

  const low = lowReason(c);
  let waiting: string | null = null;
  if (low !== null) {
    const grown = grow(c, low);
    if (grown.action.kind !== "none") return decide(grown.action, grown.reason);
    waiting = grown.reason;
  } else {
    const high = release(c);
    if (high !== null) return decide(high.action, high.reason);
  }
  const freed = freeEni(c);
  if (freed !== null) return decide(freed.action, freed.reason);
  return decide({ kind: "none" }, waiting ?? steadyReason(c));
}

interface Step {
  action: WarmPoolAction;
  reason: string;
}

/** isDatastorePoolTooLow: why the pool must grow, or null. */
function lowReason(c: Context): string | null {
  const { stats, t, pd } = c;
  if (stats.total >= c.input.limits.maxPods) return null;
  if (t.ipTargets) {
    const { short } = ipTargetShortOver(stats, t, pd);
    if (short === 0) return null;
    return `${targetsText(t)}: short of ${plural(short, c.unit)} (available ${stats.available}, total ${stats.total})`;
  }
  const warmTarget = pd ? t.warmPrefix : t.warmEni;
  const unitIps = pd ? IPS_PER_PREFIX : c.perEni;
  const name = pd ? "WARM_PREFIX_TARGET" : "WARM_ENI_TARGET";
  if (stats.available < unitIps * warmTarget) {
    return `available ${stats.available} < ${name} ${warmTarget} x ${unitIps} IPs`;
  }
  if (warmTarget === 0 && stats.available === 0) return `${name} 0 and no IP available`;
  return null;
}

function targetsText(t: ResolvedTargets): string {
  const parts: string[] = [];
  if (t.warmIp > 0) parts.push(`WARM_IP_TARGET ${t.warmIp}`);
  if (t.minimumIp > 0) parts.push(`MINIMUM_IP_TARGET ${t.minimumIp}`);
  return parts.join(", ");
}

function mayAttach(c: Context): boolean {
  return !c.input.cordoned || c.input.settings.manageEnisOnCordonedNode === true;
}

/** How many IPs/prefixes to ask for: a full ENI's worth, or what the targets miss (getPrefixesNeeded). */
function wanted(c: Context): number {
  const { t, stats } = c;
  const { short } = ipTargetShortOver(stats, t, c.pd);
  if (!c.pd) return t.ipTargets ? short : c.perEni;
  if (t.ipTargets) return Math.max(1, short);
  if (t.prefixTarget) return Math.max(1, t.warmPrefix - stats.freePrefixes);
  return 1;
}

function grow(c: Context, why: string): Step {
  const none = (reason: string): Step => ({ action: { kind: "none" }, reason });
  const { input, enis } = c;
  if (!mayAttach(c)) return none(`${why}, but the node is cordoned: IPAMD attaches no IPs or ENIs`);
  const last = input.pool.lastInsufficientCidrAt;
  if (last !== null && input.now - last < INSUFFICIENT_CIDR_PAUSE_MS) {
    const left = Math.ceil((INSUFFICIENT_CIDR_PAUSE_MS - (input.now - last)) / 1000);
    return none(`${why}, but the subnet ran out of addresses: growth paused for ${left} s more`);
  }
  const count = wanted(c);
  const skipPrimary = input.settings.customNetworking;
  const room = enis.find(
    (eni) => !eni.trunk && !eni.efa && !(skipPrimary && eni.primary) && eni.cidrs.length < c.perEni,
  );
  if (room !== undefined) {
    const n = Math.min(c.perEni - room.cidrs.length, count);
    return {
      action: { kind: "assign", eniId: room.id, count: n, unit: c.unit },
      reason: `${why}: assigning ${plural(n, c.unit)} to ${room.id} (device ${room.deviceIndex})`,
    };
  }
  const unmanaged = input.pool.enis.length - enis.length;
  const trunkSlot = input.settings.podEni && !enis.some((eni) => eni.trunk) ? 1 : 0;
  const allowed = c.maxEni - unmanaged - trunkSlot;
  if (enis.length >= allowed) {
    return none(`${why}, but all ${enis.length} ENIs the node may use are full`);
  }
  const n = Math.min(count, c.perEni);
  const used = new Set(input.pool.enis.map((eni) => eni.deviceIndex));
  let deviceIndex = 1;
  while (used.has(deviceIndex)) deviceIndex++;
  return {
    action: { kind: "create-eni", deviceIndex, count: n, unit: c.unit },
    reason: `${why} and every ENI is full: attaching a new ENI at device ${deviceIndex} with ${plural(n, c.unit)}`,
  };
}

/** isDatastorePoolTooHigh + tryUnassignCidrsFromAll: only warm-IP targets or WARM_PREFIX_TARGET ever release. */
function release(c: Context): Step | null {
  const { t, stats, input } = c;
  let over = 0;
  let why = "";
  if (t.ipTargets) {
    over = ipTargetShortOver(stats, t, c.pd).over;
    why = `${targetsText(t)}: ${plural(over, c.unit)} over target (available ${stats.available}, total ${stats.total})`;
  } else if (t.prefixTarget) {
    over = Math.max(stats.freePrefixes - t.warmPrefix, 0);
    why = `${stats.freePrefixes} free prefixes > WARM_PREFIX_TARGET ${t.warmPrefix}`;
  }
  if (over === 0) return null;
  const last = input.pool.lastDecreaseAt;
  if (last !== null && input.now - last <= DECREASE_INTERVAL_MS) return null;
  const cidrs: { eniId: string; cidr: string }[] = [];
  // tryUnassignCidrsFromAll walks the ENIs and their free CIDRs in map order.
  const order = input.mapOrder;
  for (const eni of order ? order(c.enis) : [...c.enis].reverse()) {
    const mode = modeCidrs(eni, c.pd);
    for (const cidr of order ? order(mode) : mode) {
      if (cidrs.length === over) break;
      if (assignedInCidr(cidr) === 0) cidrs.push({ eniId: eni.id, cidr: cidr.cidr });
    }
  }
  if (cidrs.length === 0) return null;
  return {
    action: { kind: "release", unit: c.unit, cidrs },
    reason: `${why}: releasing ${plural(cidrs.length, c.unit)}`,
  };
}

/** shouldRemoveExtraENIs + getDeletableENI: at most one ENI per cycle. */
function freeEni(c: Context): Step | null {
  const { t, stats, pd } = c;
  const warmTarget = pd ? t.warmPrefix : t.warmEni;
  // shouldRemoveExtraENIs multiplies by maxIPsPerENI: a whole ENI's addresses, 16 per prefix slot under
  // prefix delegation (a t3.medium's 80), not one prefix's 16.
  const unitIps = pd ? c.perEni * IPS_PER_PREFIX : c.perEni;
  const high = stats.available >= (warmTarget + 1) * unitIps;
  const worth = t.ipTargets || high || (pd && emptyEniExists(c.enis));
  if (!worth || !mayAttach(c)) return null;
  // getDeletableENI walks a Go map: which deletable ENI goes is arbitrary (newest first without mapOrder).
  const order = c.input.mapOrder;
  for (const eni of order ? order(c.enis) : [...c.enis].reverse()) {
    if (reasonToKeepEni(c.enis, eni, t, pd, c.input.now, c.cooldownMs) !== null) continue;
    const rule = t.ipTargets
      ? `${targetsText(t)} met without it`
      : high
        ? `available ${stats.available} >= (${pd ? "WARM_PREFIX_TARGET" : "WARM_ENI_TARGET"} ${warmTarget} + 1) x ${unitIps} IPs`
        : `WARM_PREFIX_TARGET ${warmTarget} met without it (an ENI without pods is looked for under prefix delegation)`;
    return {
      action: { kind: "free-eni", eniId: eni.id },
      reason: `${rule}: freeing ${eni.id} (device ${eni.deviceIndex}, no pods, no IP cooling down)`,
    };
  }
  return null;
}

function steadyReason(c: Context): string {
  const { stats, input } = c;
  if (stats.total >= input.limits.maxPods) {
    return `pool holds ${stats.total} IPs >= max pods ${input.limits.maxPods}: no growth`;
  }
  return `pool at target: ${stats.available} of ${stats.total} IPs available (${stats.cooling} cooling down)`;
}
