// What the server sends the browser: the report plus freshness, the stream's deltas and the history.
import type {
  CoolingIpReport,
  DetachedEniReport,
  EniReport,
  NodeReport,
  PendingPodReport,
  PodKey,
  PodReport,
  Report,
  ReportSummary,
  SlotReport,
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
  /** EC2 only, on a cluster big enough to be read incrementally: what is re-read when. */
  sweep?: Ec2SweepStatus;
}

/** A big cluster's EC2 data is read in two ways within a budget of calls: the ENIs of nodes that changed at
 * once, and everything else in a sweep spread over minutes. So some data is as old as the sweep. */
export interface Ec2SweepStatus {
  /** Describe calls eni-view allows itself per minute (a share of EC2's refill of 20 a second). */
  budgetPerMinute: number;
  /** How long the last complete sweep took, seconds; null before the first one ended. */
  lastSweepSeconds: number | null;
  /** When the last complete sweep ended (ISO time). */
  lastSweepEnded: string | null;
  /** When the oldest ENI data shown was read (ISO time): no data shown is older. */
  oldestReadAt: string | null;
}

export interface Topology extends Report {
  /** Increases by one with every change; deltas name the seq they produce. */
  seq: number;
  generatedAt: string;
  /** Which kind of source feeds this view: "cluster", "sim", "dump" or "snapshot". */
  source: string;
  sources: Partial<Record<SourceName, SourceStatus>>;
}

/** One read the server must finish before it has the whole cluster (a Kubernetes list, an EC2 describe). */
export interface LoadingStep {
  /** What is read, as people say it: "listing pods", "describing network interfaces". */
  what: string;
  /** The same as a key of the server catalogue (messages/server.en.json) and its values, for a page in
   * another language; absent from servers older than it. */
  label?: { key: string; values?: Record<string, string> };
  /** Items read so far. */
  count: number;
  /** Items in all when the API says (Kubernetes' remainingItemCount on a paged list), else null. */
  total: number | null;
  /** Read completely at least once. */
  complete: boolean;
  /** Why the last attempt failed ("Forbidden: pods"), null when it did not. */
  error: string | null;
}

/** What /api/stream (event `loading`) and /api/topology (503) say until the server has read everything
 * once: nothing is drawn from a half-read cluster. */
export interface LoadingState {
  /** One line for people, in English: "listing pods: 40,000 of 153,000" (loadingMessage of the steps). */
  message: string;
  steps: LoadingStep[];
  /** When the server started reading (ISO time). */
  since: string;
}

/** Changed fields of one object: their new values, and the fields it no longer has. */
export interface FieldPatch<T> {
  set?: Partial<T>;
  unset?: string[];
}

/** An item of a keyed list (pod, subnet, zone ...) that changed: its key and its changed fields. */
export interface ItemPatch<T> extends FieldPatch<T> {
  key: string;
}

/** One ENI of a changed node, by id: changed fields, and either the slots whose pod changed (the same IPs
 * in the same order) or, when IPs were added, removed or moved, the whole slot list. */
export interface EniPatch extends FieldPatch<EniReport> {
  id: string;
  /** [slot index, the slot's new pod] for each slot whose pod changed. */
  pods?: [number, PodKey | null][];
  slots?: SlotReport[];
}

/** A node that changed: its changed fields (`enis` aside), its changed ENIs, the ENIs it gained whole, and the
 * ids of its ENIs in their new order when ENIs came, went or moved. */
export interface NodePatch extends ItemPatch<NodeReport> {
  enis?: EniPatch[];
  addEnis?: EniReport[];
  eniOrder?: string[];
}

/** The change of a keyed list: new items whole, changed items as patches, removed keys; `order` (every key,
 * in the new order) only when the list's order changed in a way inserting new keys cannot tell. */
export interface KeyedChange<T, P extends ItemPatch<T> = ItemPatch<T>> {
  upsert: T[];
  remove: string[];
  patch?: P[];
  order?: string[];
}

/** A change from one Topology to the next, keyed by node name, pod key, subnet id, zone and ENI id, carrying
 * only what changed: a one-pod change is a few hundred bytes however big the cluster. */
export interface TopologyDelta {
  /** Sequence number of the Topology this delta produces; the one before must be seq - 1. */
  seq: number;
  generatedAt: string;
  /** The summary's changed fields. */
  summary?: Partial<ReportSummary>;
  cluster?: Report["cluster"];
  nodes?: KeyedChange<NodeReport, NodePatch>;
  pods?: KeyedChange<PodReport>;
  pending?: KeyedChange<PendingPodReport>;
  subnets?: KeyedChange<SubnetReport>;
  zones?: KeyedChange<ZoneReport>;
  detachedEnis?: KeyedChange<DetachedEniReport>;
  /** Sent whole when they change. */
  warnings?: string[];
  /** By IP: a pod deletion sends its one freed IP, not every IP still cooling. */
  cooling?: KeyedChange<CoolingIpReport>;
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
 *   with `?encoding=compact` a CompactTopology (wire.ts) instead, which `decodeTopology` turns into the Topology;
 * - `event: delta`, `id: <seq>`, data: TopologyDelta (applies to the Topology of seq - 1);
 * - `event: history`, data: HistoryPoint (one per refresh);
 * - a comment line every 15 s as heartbeat.
 * A client that reconnects with Last-Event-ID gets the deltas it missed, or a fresh snapshot.
 * With `?view=overview`: `overview` first (the thin topology of overview.ts and the stream's id), then
 * deltas of the thin topology, and `detail` (NodeDetail) for the nodes set by POST /api/stream/:id/nodes. */
export type StreamEventName = "snapshot" | "delta" | "history";
