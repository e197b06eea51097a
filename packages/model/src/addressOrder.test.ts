import assert from "node:assert/strict";
import { test } from "node:test";
import { sortByAddress } from "./addressOrder.ts";
import { seeded } from "./testing/randomCluster.ts";

for (const [label, limit] of [
  ["packed", undefined],
  ["through a comparator", 0],
] as const) {
  test(`sorts by address, equal addresses in id order (${label})`, () => {
    const random = seeded(5);
    const count = 2000;
    // Few distinct addresses, so that ties are many; the top of the IPv4 range included.
    const pairs = Array.from({ length: count }, (_, i) => [
      i % 7 === 0 ? 2 ** 32 - 1 : Math.floor(random() * 300) * 14_348_907,
      i * 3,
    ]);
    const addresses = Float64Array.from(pairs, ([a]) => a!);
    const ids = Int32Array.from(pairs, ([, id]) => id!);
    sortByAddress(addresses, ids, count, limit);
    const expected = [...pairs].sort((x, y) => x[0]! - y[0]! || x[1]! - y[1]!);
    assert.deepEqual(
      Array.from(addresses),
      expected.map(([a]) => a),
    );
    assert.deepEqual(
      Array.from(ids),
      expected.map(([, id]) => id),
    );
  });
}

test("sorts only the first count pairs", () => {
  const addresses = Float64Array.from([3, 1, 2, 0]);
  const ids = Int32Array.from([0, 1, 2, 3]);
  sortByAddress(addresses, ids, 3);
  assert.deepEqual(Array.from(addresses), [1, 2, 3, 0]);
  assert.deepEqual(Array.from(ids), [1, 2, 0, 3]);
});
