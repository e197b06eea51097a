// Sorting (address, id) pairs by address, ties by id, for matching pods to slots by a merge of two sorted
// lists: both are then read in sequence, where looking each pod's address up in an index of 250,000
// slots (binary search or hash) costs a cache miss or several per pod, most of the placement's time.
// A least-significant-digit radix sort (three passes of 11 bits over the 32-bit addresses) is stable, so
// ids that come in ascending order stay so among equal addresses, and it takes a few milliseconds where
// sorting 250,000 packed doubles took about fifteen.

const DIGIT_BITS = 11;
const BUCKETS = 2 ** DIGIT_BITS;

/**
 * Sorts `addresses[0..count)` (IPv4 addresses as numbers) ascending, moving `ids` along; equal addresses
 * keep the order their ids came in (ascending, for slot numbers and pod positions).
 */
export function sortByAddress(addresses: Float64Array, ids: Int32Array, count: number): void {
  if (count < 2) return;
  let keys = new Uint32Array(count);
  let values = ids.slice(0, count);
  for (let i = 0; i < count; i++) keys[i] = addresses[i]!;
  let nextKeys = new Uint32Array(count);
  let nextValues = new Int32Array(count);
  const starts = new Int32Array(BUCKETS);
  for (let shift = 0; shift < 32; shift += DIGIT_BITS) {
    starts.fill(0);
    for (let i = 0; i < count; i++) starts[(keys[i]! >>> shift) & (BUCKETS - 1)]!++;
    // A digit all keys share moves nothing (the high bits of addresses in one VPC, say).
    if (starts[(keys[0]! >>> shift) & (BUCKETS - 1)] === count) continue;
    let at = 0;
    for (let b = 0; b < BUCKETS; b++) {
      const n = starts[b]!;
      starts[b] = at;
      at += n;
    }
    for (let i = 0; i < count; i++) {
      const key = keys[i]!;
      const to = starts[(key >>> shift) & (BUCKETS - 1)]!++;
      nextKeys[to] = key;
      nextValues[to] = values[i]!;
    }
    [keys, nextKeys] = [nextKeys, keys];
    [values, nextValues] = [nextValues, values];
  }
  for (let i = 0; i < count; i++) {
    addresses[i] = keys[i]!;
    ids[i] = values[i]!;
  }
}
