import assert from "node:assert/strict";
import { test } from "node:test";
import { createClock } from "./clock.ts";

test("a manual clock runs due timers in time order and repeats periodic ones", () => {
  const clock = createClock({ mode: "manual", startAt: 1_000 });
  const seen: string[] = [];
  clock.after(300, () => seen.push(`a@${clock.now()}`));
  clock.after(100, () => seen.push(`b@${clock.now()}`));
  const cancel = clock.every(250, () => seen.push(`tick@${clock.now()}`));
  clock.advance(600);
  assert.deepEqual(seen, ["b@1100", "tick@1250", "a@1300", "tick@1500"]);
  assert.equal(clock.now(), 1_600);
  cancel();
  clock.advance(1_000);
  assert.equal(seen.length, 4);
  assert.equal(clock.pendingTimers(), 0);
});

test("a timer scheduled by a timer fires in the same advance when it falls due", () => {
  const clock = createClock({ mode: "manual", startAt: 0 });
  const seen: number[] = [];
  clock.after(10, () => clock.after(10, () => seen.push(clock.now())));
  clock.advance(25);
  assert.deepEqual(seen, [20]);
});

test("a cancelled timer never fires and stop() cancels everything", () => {
  const clock = createClock({ mode: "manual", startAt: 0 });
  let fired = 0;
  const cancel = clock.after(10, () => fired++);
  cancel();
  clock.every(5, () => fired++);
  clock.stop();
  clock.advance(100);
  assert.equal(fired, 0);
  assert.equal(clock.pendingTimers(), 0);
});

test("a real clock with speed 1000 runs a 2-second simulated timer in a few wall milliseconds", async () => {
  const clock = createClock({ speed: 1000 });
  const start = clock.now();
  const firedAt = await new Promise<number>((resolve) => clock.after(2_000, () => resolve(clock.now())));
  assert.ok(firedAt - start >= 2_000, `fired at +${firedAt - start} ms of simulated time`);
  clock.stop();
});

test("advance() on a real clock fast-forwards: due timers run at once and time jumps", () => {
  const clock = createClock({ speed: 1 });
  const start = clock.now();
  let firedAt = 0;
  clock.after(60_000, () => {
    firedAt = clock.now();
  });
  clock.advance(60_000);
  assert.ok(firedAt - start >= 60_000);
  assert.ok(clock.now() - start >= 60_000);
  assert.equal(clock.pendingTimers(), 0);
  clock.stop();
});

test("a real clock stopped with timers pending leaves nothing to keep the process alive", () => {
  const clock = createClock({ speed: 1 });
  clock.every(1_000, () => {});
  clock.after(5_000, () => {});
  clock.stop();
  assert.equal(clock.pendingTimers(), 0);
});

test("bad speeds are refused with a clear error", () => {
  assert.throws(() => createClock({ speed: 0 }), /speed must be a positive number/);
  assert.throws(() => createClock({ speed: Number.NaN }), /speed must be a positive number/);
});
