// Simulated time: one timer queue in simulated milliseconds. Manual mode only moves when advance() is
// called, so a test steps through minutes of IPAMD cycles in milliseconds. Real mode follows the wall
// clock `speed` times faster, driven by a single wall timer set for the next due event; advance() there
// fast-forwards (used to let a scenario settle before it is served).
import type { SimClock } from "./contracts.ts";

export interface ControlledClock extends SimClock {
  readonly mode: "real" | "manual";
  readonly speed: number;
  /** Move simulated time forward by `ms` at once, running every timer that falls due, in order. */
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

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  period: number | null;
  cancelled: boolean;
}

class TimerHeap {
  private readonly items: Timer[] = [];
  private static before(a: Timer, b: Timer) {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }
  get size() {
    return this.items.length;
  }
  peek(): Timer | undefined {
    return this.items[0];
  }
  clear() {
    this.items.length = 0;
  }
  push(t: Timer) {
    const h = this.items;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!TimerHeap.before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }
  pop(): Timer | undefined {
    const h = this.items;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && TimerHeap.before(h[l]!, h[m]!)) m = l;
        if (r < h.length && TimerHeap.before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

export function createClock(options: ClockOptions = {}): ControlledClock {
  const speed = options.speed ?? 1;
  if (!(Number.isFinite(speed) && speed > 0))
    throw new RangeError(`speed must be a positive number, got ${speed}`);
  const mode = options.mode ?? "real";
  const wallStart = Date.now();
  const simStart = options.startAt ?? wallStart;
  const onError = options.onError ?? ((err: unknown) => console.error("sim: timer failed:", err));
  const heap = new TimerHeap();
  let offset = 0;
  let manualNow = simStart;
  let seq = 0;
  let live = 0;
  let stopped = false;
  let running = false;
  let driver: NodeJS.Timeout | undefined;
  let driverAt = Number.POSITIVE_INFINITY;

  const now = () => (mode === "manual" ? manualNow : simStart + offset + (Date.now() - wallStart) * speed);

  const runDue = (until: number) => {
    if (running) return;
    running = true;
    try {
      for (;;) {
        const top = heap.peek();
        if (!top || top.at > until) break;
        heap.pop();
        if (top.cancelled) continue;
        if (mode === "manual") manualNow = top.at;
        if (top.period === null) {
          top.cancelled = true;
          live--;
        } else {
          top.at += top.period;
          top.seq = seq++;
          heap.push(top);
        }
        if (mode === "manual") top.fn();
        else {
          try {
            top.fn();
          } catch (err) {
            onError(err);
          }
        }
      }
    } finally {
      running = false;
    }
  };

  // Real mode: one wall timer, set for the earliest due simulated time.
  const drive = () => {
    if (mode === "manual" || stopped) return;
    while (heap.peek()?.cancelled) heap.pop();
    const next = heap.peek();
    if (!next) return;
    if (next.at >= driverAt && driver) return;
    clearTimeout(driver);
    driverAt = next.at;
    driver = setTimeout(
      () => {
        driver = undefined;
        driverAt = Number.POSITIVE_INFINITY;
        runDue(now());
        drive();
      },
      Math.max(0, (next.at - now()) / speed),
    );
  };

  const schedule = (ms: number, fn: () => void, period: number | null) => {
    if (stopped) return () => {};
    const timer: Timer = { at: now() + Math.max(0, ms), seq: seq++, fn, period, cancelled: false };
    live++;
    heap.push(timer);
    drive();
    return () => {
      if (!timer.cancelled) {
        timer.cancelled = true;
        live--;
      }
    };
  };

  return {
    mode,
    speed: mode === "manual" ? 1 : speed,
    now,
    after: (ms, fn) => schedule(ms, fn, null),
    every(ms, fn) {
      if (!(ms > 0)) throw new RangeError(`every() needs a positive period, got ${ms}`);
      return schedule(ms, fn, ms);
    },
    advance(ms) {
      if (!(ms >= 0)) throw new RangeError(`advance() needs a non-negative duration, got ${ms}`);
      if (mode === "manual") {
        const target = manualNow + ms;
        runDue(target);
        manualNow = target;
      } else {
        offset += ms;
        runDue(now());
        clearTimeout(driver);
        driver = undefined;
        driverAt = Number.POSITIVE_INFINITY;
        drive();
      }
    },
    pendingTimers: () => live,
    stop() {
      stopped = true;
      clearTimeout(driver);
      driver = undefined;
      heap.clear();
      live = 0;
    },
  };
}
