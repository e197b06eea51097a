// A source whose data a test sets, as a watch event or a finished list would: `input` null until the
// cluster has been read (loading, with `steps` as its progress), `change()` to tell the feed.
import type { ClusterInput, LoadingStep } from "@eni-view/model";
import { emptyCounters, type Source, type SourceSnapshot } from "../sources/source.ts";

export class TestSource implements Source {
  readonly kind = "cluster";
  input: ClusterInput | null;
  steps: LoadingStep[] = [];
  private notify: () => void = () => {};

  constructor(input: ClusterInput | null = null) {
    this.input = input;
  }

  async start(onChange: () => void) {
    this.notify = onChange;
  }

  change(next: ClusterInput) {
    this.input = next;
    this.notify();
  }

  snapshot(): SourceSnapshot {
    const ok = { stale: false, error: null, since: null, lastSuccess: "2026-12-06T10:00:00.000Z" };
    const read = this.input !== null;
    return { input: this.input, sources: { kubernetes: ok, ec2: ok }, ready: read, loaded: read };
  }

  progress(): LoadingStep[] {
    return this.steps;
  }

  counters() {
    return emptyCounters();
  }

  async stop() {}
}
