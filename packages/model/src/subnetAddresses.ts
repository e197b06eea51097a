// Which addresses of a subnet are taken: the subnet's own bookkeeping behind DescribeSubnets'
// availableIpAddressCount, how EC2 picks free addresses and /28 prefixes, and the errors IPAMD meets when
// a subnet runs dry. The simulator's EC2 and the planner allocate with it.
import { formatIpv4, parseIpv4, parseIpv4Cidr } from "./ipv4.ts";

/** The draws EC2's address picking needs: an integer in [min, max). */
export interface AddressDraw {
  int(minInclusive: number, maxExclusive: number): number;
}

/** AWS keeps the first four addresses (network, router, DNS, future use) and the last one of every subnet. */
const RESERVED_AT_START = 4;
const PREFIX_SIZE = 16;
const PREFIX_RESERVED = 1;
const EXPLICIT_RESERVED = 2;
/** The address walk's skip levels: groups of 16, 256 and 4,096 addresses. */
const LEVEL_BITS = [12, 8, 4] as const;

/** EC2's answer when a subnet has too few free addresses (or no free aligned /28 for a prefix). */
export class InsufficientAddressesError extends Error {
  readonly code: "InsufficientFreeAddressesInSubnet" | "InsufficientCidrBlocks";
  constructor(
    code: "InsufficientFreeAddressesInSubnet" | "InsufficientCidrBlocks",
    subnetId: string,
    wanted: string,
  ) {
    super(
      code === "InsufficientCidrBlocks"
        ? `The specified subnet ${subnetId} does not have enough contiguous free address space for ${wanted}.`
        : `There are not enough free addresses in subnet '${subnetId}' to satisfy the requested number of instances (${wanted}).`,
    );
    this.code = code;
  }
}

export class SubnetAddresses {
  readonly subnetId: string;
  readonly base: number;
  readonly size: number;
  private readonly taken: Uint8Array;
  private takenCount = 0;
  /** Addresses EC2 may pick on its own (see pickable) per run of 256, and in all: the walk to the next
   * free address skips full runs, and the count needs no scan. */
  private readonly pickableIn: Uint16Array[];
  private pickableCount = 0;
  /** Per address: 0, or the CIDR reservation over it (PREFIX_RESERVED, EXPLICIT_RESERVED); null if none. */
  private readonly reservedFor: Uint8Array | null;

  constructor(
    subnetId: string,
    cidr: string,
    reservations: readonly { cidr: string; type: "prefix" | "explicit" }[] = [],
  ) {
    const block = parseIpv4Cidr(cidr);
    if (block === null || block.prefixLength < 16 || block.prefixLength > 28) {
      throw new RangeError(
        `subnet ${subnetId}: CIDR "${cidr}" must be an IPv4 block from /16 to /28, as in a VPC`,
      );
    }
    this.subnetId = subnetId;
    this.base = block.base;
    this.size = block.size;
    this.taken = new Uint8Array(block.size);
    this.reservedFor = reservations.length === 0 ? null : new Uint8Array(block.size);
    for (const r of reservations) {
      const rb = parseIpv4Cidr(r.cidr);
      if (rb === null || rb.base < block.base || rb.base + rb.size > block.base + block.size) {
        throw new RangeError(`subnet ${subnetId}: reservation "${r.cidr}" is not inside ${cidr}`);
      }
      const from = rb.base - block.base;
      this.reservedFor!.fill(r.type === "prefix" ? PREFIX_RESERVED : EXPLICIT_RESERVED, from, from + rb.size);
    }
    this.pickableIn = LEVEL_BITS.map((bits) => new Uint16Array(Math.ceil(block.size / 2 ** bits)));
    for (let i = 0; i < block.size; i++) if (this.pickable(i)) this.count(i, 1);
  }

  /** Free, not AWS's, in no CIDR reservation: an address EC2 may pick on its own. */
  private pickable(offset: number): boolean {
    return !this.taken[offset] && !this.reserved(offset) && !this.reservedFor?.[offset];
  }

  private count(offset: number, by: 1 | -1): void {
    for (let l = 0; l < LEVEL_BITS.length; l++)
      (this.pickableIn[l] as Uint16Array)[offset >> (LEVEL_BITS[l] as number)]! += by;
    this.pickableCount += by;
  }

  private take(offset: number): void {
    if (this.pickable(offset)) this.count(offset, -1);
    this.taken[offset] = 1;
    this.takenCount++;
  }

  /** Free addresses EC2 may pick on its own: not taken, not AWS's, in no CIDR reservation. */
  private assignable(): number {
    return this.pickableCount;
  }

  /** availableIpAddressCount: usable addresses (size - 5) not held by an ENI, prefix or instance. */
  available(): number {
    return this.size - RESERVED_AT_START - 1 - this.takenCount;
  }

  private reserved(offset: number): boolean {
    return offset < RESERVED_AT_START || offset === this.size - 1;
  }

