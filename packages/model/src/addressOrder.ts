// Sorting (address, id) pairs by address, ties by id, for matching pods to slots by a merge of two sorted
// lists: both are then read in sequence, where looking each pod's address up in an index of 250,000
// slots (binary search or hash) costs a cache miss or several per pod, most of the placement's time.

// (address x 2^21 + id) is exact in a double for IPv4 addresses and ids below 2^21, and sorts natively.
const ID_LIMIT = 2 ** 21;

/**
 * Sorts `addresses[0..count)` ascending, moving `ids` along; equal addresses keep their ids ascending.
 * `ids` must come in ascending order (slot numbers, pod positions), which the tie order relies on.
 * `packedLimit` is for tests: past it the pairs are sorted through a comparator instead of packed.
 */
export function sortByAddress(
  addresses: Float64Array,
  ids: Int32Array,
  count: number,
  packedLimit = ID_LIMIT,
): void {
  const last = count > 0 ? ids[count - 1]! : 0;
  if (count <= packedLimit && last < ID_LIMIT) {
    const packed = new Float64Array(count);
    for (let i = 0; i < count; i++) packed[i] = addresses[i]! * ID_LIMIT + ids[i]!;
    packed.sort();
    for (let i = 0; i < count; i++) {
      const address = Math.floor(packed[i]! / ID_LIMIT);
      addresses[i] = address;
      ids[i] = packed[i]! - address * ID_LIMIT;
    }
    return;
  }
  const order = Array.from({ length: count }, (_, i) => i);
  order.sort((a, b) => addresses[a]! - addresses[b]! || a - b);
  const oldAddresses = addresses.slice(0, count);
  const oldIds = ids.slice(0, count);
  for (let i = 0; i < count; i++) {
    addresses[i] = oldAddresses[order[i]!]!;
    ids[i] = oldIds[order[i]!]!;
  }
}
