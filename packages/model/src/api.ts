// What the server sends the browser: the report plus freshness, the stream's deltas and the history.
import type {
  DetachedEniReport,
  NodeReport,
  PendingPodReport,
  PodKey,
  PodReport,
  Report,
  ReportSummary,
  SubnetReport,
  ZoneReport,
} from "./types.ts";

export type SourceName = "kubernetes" | "ec2" | "dump";

export interface SourceStatus {
  /** True when the data shown is older than the source's refresh interval or its last read failed. */
  stale: boolean;
  /** Short error code or message of the last failure ("RequestLimitExceeded", "Forbidden: pods"), null when healthy. */
  error: string | null;
  /** When the current failure started (ISO time), null when healthy. */
  since: string | null;
  /** Last successful read (ISO time). */
  lastSuccess: string | null;
}

export interface Topology extends Report {
  /** Increases by one with every change; deltas name the seq they produce. */
  seq: number;
  generatedAt: string;
  /** Which kind of source feeds this view: "cluster", "sim", "dump" or "snapshot". */
  source: string;
  sources: Partial<Record<SourceName, SourceStatus>>;
}

/** A change from one Topology to the next, keyed by node name and pod key. */
export interface TopologyDelta {
  /** Sequence number of the Topology this delta produces; the one before must be seq - 1. */
  seq: number;
  generatedAt: string;
  summary?: ReportSummary;
  cluster?: Report["cluster"];
  nodes?: { upsert: NodeReport[]; remove: string[] };
  pods?: { upsert: PodReport[]; remove: PodKey[] };
  pending?: { upsert: PendingPodReport[]; remove: PodKey[] };
  /** Small lists are sent whole when they change. */
  subnets?: SubnetReport[];
  zones?: ZoneReport[];
  detachedEnis?: DetachedEniReport[];
  warnings?: string[];
  sources?: Topology["sources"];
}

export interface HistoryPoint {
  /** ISO time. */
  t: string;
  nodes: number;
  enis: number;
  ipsAssigned: number;
  ipsUsed: number;
  ipsWarm: number;
  podsRunning: number;
  podsPending: number;
}

/** The server's stream (GET /api/stream, server-sent events):
 * - `event: snapshot`, `id: <seq>`, data: Topology (always first, and after a resume that cannot be served);
 * - `event: delta`, `id: <seq>`, data: TopologyDelta (applies to the Topology of seq - 1);
 * - `event: history`, data: HistoryPoint (one per refresh);
 * - a comment line every 15 s as heartbeat.
 * A client that reconnects with Last-Event-ID gets the deltas it missed, or a fresh snapshot. */
export type StreamEventName = "snapshot" | "delta" | "history";
