// When a subnet runs out, at the rate its free addresses (and free /28 blocks) fell over a window of
// samples: a least-squares line through them, so one burst of pods does not decide the rate on its own.
import type { SubnetForecast } from "./types.ts";

export interface SpaceSample {
  /** Milliseconds since the epoch. */
  t: number;
  free: number;
  freeBlocks28: number;
}

/** Fewer samples, or a shorter span, say too little to draw a rate from. */
const MIN_SAMPLES = 3;
const MIN_SPAN_MS = 60_000;

/** Change per millisecond of `value` over the samples (least squares). */
function slope(samples: readonly SpaceSample[], value: (s: SpaceSample) => number): number {
  const n = samples.length;
  const t0 = samples[0]!.t;
  let st = 0;
  let sv = 0;
  for (const s of samples) {
    st += s.t - t0;
    sv += value(s);
  }
  const mt = st / n;
  const mv = sv / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    const dt = s.t - t0 - mt;
    num += dt * (value(s) - mv);
    den += dt * dt;
  }
  return den === 0 ? 0 : num / den;
}

/** Seconds until `now` reaches 0 at `perMs`; null when it is not falling. */
function secondsTo(now: number, perMs: number): number | null {
  if (now <= 0) return 0;
  if (perMs >= 0) return null;
  return Math.round(now / -perMs / 1000);
}

/** The forecast from samples in time order (the last is now); null while they are too few or too short. */
export function forecastExhaustion(samples: readonly SpaceSample[]): SubnetForecast | null {
  if (samples.length < MIN_SAMPLES) return null;
  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  const span = last.t - first.t;
  if (span < MIN_SPAN_MS) return null;
  const free = slope(samples, (s) => s.free);
  const blocks = slope(samples, (s) => s.freeBlocks28);
  const hour = 3_600_000;
  return {
    windowSeconds: Math.round(span / 1000),
    freePerHour: Math.round(free * hour * 10) / 10,
    emptyInSeconds: secondsTo(last.free, free),
    blocksPerHour: Math.round(blocks * hour * 10) / 10,
    noBlockInSeconds: secondsTo(last.freeBlocks28, blocks),
  };
}

/** "2 h 10 min", "45 min", "under a minute", "3 d 4 h". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return "under a minute";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

/** What a person reads about one subnet's forecast, the window included. */
export function describeForecast(cidr: string, f: SubnetForecast | null | undefined): string {
  if (f === null || f === undefined) return `${cidr}: no forecast yet (a few minutes of history needed)`;
  const window = `rate over the last ${formatDuration(f.windowSeconds)}`;
  if (f.emptyInSeconds === 0) return `${cidr} has no free address left`;
  if (f.emptyInSeconds === null) return `${cidr}: free addresses not falling (${window})`;
  return `at this rate ${cidr} is empty in about ${formatDuration(f.emptyInSeconds)} (${window}, ${-f.freePerHour} addresses/h)`;
}
