// IPv4 addresses as unsigned 32-bit numbers: cheap to index, compare and step through a /28.

/** "10.0.1.57" -> 167772473; null when the text is not a dotted-quad IPv4 address. */
export function parseIpv4(text: string): number | null {
  // Hand-rolled: the report parses every pod and slot IP, hundreds of thousands on a large cluster.
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return null;
    } else if (c === 46) {
      if (digits === 0 || ++dots > 3) return null;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
    } else {
      return null;
    }
  }
  if (dots !== 3 || digits === 0) return null;
  return value * 256 + octet;
}

export function formatIpv4(value: number): string {
  return `${(value >>> 24) & 255}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

export interface Ipv4Cidr {
  /** First address of the block (host bits cleared). */
  base: number;
  prefixLength: number;
  size: number;
}

/** "192.168.1.0/24" -> its first address and size; null when malformed. */
export function parseIpv4Cidr(text: string): Ipv4Cidr | null {
  const slash = text.indexOf("/");
  if (slash < 0) return null;
  const address = parseIpv4(text.slice(0, slash));
  const lengthText = text.slice(slash + 1);
  if (address === null || !/^\d{1,2}$/.test(lengthText)) return null;
  const prefixLength = Number(lengthText);
  if (prefixLength > 32) return null;
  const size = 2 ** (32 - prefixLength);
  return { base: address - (address % size), prefixLength, size };
}

/** Usable addresses of a VPC subnet: AWS reserves the first four and the last one. */
export function subnetUsableIps(cidr: string): number | null {
  const block = parseIpv4Cidr(cidr);
  return block === null ? null : Math.max(0, block.size - 5);
}