  private offsetOf(ip: string): number {
    const value = parseIpv4(ip);
    const offset = value === null ? -1 : value - this.base;
    if (offset < 0 || offset >= this.size) throw new RangeError(`${ip} is not in subnet ${this.subnetId}`);
    return offset;
  }

  /** Marks an address as used (an address already in the EC2 state); throws if it cannot be. */
  claim(ip: string): void {
    const offset = this.offsetOf(ip);
    if (this.reserved(offset)) throw new RangeError(`${ip} is reserved by AWS in subnet ${this.subnetId}`);
    if (this.taken[offset]) throw new RangeError(`${ip} is already in use in subnet ${this.subnetId}`);
    this.take(offset);
  }

  claimPrefix(prefix: string): void {
    const block = parseIpv4Cidr(prefix);
    if (block === null || block.size !== PREFIX_SIZE) throw new RangeError(`"${prefix}" is not a /28 prefix`);
    for (let i = 0; i < PREFIX_SIZE; i++) this.claim(formatIpv4(block.base + i));
  }

  release(ip: string): void {
    const offset = this.offsetOf(ip);
    if (!this.taken[offset]) return;
    this.taken[offset] = 0;
    this.takenCount--;
    if (this.pickable(offset)) this.count(offset, 1);
  }

  releasePrefix(prefix: string): void {
    const block = parseIpv4Cidr(prefix);
    if (block === null) throw new RangeError(`"${prefix}" is not a CIDR`);
    for (let i = 0; i < block.size; i++) this.release(formatIpv4(block.base + i));
  }

  /** An independent copy: the planner runs one per seed from the same start. */
  clone(): SubnetAddresses {
    const copy = Object.create(SubnetAddresses.prototype) as SubnetAddresses;
    Object.assign(copy, this, {
      taken: this.taken.slice(),
      pickableIn: this.pickableIn.map((level) => level.slice()),
      reservedFor: this.reservedFor?.slice() ?? null,
    });
    return copy;
  }

  /** Aligned /28 blocks wholly free and in no explicit reservation: what a new prefix can take. */
  freeBlocks28(): number {
    let n = 0;
    for (let first = 0; first < this.size; first += PREFIX_SIZE) {
      let free = true;
      for (let k = 0; k < PREFIX_SIZE && free; k++)
        free =
          !this.taken[first + k] &&
          !this.reserved(first + k) &&
          (this.reservedFor?.[first + k] ?? 0) !== EXPLICIT_RESERVED;
      if (free) n++;
    }
    return n;
  }

  /** `count` free addresses, or none at all: EC2 assigns all that were asked for or fails. */
  allocate(count: number, random: AddressDraw): string[] {
    if (count > this.assignable()) {
      throw new InsufficientAddressesError(
        "InsufficientFreeAddressesInSubnet",
        this.subnetId,
        `${count} addresses`,
      );
    }
    const out: string[] = [];
    // EC2 picks free addresses scattered over the subnet: each from a random place, walking forward.
    while (out.length < count) {
      let offset = random.int(0, this.size);
      walk: while (!this.pickable(offset)) {
        // A group with nothing pickable is stepped over whole, the biggest first: the same address comes
        // out, sooner.
        for (let l = 0; l < LEVEL_BITS.length; l++) {
          const bits = LEVEL_BITS[l] as number;
          if ((this.pickableIn[l] as Uint16Array)[offset >> bits] === 0) {
            offset = ((offset | ((1 << bits) - 1)) + 1) % this.size;
            continue walk;
          }
        }
        offset = (offset + 1) % this.size;
      }
      this.take(offset);
      out.push(formatIpv4(this.base + offset));
    }
    return out;
  }

  /** `count` free /28 prefixes, aligned on 16 and wholly free (reserved addresses included), or none.
   * Blocks inside a prefix reservation go first; blocks touching an explicit one are never picked. */
  allocatePrefixes(count: number, random: AddressDraw): string[] {
    const blocks = this.size / PREFIX_SIZE;
    const start = random.int(0, blocks);
    const found: number[] = [];
    const passes = this.reservedFor === null ? [0] : [PREFIX_RESERVED, 0];
    for (const want of passes) {
      for (let i = 0; i < blocks && found.length < count; i++) {
        const first = ((start + i) % blocks) * PREFIX_SIZE;
        let free = true;
        for (let k = 0; k < PREFIX_SIZE && free; k++)
          free =
            !this.taken[first + k] &&
            !this.reserved(first + k) &&
            (this.reservedFor?.[first + k] ?? 0) === want;
        if (free) found.push(first);
      }
    }
    if (found.length < count) {
      throw new InsufficientAddressesError("InsufficientCidrBlocks", this.subnetId, `${count} /28 prefixes`);
    }
    return found.map((first) => {
      for (let k = 0; k < PREFIX_SIZE; k++) this.take(first + k);
      return `${formatIpv4(this.base + first)}/28`;
    });
  }
}
