import assert from "node:assert/strict";
import { test } from "node:test";
import { sortByAddress } from "./addressOrder.ts";
import { seeded } from "./testing/randomCluster.ts";

function check(pairs: number[][]): void {
  const addresses = Float64Array.from(pairs, ([a]) => a!);
  const ids = Int32Array.from(pairs, ([, id]) => id!);
  sortByAddress(addresses, ids, pairs.length);
  const expected = [...pairs].sort((x, y) => x[0]! - y[0]! || x[1]! - y[1]!);
  assert.deepEqual(
    Array.from(addresses),
    expected.map(([a]) => a),
  );
  assert.deepEqual(
    Array.from(ids),
    expected.map(([, id]) => id),
  );
}

test("sorts by address over the whole IPv4 range, equal addresses in id order", () => {
  const random = seeded(5);
  // Few distinct addresses, so that ties are many; 0.0.0.0 and 255.255.255.255 included.
  check(
    Array.from({ length: 5000 }, (_, i) => [
      i % 7 === 0 ? 2 ** 32 - 1 : i % 11 === 0 ? 0 : Math.floor(random() * 300) * 14_348_907,
      i * 3,
    ]),
  );
});

test("addresses of one subnet, where the high digits are all the same", () => {
  const random = seeded(6);
  check(Array.from({ length: 3000 }, (_, i) => [167_772_160 + Math.floor(random() * 4096), i]));
});

test("sorts only the first count pairs; none or one is left as it is", () => {
  const addresses = Float64Array.from([3, 1, 2, 0]);
  const ids = Int32Array.from([0, 1, 2, 3]);
  sortByAddress(addresses, ids, 3);
  assert.deepEqual(Array.from(addresses), [1, 2, 3, 0]);
  assert.deepEqual(Array.from(ids), [1, 2, 0, 3]);
  sortByAddress(addresses, ids, 1);
  sortByAddress(addresses, ids, 0);
  assert.deepEqual(Array.from(ids), [1, 2, 0, 3]);
});
