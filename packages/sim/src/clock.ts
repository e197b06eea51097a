// Simulated time. Real mode follows the wall clock, `speed` times faster; manual mode only moves when a
// test calls advance(), so a test can step through minutes of IPAMD cycles in milliseconds.
import type { SimClock } from "./contracts.ts";

export interface ControlledClock extends SimClock {
  readonly mode: "real" | "manual";
  readonly speed: number;
  /** Manual mode: move time forward by `ms`, running every timer that falls due, in order. */
  advance(ms: number): void;
  /** Timers scheduled and not yet fired or cancelled. */
  pendingTimers(): number;
  /** Cancel every timer; the clock schedules nothing afterwards. */
  stop(): void;
}

export interface ClockOptions {
  mode?: "real" | "manual";
  /** Simulated milliseconds per wall millisecond (real mode). */
  speed?: number;
  /** Simulated time at start, ms since the epoch; defaults to the wall clock. */
  startAt?: number;
  /** Where an exception thrown by a timer goes in real mode (manual mode throws it from advance()). */
  onError?: (err: unknown) => void;
}

export function createClock(options: ClockOptions = {}): ControlledClock {
  const speed = options.speed ?? 1;
  if (!(Number.isFinite(speed) && speed > 0))
    throw new RangeError(`speed must be a positive number, got ${speed}`);
  return options.mode === "manual" ? manualClock(options.startAt ?? Date.now()) : realClock(speed, options);
}

function realClock(speed: number, options: ClockOptions): ControlledClock {
  const wallStart = Date.now();
  const simStart = options.startAt ?? wallStart;
  const onError = options.onError ?? ((err: unknown) => console.error("sim: timer failed:", err));
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  const guard = (fn: () => void) => () => {
    try {
      fn();
    } catch (err) {
      onError(err);
    }
  };
  return {
    mode: "real",
    speed,
    now: () => simStart + (Date.now() - wallStart) * speed,
    after(ms, fn) {
      if (stopped) return () => {};
      const run = guard(fn);
      const handle = setTimeout(
        () => {
          timers.delete(handle);
          run();
        },
        Math.max(0, ms / speed),
      );
      timers.add(handle);
      return () => {
        clearTimeout(handle);
        timers.delete(handle);
      };
    },
    every(ms, fn) {
      if (!(ms > 0)) throw new RangeError(`every() needs a positive period, got ${ms}`);
      if (stopped) return () => {};
      const handle = setInterval(guard(fn), Math.max(1, ms / speed));
      timers.add(handle);
      return () => {
        clearInterval(handle);
        timers.delete(handle);
      };
    },
    advance() {
      throw new Error("advance() needs a manual clock; this one follows the wall clock");
    },
    pendingTimers: () => timers.size,
    stop() {
      stopped = true;
      for (const handle of timers) clearTimeout(handle);
      timers.clear();
    },
  };
}

interface ManualTimer {
  at: number;
  seq: number;
  fn: () => void;
  period: number | null;
  cancelled: boolean;
}

function manualClock(startAt: number): ControlledClock {
  let now = startAt;
  let seq = 0;
  let stopped = false;
  let live = 0;
  const heap: ManualTimer[] = [];
  const before = (a: ManualTimer, b: ManualTimer) => a.at < b.at || (a.at === b.at && a.seq < b.seq);
  const push = (t: ManualTimer) => {
    heap.push(t);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  };
  const pop = (): ManualTimer | undefined => {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  };
  const schedule = (ms: number, fn: () => void, period: number | null) => {
    if (stopped) return () => {};
    const timer: ManualTimer = { at: now + Math.max(0, ms), seq: seq++, fn, period, cancelled: false };
    live++;
    push(timer);
    return () => {
      if (!timer.cancelled) {
        timer.cancelled = true;
        live--;
      }
    };
  };
  return {
    mode: "manual",
    speed: 1,
    now: () => now,
    after: (ms, fn) => schedule(ms, fn, null),
    every(ms, fn) {
      if (!(ms > 0)) throw new RangeError(`every() needs a positive period, got ${ms}`);
      return schedule(ms, fn, ms);
    },
    advance(ms) {
      if (!(ms >= 0)) throw new RangeError(`advance() needs a non-negative duration, got ${ms}`);
      const target = now + ms;
      for (;;) {
        const top = heap[0];
        if (!top || top.at > target) break;
        pop();
        if (top.cancelled) continue;
        now = top.at;
        if (top.period === null) {
          top.cancelled = true;
          live--;
        } else {
          top.at += top.period;
          top.seq = seq++;
          push(top);
        }
        top.fn();
      }
      now = target;
    },
    pendingTimers: () => live,
    stop() {
      stopped = true;
      for (const t of heap) t.cancelled = true;
      heap.length = 0;
      live = 0;
    },
  };
}
