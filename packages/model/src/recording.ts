// What a recording of the topology over time is made of, as the server stores it and the page draws it:
// one point of totals per recorded change (the timeline's lines) and the events marked on it. The events
// are read off two consecutive topologies, so the recorder, the tests and any replay agree on them.
import type { Topology, TopologyDelta } from "./api.ts";
import { eventWords, type ServerMessage } from "./messages/serverText.ts";

/** The totals the timeline draws, at one recorded change (t: ms since the epoch). */
export interface TimelinePoint {
  t: number;
  running: number;
  pending: number;
  ipsAssigned: number;
  ipsUsed: number;
  ipsWarm: number;
  enis: number;
  /** DescribeSubnets' available addresses, summed over the subnets the cluster uses. */
  subnetFree: number;
}

export type TimelineEventKind =
  | "scale"
  | "eni-attached"
  | "eni-freed"
  | "first-pending"
  | "all-running"
  | "ec2-throttled"
  | "watch-dropped"
  | "gap";

export interface TimelineEvent {
  t: number;
  kind: TimelineEventKind;
  /** What it is about: a Deployment, a node, an ENI id; "" for the cluster. */
  subject: string;
  /** One line a person reads after the kind's name ("scale step: Deployment/nginx-deployment: 8 -> 30 pods"). */
  text: string;
  /** The same as a key of the server catalogue and its values, for a page in another language; absent
   * from events recorded before it. */
  label?: ServerMessage;
  /** For a gap: when recording resumed (t is when it stopped). For a scale step: the pod counts. */
  until?: number;
  from?: number;
  to?: number;
  /** The node an ENI event is about. */
  node?: string;
}

export interface RecordingInfo {
  id: string;
  name: string;
  /** "ring": always on, bounded by age and size; "named": started and stopped by someone. */
  kind: "ring" | "named";
  source: string;
  startedAt: string;
  /** Null while it records. */
  stoppedAt: string | null;
  expiresAt: string | null;
  /** First and last moments it can rebuild (null before its first frame). */
  from: string | null;
  to: string | null;
  frames: number;
  bytes: number;
  recording: boolean;
}

export interface Timeline {
  recording: RecordingInfo;
  points: TimelinePoint[];
  events: TimelineEvent[];
}

/** Which recorded moment a replayed topology is. */
export interface RecordedMoment {
  recording: string;
  name: string;
  /** The moment asked for. */
  at: string;
  /** When the change shown was recorded (at or before `at`). */
  frameAt: string;
  /** `at` falls in a gap (the server was not running): what is shown is the last moment before it. */
  inGap: boolean;
}

export type RecordedTopology = Topology & { recorded: RecordedMoment };

// The summary of a recording, per scale step (the server computes it, the page and the CLI show it).

export interface LatencyStats {
  pods: number;
  p50: number | null;
  p95: number | null;
  max: number | null;
}

export interface StepSummary {
  at: string;
  owner: string;
  from: number;
  to: number;
  /** "all-running": every pod Running, none Pending; "settled": nothing changed for the rest of the step
   * (or the recording, at least settleQuietMs), with `pendingAtEnd` still Pending; "moving": still
   * changing when it ended. */
  outcome: "all-running" | "settled" | "moving";
  /** Seconds from the step to all Running, or to the last change when it settled. */
  settleSeconds: number | null;
  pendingAtEnd: number;
  peakPending: { total: number; at: string | null; byReason: Record<string, number> };
  enisAttached: number;
  enisFreed: number;
  /** Scheduled -> network ready (the pod's IP), in seconds, from the pods' conditions (1 s resolution). */
  scheduledToIp: LatencyStats;
  subnetConsumed: number;
  ec2Throttled: number;
  /** `why` in English; `whyLabel` the same as a key of the server catalogue, for other languages. */
  slowestNode: { node: string; seconds: number; pods: number; why: string; whyLabel?: ServerMessage } | null;
}

export interface RecordingSummary {
  recording: RecordingInfo;
  steps: StepSummary[];
}

export function timelinePoint(t: number, topology: Topology): TimelinePoint {
  const s = topology.summary;
  let subnetFree = 0;
  for (const subnet of topology.subnets) subnetFree += subnet.availableIps;
  return {
    t,
    running: s.podsRunning,
    pending: s.pendingPods,
    ipsAssigned: s.ipsAssigned,
    ipsUsed: s.ipsUsed,
    ipsWarm: s.ipsWarm,
    enis: s.enisAttached,
    subnetFree,
  };
}

const throttled = (error: string | null | undefined): boolean =>
  error != null && /throttl|RequestLimitExceeded|TooManyRequests|rate exceeded/i.test(error);

const allRunning = (t: Topology): boolean =>
  t.pending.length === 0 && t.pods.length > 0 && t.pods.every((p) => p.phase === "Running");

