// One node's IP pool as IPAMD's datastore holds it (aws/amazon-vpc-cni-k8s pkg/ipamd/datastore): ENIs,
// each with CIDRs (a /32 secondary IP, or a /28 delegated prefix), each with the addresses pods hold or
// recently held. Plain data, so the simulator can keep it as its state and the model can reason on it.
import { IPS_PER_PREFIX } from "../capacity.ts";

export interface PoolAddress {
  ip: string;
  /** "namespace/name" of the pod holding it; null when free. */
  pod: string | null;
  /** When the pod let it go (CNI DEL), ms since the epoch; it cools down from then. null if never held. */
  releasedAt: number | null;
}

export interface PoolCidr {
  /** "192.168.1.23/32" for a secondary IP, "192.168.1.32/28" for a delegated prefix. */
  cidr: string;
  prefix: boolean;
  /** Addresses handed out at least once. A /32 has at most its one address; a /28 up to 16. */
  addresses: PoolAddress[];
}

export interface PoolEni {
  id: string;
  deviceIndex: number;
  /** Device index 0: the node's own ENI, never freed. */
  primary: boolean;
  /** Trunk ENI of security groups for pods: never gets pool IPs, never freed. */
  trunk: boolean;
  efa: boolean;
  /** Tagged node.k8s.amazonaws.com/no_manage=true: not in the pool and subtracted from max ENIs. */
  noManage: boolean;
  /** When IPAMD added it to its datastore, ms since the epoch: ENIs younger than a minute are kept. */
  addedAt: number;
  cidrs: PoolCidr[];
}

export interface NodePool {
  enis: PoolEni[];
  /** Last time IPAMD released IPs or prefixes (decreases are at least 30 s apart); null if never. */
  lastDecreaseAt: number | null;
  /** Last InsufficientCidrBlocks / InsufficientFreeAddressesInSubnet error; growth pauses 120 s after it. */
  lastInsufficientCidrAt: number | null;
}

export function cidrSize(cidr: PoolCidr): number {
  return cidr.prefix ? IPS_PER_PREFIX : 1;
}

export function assignedInCidr(cidr: PoolCidr): number {
  let count = 0;
  for (const address of cidr.addresses) if (address.pod !== null) count++;
  return count;
}

/** The datastore keeps a freed address out of reach for IP_COOLDOWN_PERIOD (its check is `<=`). */
export function isCooling(address: PoolAddress, now: number, cooldownMs: number): boolean {
  return address.pod === null && address.releasedAt !== null && now - address.releasedAt <= cooldownMs;
}

/** ENIs IPAMD manages: everything but no_manage ones. */
export function managedEnis(pool: NodePool): PoolEni[] {
  return pool.enis.filter((eni) => !eni.noManage);
}

/** CIDRs of the current mode: after a PD toggle an ENI may still hold the other kind, which IPAMD skips. */
export function modeCidrs(eni: PoolEni, prefixDelegation: boolean): PoolCidr[] {
  return eni.cidrs.filter((cidr) => cidr.prefix === prefixDelegation);
}

export interface PoolStats {
  enis: number;
  /** Pool IPs: secondary IPs, or 16 per prefix. */
  total: number;
  /** IPs held by pods. */
  assigned: number;
  /** total - assigned: cooling IPs count as available, as in the CNI's DataStoreStats. */
  available: number;
  /** Free IPs still in cooldown: available but not yet handed to pods. */
  cooling: number;
  prefixes: number;
  /** Prefixes with no IP on a pod. */
  freePrefixes: number;
}

export function poolStats(
  pool: NodePool,
  prefixDelegation: boolean,
  now: number,
  cooldownMs: number,
): PoolStats {
  const stats: PoolStats = {
    enis: 0,
    total: 0,
    assigned: 0,
    available: 0,
    cooling: 0,
    prefixes: 0,
    freePrefixes: 0,
  };
  for (const eni of managedEnis(pool)) {
    stats.enis++;
    for (const cidr of modeCidrs(eni, prefixDelegation)) {
      const assigned = assignedInCidr(cidr);
      stats.total += cidrSize(cidr);
      stats.assigned += assigned;
      for (const address of cidr.addresses) if (isCooling(address, now, cooldownMs)) stats.cooling++;
      if (cidr.prefix) {
        stats.prefixes++;
        if (assigned === 0) stats.freePrefixes++;
      }
    }
  }
  stats.available = stats.total - stats.assigned;
  return stats;
}
