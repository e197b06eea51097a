// Which address of a CIDR the CNI hands to a new pod (datastore getUnusedIP): a free address whose
// cooldown is over, else one never used yet. A cooling address counts as available but is not handed out,
// so a pod never reuses an IP whose old routes and conntrack entries may still be around.
import { formatIpv4, parseIpv4Cidr } from "../ipv4.ts";
import { isCooling, type PoolCidr } from "./pool.ts";

export function freeAddressInCidr(cidr: PoolCidr, now: number, cooldownMs: number): string | null {
  for (const address of cidr.addresses) {
    if (address.pod === null && !isCooling(address, now, cooldownMs)) return address.ip;
  }
  const block = parseIpv4Cidr(cidr.cidr);
  if (block === null) throw new Error(`pool CIDR "${cidr.cidr}" is not an IPv4 CIDR`);
  const known = new Set(cidr.addresses.map((address) => address.ip));
  for (let offset = 0; offset < block.size; offset++) {
    const ip = formatIpv4(block.base + offset);
    if (!known.has(ip)) return ip;
  }
  return null;
}
