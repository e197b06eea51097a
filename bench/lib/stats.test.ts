import assert from "node:assert/strict";
import { test } from "node:test";
import { median, percentile, summarise } from "./stats.ts";

test("nearest-rank percentiles pick a sample", () => {
  const xs = [5, 1, 4, 2, 3];
  assert.equal(median(xs), 3);
  assert.equal(percentile(xs, 0), 1);
  assert.equal(percentile(xs, 95), 5);
  assert.equal(percentile(xs, 100), 5);
  assert.equal(percentile([10, 20], 50), 10);
  assert.equal(
    percentile(
      Array.from({ length: 100 }, (_, i) => i + 1),
      95,
    ),
    95,
  );
});

test("summaries carry min, max and the sample count", () => {
  assert.deepEqual(summarise([3, 1, 2]), { value: 2, min: 1, max: 3, runs: 3 });
  assert.deepEqual(summarise([3, 1, 2, 10], 95), { value: 10, min: 1, max: 10, runs: 4 });
});

test("no samples or a NaN sample is an error, not a number", () => {
  assert.throws(() => summarise([]), /no samples/);
  assert.throws(() => summarise([1, Number.NaN]), /finite/);
  assert.throws(() => percentile([1], 101), /within/);
});
