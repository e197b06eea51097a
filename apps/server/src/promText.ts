// Prometheus text exposition (format 0.0.4), written by hand: eni-view needs counters, gauges and
// two histograms, not a metrics library.

const defaultBuckets = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** A histogram keyed by one label value (e.g. source="ec2"). */
export class Histogram {
  readonly buckets: readonly number[];
  private readonly series = new Map<string, { counts: number[]; sum: number; count: number }>();

  constructor(buckets: readonly number[] = defaultBuckets) {
    this.buckets = buckets;
  }

  observe(label: string, value: number): void {
    let s = this.series.get(label);
    if (!s) {
      s = { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(label, s);
    }
    this.buckets.forEach((le, i) => {
      if (value <= le) s.counts[i]!++;
    });
    s.sum += value;
    s.count++;
  }

  lines(name: string, labelName: string): string[] {
    const out: string[] = [];
    for (const [label, s] of this.series) {
      const l = `${labelName}="${escapeLabel(label)}"`;
      this.buckets.forEach((le, i) => {
        out.push(`${name}_bucket{${l},le="${le}"} ${s.counts[i]}`);
      });
      out.push(`${name}_bucket{${l},le="+Inf"} ${s.count}`);
      out.push(`${name}_sum{${l}} ${s.sum}`);
      out.push(`${name}_count{${l}} ${s.count}`);
    }
    return out;
  }
}

export function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** Writes metric families: `# HELP`, `# TYPE`, then samples. */
export class PromWriter {
  private readonly out: string[] = [];

  family(name: string, type: "counter" | "gauge" | "histogram", help: string, samples: string[]): void {
    this.out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples);
  }

  simple(name: string, type: "counter" | "gauge", help: string, value: number): void {
    this.family(name, type, help, [`${name} ${value}`]);
  }

  labelled(
    name: string,
    type: "counter" | "gauge",
    help: string,
    labelName: string,
    values: Record<string, number>,
  ): void {
    const samples = Object.entries(values).map(([k, v]) => `${name}{${labelName}="${escapeLabel(k)}"} ${v}`);
    this.family(name, type, help, samples);
  }

  text(): string {
    return `${this.out.join("\n")}\n`;
  }
}
