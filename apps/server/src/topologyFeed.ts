// Turns a source's data into topologies: rebuilds the report when the source says something changed
// (coalesced, so a burst of watch events costs one build), numbers each change, diffs it once against
// the previous topology and hands the delta to every viewer. Keeps a bounded ring of recent deltas for
// Last-Event-ID resume and a bounded history of cluster totals. Nothing here throws to the routes: a
// failing build keeps the last good topology and is counted.
import {
  buildReport,
  type ClusterInput,
  defaultCniConfig,
  diffTopology,
  encodeTopology,
  type HistoryPoint,
  type LoadingState,
  loadingMessage,
  type Report,
  type Topology,
  type TopologyDelta,
} from "@eni-view/model";
import { type DurationHistogram, durationHistogram } from "./metrics/durations.ts";
import { jsonPieces } from "./routes/pieces.ts";
import type { Source, SourceSnapshot } from "./sources/source.ts";
import { SubnetHistory } from "./subnetHistory.ts";

export interface FeedOptions {
  /** Wait this long after a change before rebuilding, so bursts coalesce. */
  coalesceMs?: number;
  /** How many recent deltas are kept for Last-Event-ID resume. */
  deltaRingSize?: number;
  /** ...and at most this many characters of them: a busy big cluster's deltas can be megabytes each. */
  deltaRingChars?: number;
  /** One history point per this interval. */
  historyStepMs?: number;
  /** History kept, in points (default: 6 hours at the default step). */
  historySize?: number;
  /** The span of history subnet forecasts take their rate from (default 30 min). */
  forecastWindowMs?: number;
  /** How often freshness is re-evaluated even when the source is quiet (stale marks appear by time). */
  statusCheckMs?: number;
  now?: () => number;
  build?: (input: ClusterInput, previous?: Report) => Report;
}

/** One change as it goes out: computed and serialised once, written to every viewer. */
export interface FeedEvent {
  kind: "delta" | "history";
  seq: number;
  /** The SSE frame, ready to write. */
  frame: string;
}

/** Told of each change as it is published: the topologies before and after, and the delta between. */
export type ChangeObserver = (prev: Topology, next: Topology, delta: TopologyDelta) => void;

export interface FeedStats {
  builds: number;
  buildFailures: number;
  lastBuildError: string | null;
  buildSeconds: DurationHistogram;
}

/** A cluster with nothing in it: what the feed builds before a source has data. */
export const emptyInput = (): ClusterInput => ({
  clusterName: null,
  region: null,
  nodes: [],
  pods: [],
  events: [],
  enis: [],
  instances: [],
  subnets: [],
  cni: defaultCniConfig(),
});

/** Milliseconds of this thread's CPU (Node 23.9+), else of the wall clock. A build's cost is what it takes
 * of the server's own CPU: on a machine shared with other work its wall time says more about the load. */
const threadMs: () => number =
  typeof process.threadCpuUsage === "function"
    ? () => {
        const u = process.threadCpuUsage();
        return (u.user + u.system) / 1000;
      }
    : () => performance.now();

export function sseFrame(event: string, data: string, id?: number): string {
  return `${id === undefined ? "" : `id: ${id}\n`}event: ${event}\ndata: ${data}\n\n`;
}

export class TopologyFeed {
  readonly source: Source;
  private readonly coalesceMs: number;
  private readonly deltaRingSize: number;
  private readonly deltaRingChars: number;
  private deltaChars = 0;
  private readonly historyStepMs: number;
  private readonly historySize: number;
  private readonly statusCheckMs: number;
  private readonly now: () => number;
  private readonly build: (input: ClusterInput, previous?: Report) => Report;

