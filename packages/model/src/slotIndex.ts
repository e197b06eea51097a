// IPv4 address -> slot number, for placing every pod on the slot that holds its IP.
// A sorted Float64Array of (address x 2^21 + slot) is built and binary-searched: on 200,000+ slots that
// is several times faster than a Map, which matters because the report is rebuilt on every refresh.

const SLOT_BITS = 2 ** 21;

export class SlotIndex {
  private readonly addresses: number[] = [];
  private packed: Float64Array | null = null;
  private fallback: Map<number, number> | null = null;
  private readonly packedLimit: number;

  /** `packedLimit` is the most slots the packed form holds (address x limit must stay below 2^53). */
  constructor(packedLimit = SLOT_BITS) {
    this.packedLimit = Math.min(packedLimit, SLOT_BITS);
  }

  /** Adds the next slot; returns its number (0, 1, 2 ...). */
  add(address: number): number {
    this.packed = null;
    this.fallback = null;
    this.addresses.push(address);
    return this.addresses.length - 1;
  }

  get size(): number {
    return this.addresses.length;
  }

  /** The slot holding `address`; the first one added when several hold it. */
  find(address: number): number | undefined {
    if (this.addresses.length > this.packedLimit) return this.map().get(address);
    const packed = this.sorted();
    let lo = 0;
    let hi = packed.length;
    const low = address * SLOT_BITS;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (packed[mid]! < low) lo = mid + 1;
      else hi = mid;
    }
    if (lo === packed.length) return undefined;
    const hit = packed[lo]!;
    return hit - low < SLOT_BITS ? hit - low : undefined;
  }

  private sorted(): Float64Array {
    if (this.packed === null) {
      const packed = new Float64Array(this.addresses.length);
      for (let i = 0; i < packed.length; i++) packed[i] = this.addresses[i]! * SLOT_BITS + i;
      packed.sort();
      this.packed = packed;
    }
    return this.packed;
  }

  private map(): Map<number, number> {
    if (this.fallback === null) {
      const map = new Map<number, number>();
      for (let i = this.addresses.length - 1; i >= 0; i--) map.set(this.addresses[i]!, i);
      this.fallback = map;
    }
    return this.fallback;
  }
}
