// Test doubles for the simulator's seams: a clock that only moves when the test says so, and a small
// seeded random. Real implementations live with the Kubernetes half; these keep the AWS half's tests
// independent of them.
import type { SimClock, SimRandom } from "../contracts.ts";

export interface ManualClock extends SimClock {
  /** Moves time forward, firing due timers in time order. */
  advance(ms: number): void;
}

export function manualClock(start = Date.UTC(2026, 0, 1)): ManualClock {
  let now = start;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void; every: number | null }>();
  const add = (at: number, fn: () => void, every: number | null) => {
    const id = seq++;
    timers.set(id, { at, fn, every });
    return () => {
      timers.delete(id);
    };
  };
  return {
    now: () => now,
    after: (ms, fn) => add(now + ms, fn, null),
    every: (ms, fn) => add(now + ms, fn, ms),
    advance(ms) {
      const end = now + ms;
      for (;;) {
        let nextId = -1;
        let next: { at: number; fn: () => void; every: number | null } | undefined;
        for (const [id, t] of timers)
          if (t.at <= end && (next === undefined || t.at < next.at)) [nextId, next] = [id, t];
        if (next === undefined) break;
        now = next.at;
        if (next.every === null) timers.delete(nextId);
        else next.at += next.every;
        next.fn();
      }
      now = end;
    },
  };
}

export function seededRandom(seed: number): SimRandom {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min));
  return {
    next,
    int,
    pick: (items) => items[int(0, items.length)] as (typeof items)[number],
    hex: (length) => Array.from({ length }, () => int(0, 16).toString(16)).join(""),
  };
}