  private current: Topology;
  private lastInput: ClusterInput | null = null;
  /** The input the published topology was built from (lastInput is set a step before it is published). */
  private servedInput: ClusterInput | null = null;
  private readonly deltas: { seq: number; frame: string }[] = [];
  private readonly history: HistoryPoint[] = [];
  /** The subnets' free addresses over time, for their exhaustion forecasts. */
  readonly subnetHistory: SubnetHistory;
  private readonly listeners = new Set<(event: FeedEvent) => void>();
  private readonly observers = new Set<ChangeObserver>();
  private timer: NodeJS.Timeout | null = null;
  private statusTimer: NodeJS.Timeout | null = null;
  private historyTimer: NodeJS.Timeout | null = null;
  private lastBuildMs = 0;
  /** performance.now() when the last build ended. */
  private lastBuildEnd = Number.NEGATIVE_INFINITY;
  private building = false;
  /** A change came while a build ran: it is scheduled when that build ends. */
  private changedWhileBuilding = false;
  private stopped = false;
  readonly stats: FeedStats = {
    builds: 0,
    buildFailures: 0,
    lastBuildError: null,
    buildSeconds: durationHistogram(
      "eniview_build_duration_seconds",
      "Duration of each step of a topology rebuild: reading the input, the report, the delta.",
      "stage",
    ),
  };
  private ready = false;
  /** What is served is no longer a half-read cluster (see SourceSnapshot.loaded). */
  private loaded = false;
  private readonly startedAt: string;
  /** Streams waiting for the first complete picture: told the progress as it changes, then null. */
  private readonly loadingListeners = new Set<(state: LoadingState | null) => void>();
  private lastLoadingMessage: string | null = null;

  constructor(source: Source, options: FeedOptions = {}) {
    this.source = source;
    this.coalesceMs = options.coalesceMs ?? 100;
    this.deltaRingSize = options.deltaRingSize ?? 256;
    // A one-pod delta is about a kilobyte, so 16 MB still holds the whole ring on a busy cluster; the
    // first build's delta (the whole cluster, 60 MB at 5,000 nodes) leaves at the next change.
    this.deltaRingChars = options.deltaRingChars ?? 16 * 1024 * 1024;
    this.historyStepMs = options.historyStepMs ?? 10_000;
    this.historySize = options.historySize ?? Math.ceil((6 * 3600_000) / this.historyStepMs);
    this.statusCheckMs = options.statusCheckMs ?? 1000;
    this.now = options.now ?? Date.now;
    this.build = options.build ?? buildReport;
    this.subnetHistory = new SubnetHistory(options.forecastWindowMs);
    // A topology exists from the first moment, so a viewer sees "waiting for kubernetes" rather than nothing.
    // Numbering starts at the start time in ms: a browser resuming with an id from an earlier run of the
    // server then always asks for a seq this run never had, and gets a snapshot instead of wrong deltas.
    this.current = this.compose(this.now(), this.build(emptyInput()), source.snapshot());
    this.startedAt = new Date(this.now()).toISOString();
  }

