// IPv4 address -> slot, for placing every pod on the slot that holds its IP.
// An open-addressing hash table in one Int32Array: each bucket holds the address, the slot number and the
// slot's ENI side by side, so placing a pod reads one cache line where a sorted array's binary search took
// about a dozen scattered reads over 250,000 slots. It is not changed once filled, so a rebuild whose ENIs
// did not change uses it again.

// Ints per bucket: address, slot + 1 (0: empty bucket), ENI, and one unused so that no bucket straddles
// two cache lines.
const STRIDE = 4;

export class SlotIndex {
  private readonly table: Int32Array;
  private readonly shift: number;
  private readonly mask: number;

  /** `capacity`: how many slots will be added at most. */
  constructor(capacity: number) {
    // At most half full, so that a probe rarely goes past its first bucket.
    let bits = 4;
    while (2 ** bits < capacity * 2) bits++;
    this.table = new Int32Array(2 ** bits * STRIDE);
    this.shift = 32 - bits;
    this.mask = 2 ** bits - 1;
  }

  private home(address: number): number {
    // Fibonacci hashing: the high bits of the product spread neighbouring addresses apart.
    return Math.imul(address | 0, 0x9e3779b1) >>> this.shift;
  }

  /** Adds a slot of `eni` holding `address`; when a slot already holds it, that first one keeps it. */
  add(address: number, slot: number, eni: number): void {
    const table = this.table;
    const key = address | 0;
    for (let b = this.home(address); ; b = (b + 1) & this.mask) {
      const at = b * STRIDE;
      if (table[at + 1] === 0) {
        table[at] = key;
        table[at + 1] = slot + 1;
        table[at + 2] = eni;
        return;
      }
      if (table[at] === key) return;
    }
  }

  /** The bucket of `address` (for `slotAt` and `eniAt`), or -1 when no slot holds it. */
  find(address: number): number {
    const table = this.table;
    const key = address | 0;
    for (let b = this.home(address); ; b = (b + 1) & this.mask) {
      const at = b * STRIDE;
      if (table[at + 1] === 0) return -1;
      if (table[at] === key) return at;
    }
  }

  slotAt(bucket: number): number {
    return this.table[bucket + 1]! - 1;
  }

  eniAt(bucket: number): number {
    return this.table[bucket + 2]!;
  }
}
