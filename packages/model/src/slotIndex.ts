// IPv4 address -> slot, for placing every pod on the slot that holds its IP.
// An open-addressing hash table in one Int32Array: each bucket holds the address, the slot number, the
// slot's ENI and the pod that claimed it, side by side, so placing a pod reads one cache line where a
// sorted array's binary search took about a dozen scattered reads over 250,000 slots. No garbage either,
// which matters because the report is rebuilt on every change.

// Ints per bucket: address, slot + 1 (0: empty bucket), ENI, claiming pod + 1 (0: free).
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

  /** The bucket of `address` (for `slotAt`, `eniAt`, `claim`), or -1 when no slot holds it. */
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

  /** Gives the bucket's slot to `pod` if it is free; returns the pod that already had it, or -1. */
  claim(bucket: number, pod: number): number {
    const holder = this.table[bucket + 3]! - 1;
    if (holder < 0) this.table[bucket + 3] = pod + 1;
    return holder;
  }
}