  async start(): Promise<void> {
    this.statusTimer = setInterval(() => this.refreshStatus(), this.statusCheckMs);
    this.statusTimer.unref();
    this.historyTimer = setInterval(() => this.recordHistory(), this.historyStepMs);
    this.historyTimer.unref();
    await this.source.start(() => this.changed());
    // The build that makes the picture complete records the first history point.
    await this.rebuild();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.statusTimer) clearInterval(this.statusTimer);
    if (this.historyTimer) clearInterval(this.historyTimer);
    this.listeners.clear();
    this.observers.clear();
    await this.source.stop();
  }

  topology(): Topology {
    return this.current;
  }

  /** The current topology as plain JSON, in pieces serialised as they are taken (routes/pieces.ts). Only
   * scripts ask for this form (the dashboard loads the compact one), and at 5,000 nodes the whole text is
   * 63 MB, so it is never held as one string. The pieces read the topology of the moment of the call,
   * whatever is published while they are taken. */
  topologyJsonPieces(size?: number): Generator<string> {
    return jsonPieces(this.current, size);
  }

  /** The current topology as one string of plain JSON, for scripts in this process. */
  topologyJson(): string {
    return JSON.stringify(this.current);
  }

  private compactJson: { seq: number; json: string } | null = null;

  /** The current topology in the compact form (model `wire.ts`) the dashboard loads, serialised once per seq. */
  topologyCompactJson(): string {
    if (this.compactJson?.seq !== this.current.seq)
      this.compactJson = { seq: this.current.seq, json: JSON.stringify(encodeTopology(this.current)) };
    return this.compactJson.json;
  }

  /** What a plan starts from: the input the served topology was built from, and that topology's seq and
   * time. Null until the first complete picture (a plan of a half-read cluster would be false). */
  planBase(): { input: ClusterInput; seq: number; generatedAt: string } | null {
    if (!this.loaded || this.servedInput === null) return null;
    return { input: this.servedInput, seq: this.current.seq, generatedAt: this.current.generatedAt };
  }

  isReady(): boolean {
    return this.ready;
  }

  /** Until the first complete picture is built, how far the source's reads got; null from then on. A
   * topology before that is a half-read cluster (no pods yet, no ENIs yet) and is never served. */
  loading(): LoadingState | null {
    if (this.loaded) return null;
    const steps = this.source.progress();
    return { message: loadingMessage(steps), steps, since: this.startedAt };
  }

  /** Calls `listener` with the loading state whenever its message changes, and once with null when the
   * picture is complete (then never again). Returns the unsubscribe function. */
  watchLoading(listener: (state: LoadingState | null) => void): () => void {
    if (this.loaded) {
      listener(null);
      return () => {};
    }
    this.loadingListeners.add(listener);
    return () => this.loadingListeners.delete(listener);
  }

  private tellLoading(): void {
    if (this.loadingListeners.size === 0) return;
    const state = this.loading();
    if (state !== null && state.message === this.lastLoadingMessage) return;
    this.lastLoadingMessage = state?.message ?? null;
    for (const listener of [...this.loadingListeners]) {
      if (state === null) this.loadingListeners.delete(listener);
      try {
        listener(state);
      } catch {
        // One broken stream must not keep the others waiting.
      }
    }
  }

  /** The deltas after `seq` up to now, or null when they are no longer all in the ring. */
  deltasSince(seq: number): string[] | null {
    if (seq === this.current.seq) return [];
    if (seq > this.current.seq) return null;
    const first = this.deltas[0];
    if (!first || first.seq > seq + 1) return null;
    return this.deltas.filter((d) => d.seq > seq).map((d) => d.frame);
  }

  historyPoints(sinceMs: number): HistoryPoint[] {
    return this.history.filter((p) => Date.parse(p.t) >= sinceMs);
  }

  subscribe(listener: (event: FeedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every published change, the first build's included (the recorder keeps them; it is not a viewer). */
  observe(observer: ChangeObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  get viewers(): number {
    return this.listeners.size;
  }

  private changed(): void {
    if (this.stopped) return;
    if (this.building) {
      this.changedWhileBuilding = true;
      return;
    }
    if (this.timer) return;
    // A change waits coalesceMs, so a burst costs one build. After a long build the next one starts no
    // sooner than half that build's CPU time after it ended: a huge, busy cluster keeps the server at most
    // two-thirds busy building, so it still answers requests, while a change after a quiet spell is
    // published one build time after it happened, not two. (Paced by wall time, a 20,000-node server on a
    // machine at a load of 20 waited 6-14 s before each rebuild.)
    const rest = this.lastBuildEnd + this.lastBuildMs / 2 - performance.now();
    const delay = Math.max(this.coalesceMs, rest);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.rebuild();
    }, delay);
    this.timer.unref();
  }

  private async rebuild(): Promise<void> {
    if (this.stopped) return;
    if (this.building) {
      this.changedWhileBuilding = true;
      return;
    }
    this.building = true;
    try {
      const t0 = performance.now();
      const cpu0 = threadMs();
      const snapshot = this.source.snapshot();
      const input = snapshot.input ?? emptyInput();
      const t1 = performance.now();
      let report: Report = this.current;
      if (input !== this.lastInput) {
        try {
          report = this.build(input, this.current);
          this.stats.builds++;
          this.lastInput = input;
        } catch (err) {
          this.stats.buildFailures++;
          this.stats.lastBuildError = (err as Error).message;
        }
      }
      const t2 = performance.now();
      const cpu2 = threadMs();
      // On a big cluster the report and the delta each take a good part of a second: let waiting
      // requests and stream writes through in between.
      await new Promise((resolve) => setImmediate(resolve));
      if (this.stopped) return;
      const t3 = performance.now();
      const cpu3 = threadMs();
      this.publish(this.compose(this.current.seq + 1, report, snapshot));
      if (this.lastInput === input) this.servedInput = input;
      // Ready once what viewers get is built from an input both sources have answered for: /readyz and
      // the first snapshot then agree (a failed build keeps the server unready and says why).
      if (this.servedInput === input) {
        if (snapshot.ready) this.ready = true;
        this.markLoaded(snapshot);
      }
      this.tellLoading();
      const t4 = performance.now();
      const seconds = this.stats.buildSeconds;
      seconds.observe({ stage: "input" }, (t1 - t0) / 1000);
      seconds.observe({ stage: "report" }, (t2 - t1) / 1000);
      seconds.observe({ stage: "delta" }, (t4 - t3) / 1000);
      this.lastBuildMs = cpu2 - cpu0 + (threadMs() - cpu3);
    } finally {
      this.building = false;
      this.lastBuildEnd = performance.now();
      if (this.changedWhileBuilding) {
        this.changedWhileBuilding = false;
        this.changed();
      }
    }
  }

  private refreshStatus(): void {
    if (this.stopped) return;
    const snapshot = this.source.snapshot();
    // The sources turned ready since the last build: readiness waits for the build that takes their data.
    const behind = (snapshot.ready && !this.ready) || (snapshot.loaded && !this.loaded);
    if (behind && snapshot.input !== this.lastInput) this.changed();
    // Loaded without new data (EC2 failed where Kubernetes had answered): what is served already shows it.
    if (snapshot.input === this.servedInput) this.markLoaded(snapshot);
    this.publish(this.compose(this.current.seq + 1, this.current, snapshot));
    this.tellLoading();
  }

  private compose(seq: number, report: Report, snapshot: SourceSnapshot): Topology {
    return {
      cluster: report.cluster,
      summary: report.summary,
      nodes: report.nodes,
      pods: report.pods,
      pending: report.pending,
      subnets: this.subnetHistory.withForecasts(report.subnets),
      zones: report.zones,
      detachedEnis: report.detachedEnis,
      ...(report.cooling ? { cooling: report.cooling } : {}),
      warnings: report.warnings,
      seq,
      generatedAt: new Date(this.now()).toISOString(),
      source: this.source.kind,
      sources: snapshot.sources,
    };
  }

  private publish(next: Topology): void {
    const delta: TopologyDelta | null = diffTopology(this.current, next);
    if (delta === null) return;
    const fromEmpty = this.current.nodes.length === 0 && this.current.pods.length === 0;
    const prev = this.current;
    this.current = next;
    for (const observer of this.observers) observer(prev, next, delta);
    // The first data after start is the whole cluster (60 MB of JSON at 5,000 nodes). With nobody to
    // read it, it is not written out: a viewer that comes later, or resumes from the empty topology, gets
    // a snapshot, since the ring is emptied and holds nothing to resume from.
    if (fromEmpty && this.listeners.size === 0) {
      this.deltas.length = 0;
      this.deltaChars = 0;
      return;
    }
    const frame = sseFrame("delta", JSON.stringify(delta), delta.seq);
    this.deltas.push({ seq: delta.seq, frame });
    this.deltaChars += frame.length;
    // The ring keeps at least the last delta unless it alone is over the bound (the first build's, with
    // the whole cluster in it): a viewer that missed that one is better served by a snapshot.
    while (
      this.deltas.length > this.deltaRingSize ||
      (this.deltaChars > this.deltaRingChars &&
        (this.deltas.length > 1 || frame.length > this.deltaRingChars))
    ) {
      this.deltaChars -= this.deltas.shift()!.frame.length;
    }
    this.emit({ kind: "delta", seq: delta.seq, frame });
  }

  private markLoaded(snapshot: SourceSnapshot): void {
    if (this.loaded || !snapshot.loaded) return;
    this.loaded = true;
    this.recordHistory();
  }

  private recordHistory(): void {
    // Points of a half-read cluster would draw a false drop to zero in the sparkline.
    if (!this.loaded) return;
    const s = this.current.summary;
    const point: HistoryPoint = {
      t: new Date(this.now()).toISOString(),
      nodes: s.nodes,
      enis: s.enisAttached,
      ipsAssigned: s.ipsAssigned,
      ipsUsed: s.ipsUsed,
      ipsWarm: s.ipsWarm,
      podsRunning: s.podsRunning,
      podsPending: s.pendingPods,
    };
    this.pushBounded(this.history, point, this.historySize);
    this.emit({ kind: "history", seq: this.current.seq, frame: sseFrame("history", JSON.stringify(point)) });
    this.subnetHistory.record(this.now(), this.current.subnets);
    // The new forecasts reach viewers as a change of the subnets (a delta only when one moved).
    if (!this.stopped) this.publish(this.compose(this.current.seq + 1, this.current, this.source.snapshot()));
  }

  private pushBounded<T>(list: T[], item: T, max: number): void {
    list.push(item);
    if (list.length > max) list.splice(0, list.length - max);
  }

  private emit(event: FeedEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken viewer must not stop the others; the stream route drops it on its own error.
      }
    }
  }
}
