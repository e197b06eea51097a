// A capture folder as a source: read once at start; a folder that cannot be read stops `serve` with
// the reader's own message (which names the file and what is wrong) rather than serving an empty view.
import type { ClusterInput, LoadingStep } from "@eni-view/model";
import { stepLabel } from "@eni-view/model";
import { type ReadLimits, readCaptureFolder } from "./dump/index.ts";
import { emptyCounters, type Source, type SourceCounters, type SourceSnapshot } from "./source.ts";

export class DumpSource implements Source {
  readonly kind = "dump";
  private readonly dir: string;
  private readonly limits: ReadLimits;
  private input: ClusterInput | null = null;
  private readAt: string | null = null;
  private readonly stats: SourceCounters = emptyCounters();

  constructor(dir: string, limits: ReadLimits = {}) {
    this.dir = dir;
    this.limits = limits;
  }

  async start(onChange: () => void): Promise<void> {
    const started = performance.now();
    this.input = await readCaptureFolder(this.dir, this.limits);
    this.readAt = new Date().toISOString();
    this.stats.refreshSeconds.observe({ source: "dump" }, (performance.now() - started) / 1000);
    onChange();
  }

  snapshot(): SourceSnapshot {
    return {
      input: this.input,
      // A capture never changes, so it is never stale.
      sources: { dump: { stale: false, error: null, since: null, lastSuccess: this.readAt } },
      ready: this.input !== null,
      loaded: this.input !== null,
    };
  }

  progress(): LoadingStep[] {
    const done = this.input !== null;
    return [
      { ...stepLabel("loading.step.capture"), count: done ? 1 : 0, total: 1, complete: done, error: null },
    ];
  }

  counters(): SourceCounters {
    return this.stats;
  }

  async stop(): Promise<void> {}
}