/** The ENIs IPAMD attaches (device index 1 and up; the primary ENI comes with the instance), by node. */
function eniIds(topology: Topology, names: ReadonlySet<string> | null): Map<string, string> {
  const ids = new Map<string, string>();
  for (const node of topology.nodes) {
    if (names !== null && !names.has(node.name)) continue;
    for (const eni of node.enis) if (eni.deviceIndex !== 0) ids.set(eni.id, node.name);
  }
  return ids;
}

/** The nodes a delta touches, or null (all of them) without a delta. */
function touchedNodes(delta: TopologyDelta | null): Set<string> | null {
  if (delta === null) return null;
  const names = new Set<string>();
  const nodes = delta.nodes;
  if (!nodes) return names;
  for (const n of nodes.upsert) names.add(n.name);
  for (const n of nodes.remove) names.add(n);
  for (const p of nodes.patch ?? []) names.add(p.key);
  return names;
}

/** The events between two consecutive topologies (t: when `next` was made). Scale steps need a
 * window of time to tell a `kubectl scale` from pods being replaced: see `OwnerCounts`. */
export function changeEvents(
  prev: Topology,
  next: Topology,
  t: number,
  delta: TopologyDelta | null = null,
): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  const names = touchedNodes(delta);
  // Before EC2 first answered, the nodes' ENIs were not known, not absent.
  const enisKnown = prev.sources.ec2?.lastSuccess != null;
  if (enisKnown && (names === null || names.size > 0)) {
    const before = eniIds(prev, names);
    const after = eniIds(next, names);
    for (const [id, node] of after)
      if (!before.has(id))
        events.push({
          t,
          kind: "eni-attached",
          subject: id,
          ...eventWords("eniAttached", { eni: id, node }),
          node,
        });
    for (const [id, node] of before)
      if (!after.has(id))
        events.push({
          t,
          kind: "eni-freed",
          subject: id,
          ...eventWords("eniFreed", { eni: id, node }),
          node,
        });
  }
  if (prev.pending.length === 0 && next.pending.length > 0) {
    const first = next.pending[0]!;
    events.push({
      t,
      kind: "first-pending",
      subject: `${first.namespace}/${first.name}`,
      ...eventWords("firstPending", { pod: `${first.namespace}/${first.name}`, reason: first.reason }),
    });
  }
  if (!allRunning(prev) && allRunning(next))
    events.push({
      t,
      kind: "all-running",
      subject: "",
      ...eventWords("allRunning", { count: next.pods.length }),
    });
  const was = prev.sources.ec2?.error;
  const is = next.sources.ec2?.error;
  if (throttled(is) && !throttled(was))
    events.push({ t, kind: "ec2-throttled", subject: "ec2", text: String(is) });
  return events;
}

/** Pods (placed or Pending) per controlling owner. */
export function ownerPodCounts(topology: Topology): Map<string, number> {
  const counts = new Map<string, number>();
  for (const list of [topology.pods, topology.pending])
    for (const p of list) if (p.owner !== null) counts.set(p.owner, (counts.get(p.owner) ?? 0) + 1);
  return counts;
}

/** Tells scale steps from pod counts over time. A `kubectl scale` (or a node group resize that brings
 * pods) changes an owner's count within moments; a replaced pod changes it by one and back. A step is
 * told once the owner's count has stayed put for `settleMs`: its time is the first change, and a count
 * that came back where it was is no step. */
export class OwnerCounts {
  private counts = new Map<string, number>();
  private readonly moving = new Map<string, { t: number; from: number; last: number }>();
  private readonly settleMs: number;

  constructor(settleMs = 1500) {
    this.settleMs = settleMs;
  }

  /** Starts from a topology without telling steps (the first moment of a recording). */
  reset(topology: Topology): void {
    this.counts = ownerPodCounts(topology);
    this.moving.clear();
  }

  observe(t: number, topology: Topology): void {
    const next = ownerPodCounts(topology);
    for (const owner of new Set([...this.counts.keys(), ...next.keys()])) {
      const a = this.counts.get(owner) ?? 0;
      const b = next.get(owner) ?? 0;
      if (a === b) continue;
      const m = this.moving.get(owner);
      if (m) m.last = t;
      else this.moving.set(owner, { t, from: a, last: t });
    }
    this.counts = next;
  }

  /** The steps whose counts have settled by `now` (all of them when `flush`). */
  settled(now: number, flush = false): TimelineEvent[] {
    const events: TimelineEvent[] = [];
    for (const [owner, m] of this.moving) {
      if (!flush && now - m.last < this.settleMs) continue;
      this.moving.delete(owner);
      const to = this.counts.get(owner) ?? 0;
      if (to === m.from) continue;
      events.push({
        t: m.t,
        kind: "scale",
        subject: owner,
        ...eventWords("scale", { owner, from: m.from, to }),
        from: m.from,
        to,
      });
    }
    return events;
  }
}
