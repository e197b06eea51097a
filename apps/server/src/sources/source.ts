// The one seam between where cluster data comes from (a live cluster, the simulator, a capture folder)
// and the feed that turns it into topologies. A source keeps its own last good data and its own
// health; it never throws to its caller once started.
import {
  type ClusterInput,
  type LoadingStep,
  type ServerMessage,
  type SourceName,
  type SourceStatus,
  serverMessage,
} from "@eni-view/model";
import { type DurationHistogram, durationHistogram } from "../metrics/durations.ts";

/** What a source holds right now. `input` is null until it has anything to show. */
export interface SourceSnapshot {
  input: ClusterInput | null;
  sources: Partial<Record<SourceName, SourceStatus>>;
  /** Every half has answered at least once (readyz). */
  ready: boolean;
  /** The picture is no half-read cluster: everything it is drawn from has been read once, and what could
   * not be (EC2 unreachable while Kubernetes answered) has failed at least once and is marked stale.
   * Until then viewers get the loading progress, not a topology. */
  loaded: boolean;
}

/** Counters the /metrics route exposes; a source fills what applies to it. */
export interface SourceCounters {
  /** EC2 calls by action, attempts included. */
  ec2Calls: Record<string, number>;
  ec2Throttles: Record<string, number>;
  ec2Errors: Record<string, number>;
  /** Calls the last finished EC2 refresh made. */
  ec2CallsLastRefresh: number;
  ec2Refreshes: number;
  /** Durations (seconds) of refreshes (EC2 rounds, Kubernetes lists, capture reads) by source half. */
  refreshSeconds: DurationHistogram;
  /** Watch restarts by "resource/reason" (reason: gone, closed, quiet, error). */
  watchRestarts: Record<string, number>;
  /** Complete initial states read, by "resource/method" (method: watch-list, list). */
  initialLists: Record<string, number>;
  /** The EC2 call budget as it stands now; null for a source that makes no EC2 calls. */
  ec2Budget: (() => Ec2BudgetReading) | null;
}

export interface Ec2BudgetReading {
  /** Calls allowed in any minute. */
  perMinute: number;
  /** Calls made in the last 60 s (every call, retries included). */
  callsLastMinute: number;
  /** The cluster is read incrementally (changed nodes, and a sweep). */
  incremental: boolean;
  lastSweepSeconds: number | null;
  /** Age of the oldest ENI data shown. */
  oldestDataSeconds: number | null;
}

/** A source cannot start because of how it was configured (no kubeconfig, unknown scenario ...): the
 * user's to fix, so commands report it in one line with exit code 2. */
export class SourceConfigError extends Error {
  readonly code: string = "source-config";
  /** The message as a key of the model's server catalogue, when it has one (the CLI says it in its
   * language); null for words that come from elsewhere (the AWS SDK's credential chain). */
  readonly said: ServerMessage | null;
  constructor(message: string | ServerMessage | null, english?: string) {
    const said = message === null || typeof message === "string" ? null : message;
    super(said ? (english ?? serverMessage(said.key, said.values).text) : ((message as string | null) ?? ""));
    this.said = said;
  }
}

export interface Source {
  /** "cluster", "sim" or "dump": shown to viewers as Topology.source. */
  readonly kind: string;
  /** Starts reading; `onChange` is called (possibly often) whenever data or health changed. */
  start(onChange: () => void): Promise<void>;
  snapshot(): SourceSnapshot;
  /** How far the reads that make the first complete picture got (shown until the server is ready). */
  progress(): LoadingStep[];
  counters(): SourceCounters;
  stop(): Promise<void>;
}

export function emptyCounters(): SourceCounters {
  return {
    ec2Calls: {},
    ec2Throttles: {},
    ec2Errors: {},
    ec2CallsLastRefresh: 0,
    ec2Refreshes: 0,
    refreshSeconds: durationHistogram(
      "eniview_refresh_duration_seconds",
      "Duration of source refreshes (an EC2 round, a Kubernetes relist, a capture read).",
      "source",
    ),
    watchRestarts: {},
    initialLists: {},
    ec2Budget: null,
  };
}

export function bump(counter: Record<string, number>, key: string, by = 1): void {
  counter[key] = (counter[key] ?? 0) + by;
}

/** Tracks one half's health the way SourceStatus reports it. */
export class HealthTracker {
  private lastSuccessAt: number | null = null;
  private failure: { error: string; since: number } | null = null;
  private readonly staleAfterMs: number;
  private readonly now: () => number;

  constructor(staleAfterMs: number, now: () => number = Date.now) {
    this.staleAfterMs = staleAfterMs;
    this.now = now;
  }

  succeeded(): void {
    this.lastSuccessAt = this.now();
    this.failure = null;
  }

  failed(error: string): void {
    if (this.failure === null) this.failure = { error, since: this.now() };
    else this.failure.error = error;
  }

  get answered(): boolean {
    return this.lastSuccessAt !== null;
  }

  get error(): string | null {
    return this.failure?.error ?? null;
  }

  status(): SourceStatus {
    const old = this.lastSuccessAt === null || this.now() - this.lastSuccessAt > this.staleAfterMs;
    return {
      stale: this.failure !== null || old,
      error: this.failure?.error ?? null,
      since: this.failure ? new Date(this.failure.since).toISOString() : null,
      lastSuccess: this.lastSuccessAt === null ? null : new Date(this.lastSuccessAt).toISOString(),
    };
  }
}
