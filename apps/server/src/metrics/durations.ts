// Duration histograms the sources and the feed observe into. They are made unregistered so each app's
// /metrics registry (registry.ts) takes them in: tests build many apps in one process.
import { Histogram } from "prom-client";

const buckets = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export type DurationHistogram = Histogram<string>;

export function durationHistogram(name: string, help: string, labelName: string): DurationHistogram {
  return new Histogram({ name, help, labelNames: [labelName], buckets, registers: [] });
}

/** How many durations were observed under one label value, and their sum (for tests and the bench). */
export async function observed(h: DurationHistogram, label: string): Promise<{ count: number; sum: number }> {
  const { name, values } = await h.get();
  const of = (metricName: string): number =>
    values
      .filter((v) => v.metricName === metricName && Object.values(v.labels).includes(label))
      .reduce((a, v) => a + v.value, 0);
  return { count: of(`${name}_count`), sum: of(`${name}_sum`) };
}
