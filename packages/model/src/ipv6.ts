// IPv6 addresses and prefixes as 128-bit integers: enough to tell whether a pod's address lies in a node's /80.

/** An IPv6 address ("2600:1f14::1", "::ffff:10.0.0.1" excluded) as a 128-bit integer, or null. */
export function parseIpv6(text: string): bigint | null {
  if (!text.includes(":") || text.includes(".")) return null;
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] === "" ? [] : halves[0]!.split(":");
  const tail = halves.length === 2 && halves[1] !== "" ? halves[1]!.split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...new Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  let value = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    value = (value << 16n) | BigInt(Number.parseInt(g, 16));
  }
  return value;
}

export interface Ipv6Block {
  base: bigint;
  bits: number;
}

/** "2600:1f14:abc:1200:7a2b::/80" as its network address and prefix length, or null. */
export function parseIpv6Cidr(text: string): Ipv6Block | null {
  const slash = text.indexOf("/");
  if (slash < 0) return null;
  const bits = Number(text.slice(slash + 1));
  const address = parseIpv6(text.slice(0, slash));
  if (address === null || !Number.isInteger(bits) || bits < 0 || bits > 128) return null;
  const host = 128n - BigInt(bits);
  return { base: (address >> host) << host, bits };
}

export function inIpv6Block(address: bigint, block: Ipv6Block): boolean {
  const host = 128n - BigInt(block.bits);
  return address >> host === block.base >> host;
}

/** A 128-bit integer as IPv6 text, the longest run of two or more zero groups as "::" (RFC 5952). */
export function formatIpv6(value: bigint): string {
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((value >> shift) & 0xffffn));
  let bestAt = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestAt = i;
      bestLength = j - i;
    }
    i = j;
  }
  const text = (from: number, to: number) =>
    groups
      .slice(from, to)
      .map((g) => g.toString(16))
      .join(":");
  if (bestAt < 0) return text(0, 8);
  return `${text(0, bestAt)}::${text(bestAt + bestLength, 8)}`;
}
