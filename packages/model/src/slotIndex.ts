// IPv4 address -> slot number, for placing every pod on the slot that holds its IP.
// The slots are counted first, then packed as (address x 2^21 + slot) into one Float64Array that is
// sorted once and binary-searched: on 200,000+ slots this is several times faster than a Map and makes
// no garbage, which matters because the report is rebuilt on every refresh.

const SLOT_BITS = 2 ** 21;

export class SlotIndex {
  private readonly packed: Float64Array;
  private readonly addresses: Float64Array | null;
  private count = 0;
  private sorted = false;
  private fallback: Map<number, number> | null = null;

  /** `capacity`: how many slots will be added. Past `packedLimit` slots a Map is used instead. */
  constructor(capacity: number, packedLimit = SLOT_BITS) {
    const packedOk = capacity <= Math.min(packedLimit, SLOT_BITS);
    this.packed = new Float64Array(packedOk ? capacity : 0);
    this.addresses = packedOk ? null : new Float64Array(capacity);
  }

  /** Adds the next slot; returns its number (0, 1, 2 ...). */
  add(address: number): number {
    const slot = this.count++;
    if (this.addresses !== null) this.addresses[slot] = address;
    else this.packed[slot] = address * SLOT_BITS + slot;
    this.sorted = false;
    this.fallback = null;
    return slot;
  }

  /** The slot holding `address`; the first one added when several hold it. */
  find(address: number): number | undefined {
    if (this.addresses !== null) return this.map().get(address);
    const packed = this.packed.subarray(0, this.count);
    if (!this.sorted) {
      packed.sort();
      this.sorted = true;
    }
    let lo = 0;
    let hi = packed.length;
    const low = address * SLOT_BITS;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (packed[mid]! < low) lo = mid + 1;
      else hi = mid;
    }
    if (lo === packed.length) return undefined;
    const offset = packed[lo]! - low;
    return offset < SLOT_BITS ? offset : undefined;
  }

  private map(): Map<number, number> {
    if (this.fallback === null) {
      const map = new Map<number, number>();
      for (let i = this.count - 1; i >= 0; i--) map.set(this.addresses![i]!, i);
      this.fallback = map;
    }
    return this.fallback;
  }
}
