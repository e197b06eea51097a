// Summaries of repeated measurements: the median (or a percentile) with min, max and the sample count.

export interface Summary {
  value: number;
  min: number;
  max: number;
  runs: number;
}

/** The p-th percentile (0..100) by the nearest-rank method: always one of the samples, never interpolated. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error("percentile of no samples");
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile must be within 0..100, got ${p}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

/** `value` is the p-th percentile (the median by default) of the samples. */
export function summarise(samples: readonly number[], p = 50): Summary {
  if (samples.length === 0) throw new Error("no samples to summarise");
  for (const s of samples) if (!Number.isFinite(s)) throw new Error(`not a finite sample: ${s}`);
  return {
    value: percentile(samples, p),
    min: Math.min(...samples),
    max: Math.max(...samples),
    runs: samples.length,
  };
}
