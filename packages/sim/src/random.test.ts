import assert from "node:assert/strict";
import { test } from "node:test";
import { createRandom, nameSuffix, uuid } from "./random.ts";

test("the same seed replays the same sequence and another seed does not", () => {
  const draw = (seed: number) => {
    const r = createRandom(seed);
    return [r.next(), r.int(0, 1000), r.hex(17), r.pick(["a", "b", "c", "d"])];
  };
  assert.deepEqual(draw(42), draw(42));
  assert.notDeepEqual(draw(42), draw(43));
});

test("values stay in their ranges and shapes", () => {
  const r = createRandom(7);
  for (let i = 0; i < 1000; i++) {
    const f = r.next();
    assert.ok(f >= 0 && f < 1);
    const n = r.int(-3, 4);
    assert.ok(Number.isInteger(n) && n >= -3 && n < 4);
  }
  assert.match(r.hex(17), /^[0-9a-f]{17}$/);
  assert.match(nameSuffix(r), /^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.match(uuid(r), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test("int covers its whole range roughly evenly", () => {
  const r = createRandom(1);
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < 4000; i++) counts[r.int(0, 4)]!++;
  for (const c of counts) assert.ok(c > 850 && c < 1150, `counts ${counts}`);
});

test("empty ranges and non-integer seeds are refused", () => {
  assert.throws(() => createRandom(1.5), /seed must be an integer/);
  assert.throws(() => createRandom(1).int(3, 3), /empty range/);
  assert.throws(() => createRandom(1).pick([]), /empty list/);
});
