// Which ENI IPAMD may give back (datastore getDeletableENI): never the primary, trunk or EFA ENI, never
// one younger than a minute, with a pod, or with an IP still cooling down, and never one the warm-IP,
// minimum-IP or warm-prefix targets still need.
import { IPS_PER_PREFIX } from "../capacity.ts";
import { assignedInCidr, cidrSize, isCooling, modeCidrs, type PoolEni } from "./pool.ts";
import type { ResolvedTargets } from "./targets.ts";

/** minENILifeTime in the CNI's datastore. */
export const MIN_ENI_AGE_MS = 60_000;

function hasPods(eni: PoolEni): boolean {
  return eni.cidrs.some((cidr) => assignedInCidr(cidr) > 0);
}

function hasCoolingIp(eni: PoolEni, now: number, cooldownMs: number): boolean {
  return eni.cidrs.some((cidr) => cidr.addresses.some((a) => isCooling(a, now, cooldownMs)));
}

function roundUpToPrefixes(ips: number): number {
  return Math.ceil(ips / IPS_PER_PREFIX) * IPS_PER_PREFIX;
}

function othersFreeIps(enis: PoolEni[], eni: PoolEni, pd: boolean): number {
  let free = 0;
  for (const other of enis) {
    if (other === eni) continue;
    for (const cidr of modeCidrs(other, pd)) free += cidrSize(cidr) - assignedInCidr(cidr);
  }
  return free;
}

function othersTotalIps(enis: PoolEni[], eni: PoolEni, pd: boolean): number {
  let total = 0;
  for (const other of enis) {
    if (other === eni) continue;
    for (const cidr of modeCidrs(other, pd)) total += cidrSize(cidr);
  }
  return total;
}

function othersFreePrefixes(enis: PoolEni[], eni: PoolEni): number {
  let free = 0;
  for (const other of enis) {
    if (other === eni) continue;
    for (const cidr of other.cidrs) if (assignedInCidr(cidr) === 0) free++;
  }
  return free;
}

/** Why this ENI must stay; null when IPAMD may free it. */
export function reasonToKeepEni(
  enis: PoolEni[],
  eni: PoolEni,
  t: ResolvedTargets,
  pd: boolean,
  now: number,
  cooldownMs: number,
): string | null {
  if (eni.primary) return "primary ENI";
  if (now - eni.addedAt < MIN_ENI_AGE_MS) return "younger than 1 min";
  if (hasCoolingIp(eni, now, cooldownMs)) return "has an IP in cooldown";
  if (hasPods(eni)) return "has pods";
  if (t.warmIp > 0) {
    const target = pd ? roundUpToPrefixes(t.warmIp) : t.warmIp;
    if (othersFreeIps(enis, eni, pd) < target) return `needed for WARM_IP_TARGET ${t.warmIp}`;
  }
  if (t.minimumIp > 0) {
    const target = pd ? roundUpToPrefixes(t.minimumIp) : t.minimumIp;
    if (othersTotalIps(enis, eni, pd) < target) return `needed for MINIMUM_IP_TARGET ${t.minimumIp}`;
  }
  if (pd && t.warmPrefix > 0 && othersFreePrefixes(enis, eni) < t.warmPrefix) {
    return `needed for WARM_PREFIX_TARGET ${t.warmPrefix}`;
  }
  if (eni.trunk) return "trunk ENI";
  if (eni.efa) return "EFA ENI";
  return null;
}

/** CheckFreeableENIexists: with prefix delegation an empty ENI is worth a look even when the pool is not high. */
export function emptyEniExists(enis: PoolEni[]): boolean {
  return enis.some((eni) => !eni.primary && !eni.trunk && !eni.efa && !hasPods(eni));
}
