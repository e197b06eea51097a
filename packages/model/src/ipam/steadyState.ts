// Where IPAMD's warm pool settles for a node holding P pod IPs: pods arrive one by one and EC2 answers at
// once, as in a slow scale-up. This is the domain page's section 3 table for any instance type and setting.
import { applyWarmPoolAction, syntheticAllocator } from "./applyAction.ts";
import { freeAddressInCidr } from "./podAddress.ts";
import { cidrSize, modeCidrs, type NodePool } from "./pool.ts";
import { settleOneByOne } from "./settle.ts";
import type { WarmPoolSettings } from "./targets.ts";
import { decideWarmPoolAction, type WarmPoolLimits } from "./warmPool.ts";

export interface SteadyState {
  enis: number;
  /** Pool IPs: secondary IPs, or 16 per prefix. */
  ips: number;
  prefixes: number;
  /** Pods that got an IP; the rest would wait in ContainerCreating. */
  podsWithIp: number;
  /** Free pool IPs left. */
  warm: number;
  /** Secondary IPs (or prefixes) per ENI, by device index. */
  perEni: number[];
}

// The steady state needs no real time: far enough past start that no ENI is young and no IP cooling.
const START = 0;

export function steadyState(settings: WarmPoolSettings, limits: WarmPoolLimits, pods: number): SteadyState {
  if (!Number.isInteger(pods) || pods < 0)
    throw new RangeError(`pods must be a whole number >= 0, got ${pods}`);
  const pool: NodePool = {
    enis: [
      {
        id: "eni-primary",
        deviceIndex: 0,
        primary: true,
        trunk: false,
        efa: false,
        noManage: false,
        addedAt: START,
        cidrs: [],
      },
    ],
    lastDecreaseAt: null,
    lastInsufficientCidrAt: null,
  };
  const allocate = syntheticAllocator();
  const pd = settings.prefixDelegation;
  const grow = (): boolean => {
    const { action } = decideWarmPoolAction({ pool, settings, limits, now: START });
    if (action.kind !== "assign" && action.kind !== "create-eni") return false;
    applyWarmPoolAction(pool, action, START, allocate);
    return true;
  };
  const place = (pod: number): boolean => {
    for (const eni of pool.enis) {
      for (const cidr of modeCidrs(eni, pd)) {
        const ip = freeAddressInCidr(cidr, START, 0);
        if (ip === null) continue;
        const known = cidr.addresses.find((a) => a.ip === ip);
        if (known) known.pod = `p${pod}`;
        else cidr.addresses.push({ ip, pod: `p${pod}`, releasedAt: null });
        return true;
      }
    }
    return false;
  };
  const podsWithIp = settleOneByOne(
    Array.from({ length: pods }, (_, p) => p),
    { grow, assign: (p) => (place(p) ? "placed" : null) },
  ).size;
  const cidrsOf = pool.enis.map((eni) => modeCidrs(eni, pd));
  const ips = cidrsOf.flat().reduce((n, c) => n + cidrSize(c), 0);
  return {
    enis: pool.enis.length,
    ips,
    prefixes: pd ? cidrsOf.flat().length : 0,
    podsWithIp,
    warm: ips - podsWithIp,
    perEni: cidrsOf.map((c) => c.length),
  };
}
