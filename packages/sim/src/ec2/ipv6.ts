// IPv6 addresses for an IPv6 cluster's subnets: a subnet's /64, an ENI's address in it, and the /80 prefix
// the VPC CNI asks EC2 for (AssignIpv6Addresses with Ipv6PrefixCount 1), all as 128-bit integers.
import { parseIpv6 } from "@eni-view/model";
import type { Ec2State, SimRandom, SimSubnet } from "../contracts.ts";

/** An address in any valid text form ("2600:1f14::1") as a 128-bit integer, or null (the model's parser). */
export const ipv6Value = parseIpv6;

/** "2600:1f14:abc:1201::/64" as its network address, or null when it is not an IPv6 /64 network. */
export function parseIpv6Slash64(text: string): bigint | null {
  if (!text.endsWith("/64")) return null;
  const value = ipv6Value(text.slice(0, -3));
  // The host half of a /64 network address is zero.
  return value !== null && (value & ((1n << 64n) - 1n)) === 0n ? value : null;
}

/** RFC 5952 text: lower case, no leading zeros, the longest run of two or more zero groups as "::". */
export function formatIpv6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(":");
  return `${hex.slice(0, best).join(":")}::${hex.slice(best + bestLen).join(":")}`;
}

function subnetBase(subnet: SimSubnet): bigint {
  const base = subnet.ipv6Cidr === undefined ? null : parseIpv6Slash64(subnet.ipv6Cidr);
  if (base === null) throw new RangeError(`subnet ${subnet.id} has no IPv6 /64 CIDR block`);
  return base;
}

/** The /80 an address or prefix lies in: its upper 80 bits. */
function slash80(text: string): bigint {
  return (ipv6Value(text.split("/")[0]!) ?? 0n) >> 48n;
}

function delegated(state: Ec2State, subnetId: string): Set<bigint> {
  const out = new Set<bigint>();
  for (const e of state.enis.values())
    if (e.subnetId === subnetId) for (const p of e.ipv6Prefixes ?? []) out.add(slash80(p));
  return out;
}

/** An address EC2 picks for an ENI's own IPv6 address: a random host of the /64 outside every delegated /80. */
export function ipv6AddressIn(state: Ec2State, random: SimRandom, subnet: SimSubnet): string {
  const base = subnetBase(subnet);
  const prefixes = delegated(state, subnet.id);
  const used = new Set(
    [...state.enis.values()].flatMap((e) => (e.subnetId === subnet.id ? (e.ipv6Addresses ?? []) : [])),
  );
  for (;;) {
    const host = BigInt(`0x${random.hex(16)}`);
    const text = formatIpv6(base | host);
    if (host !== 0n && !used.has(text) && !prefixes.has((base | host) >> 48n)) return text;
  }
}

/** A free /80 of the subnet's /64, as EC2 delegates one with AssignIpv6Addresses --ipv6-prefix-count 1. */
export function ipv6PrefixIn(state: Ec2State, random: SimRandom, subnet: SimSubnet): string {
  const base = subnetBase(subnet);
  const prefixes = delegated(state, subnet.id);
  const used = new Set(
    [...state.enis.values()].flatMap((e) =>
      e.subnetId === subnet.id ? (e.ipv6Addresses ?? []).map(slash80) : [],
    ),
  );
  for (;;) {
    const start = base | (BigInt(random.int(1, 0x10000)) << 48n);
    if (!prefixes.has(start >> 48n) && !used.has(start >> 48n)) return `${formatIpv6(start)}/80`;
  }
}

/** The address `offset` places into a /80 ("2600:1f14:abc:1201:7a2b::/80", 3 -> "...:7a2b::3"). */
export function addressInSlash80(prefix: string, offset: bigint): string {
  return formatIpv6((slash80(prefix) << 48n) | offset);
}
