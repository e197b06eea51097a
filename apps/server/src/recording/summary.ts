// The summary of a recorded scale test, one entry per scale step (a replicas change seen on the
// timeline): how long until every pod ran (or until it settled with some Pending), the peak Pending by
// reason, the ENIs attached and freed, scheduled -> IP from the pods' own conditions, the subnet
// addresses consumed, EC2 throttling, and the slowest node with what happened on it. Read from a
// recording's frames, events and pod timings; the same for the API, the page and the CLI.
import { promisify } from "node:util";
import { gunzip as gunzipCb } from "node:zlib";
import {
  applyDelta,
  decodeTopology,
  type LatencyStats,
  type RecordingSummary,
  type ServerMessage,
  type ServerSay,
  type StepSummary,
  serverEnglish,
  type TimelineEvent,
  type TimelinePoint,
  type Topology,
  type TopologyDelta,
} from "@eni-view/model";
import { type PodTiming, RecordingError, RecordingFileError, RecordingStore } from "./recordingStore.ts";

const gunzip = promisify(gunzipCb);

/** One recorded change, reduced to what the summary reads. */
export interface Moment {
  t: number;
  point: TimelinePoint;
  pendingByReason: Record<string, number>;
  allRunning: boolean;
}

function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

export function latencyStats(seconds: number[]): LatencyStats {
  const sorted = [...seconds].sort((a, b) => a - b);
  return {
    pods: sorted.length,
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    max: sorted.at(-1) ?? null,
  };
}

/** The moment of a topology, for the summary. */
export function momentOf(t: number, topology: Topology, point: TimelinePoint): Moment {
  const pendingByReason: Record<string, number> = {};
  for (const p of topology.pending) pendingByReason[p.reason] = (pendingByReason[p.reason] ?? 0) + 1;
  return {
    t,
    point,
    pendingByReason,
    allRunning: topology.pending.length === 0 && topology.pods.every((p) => p.phase === "Running"),
  };
}

/** A step with nothing changing for this long has settled. */
export const settleQuietMs = 5_000;

const sameTotals = (a: TimelinePoint, b: TimelinePoint) =>
  a.running === b.running && a.pending === b.pending && a.enis === b.enis && a.ipsAssigned === b.ipsAssigned;

/** The summary from what a recording holds (pure: the tests build its inputs by hand too). */
export function summarize(
  moments: readonly Moment[],
  events: readonly TimelineEvent[],
  pods: readonly PodTiming[],
  end: number,
): StepSummary[] {
  const steps = events.filter((e) => e.kind === "scale").sort((a, b) => a.t - b.t);
  return steps.map((step, i) => {
    const next = steps[i + 1]?.t;
    const until = next ?? end;
    // The last step runs to the end of the recording, its last moment included.
    const inStep = moments.filter((m) => m.t >= step.t && (next === undefined ? m.t <= end : m.t < next));
    const before = [...moments].reverse().find((m) => m.t < step.t) ?? inStep[0];
    const last = inStep.at(-1) ?? before;
    const allRunning = inStep.find((m) => m.allRunning && m.t > step.t);
    let outcome: StepSummary["outcome"];
    let settledAt: number | null;
    if (allRunning) {
      outcome = "all-running";
      settledAt = allRunning.t;
    } else {
      // The last moment whose totals differ from the one before it: nothing moved after it.
      let lastChange = step.t;
      for (let j = 1; j < inStep.length; j++)
        if (!sameTotals(inStep[j]!.point, inStep[j - 1]!.point)) lastChange = inStep[j]!.t;
      const quietFor = until - lastChange;
      outcome = quietFor >= settleQuietMs ? "settled" : "moving";
      settledAt = outcome === "settled" ? lastChange : null;
    }
    let peak: StepSummary["peakPending"] = { total: 0, at: null, byReason: {} };
    for (const m of inStep)
      if (m.point.pending > peak.total)
        peak = { total: m.point.pending, at: new Date(m.t).toISOString(), byReason: m.pendingByReason };
    const stepEvents = events.filter((e) => e.t >= step.t && e.t < until);
    const latencies = pods.filter(
      (p) => p.seenAt >= step.t && p.seenAt < until && p.scheduledAt !== null && p.networkAt !== null,
    );
    const seconds = latencies.map((p) => Math.max(0, (p.networkAt! - p.scheduledAt!) / 1000));
    let minFree = before?.point.subnetFree ?? 0;
    for (const m of inStep) minFree = Math.min(minFree, m.point.subnetFree);
    return {
      at: new Date(step.t).toISOString(),
      owner: step.subject,
      from: step.from ?? 0,
      to: step.to ?? 0,
      outcome,
      settleSeconds: settledAt === null ? null : (settledAt - step.t) / 1000,
      pendingAtEnd: last?.point.pending ?? 0,
      peakPending: peak,
      enisAttached: stepEvents.filter((e) => e.kind === "eni-attached").length,
      enisFreed: stepEvents.filter((e) => e.kind === "eni-freed").length,
      scheduledToIp: latencyStats(seconds),
      subnetConsumed: Math.max(0, (before?.point.subnetFree ?? minFree) - minFree),
      ec2Throttled: stepEvents.filter((e) => e.kind === "ec2-throttled").length,
      slowestNode: slowestNode(latencies, stepEvents),
    };
  });
}

/** The node whose pods waited longest for an IP, and what the recording saw happen on it meanwhile. */
function slowestNode(
  pods: readonly PodTiming[],
  events: readonly TimelineEvent[],
): StepSummary["slowestNode"] {
  const byNode = new Map<string, PodTiming[]>();
  for (const p of pods) byNode.set(p.node, [...(byNode.get(p.node) ?? []), p]);
  let worst: { node: string; pod: PodTiming; seconds: number } | null = null;
  for (const [node, list] of byNode)
    for (const p of list) {
      const seconds = (p.networkAt! - p.scheduledAt!) / 1000;
      if (!worst || seconds > worst.seconds) worst = { node, pod: p, seconds };
    }
  if (!worst || worst.seconds <= 0) return null;
  const { node, pod } = worst;
  const during = events.filter((e) => e.t >= pod.scheduledAt! - 1000 && e.t <= pod.seenAt);
  const attached = during.filter((e) => e.kind === "eni-attached" && e.node === node);
  const throttled = during.filter((e) => e.kind === "ec2-throttled");
  const whyLabel: ServerMessage =
    attached.length > 0
      ? {
          key: "summary.why.attached",
          values: { pod: pod.pod, enis: attached.map((e) => e.subject).join(", ") },
        }
      : throttled.length > 0
        ? { key: "summary.why.throttled", values: { pod: pod.pod, error: throttled[0]!.text } }
        : { key: "summary.why.none", values: { pod: pod.pod } };
  const why = serverEnglish(whyLabel.key, whyLabel.values ?? {});
  return { node, seconds: worst.seconds, pods: byNode.get(node)!.length, why, whyLabel };
}

/** Walks every recorded change in order, rebuilding each moment from its keyframe and deltas. */
export async function recordedMoments(store: RecordingStore, id: string): Promise<Moment[]> {
  const points = store.points(id);
  const moments: Moment[] = [];
  let topology: Topology | null = null;
  let i = 0;
  for (const frame of store.frames(id)) {
    let json: unknown;
    try {
      json = JSON.parse((await gunzip(RecordingStore.data(frame))).toString("utf8"));
      topology =
        frame.kind === "key"
          ? decodeTopology(json)
          : topology
            ? applyDelta(topology, json as TopologyDelta)
            : null;
    } catch (err) {
      throw new RecordingFileError("frameDamaged", { frame: frame.n, error: (err as Error).message });
    }
    const point = points[i++];
    if (topology && point) moments.push(momentOf(frame.t, topology, point));
  }
  return moments;
}

export async function summaryOf(
  store: RecordingStore,
  id: string,
  active: ReadonlySet<string> = new Set(),
): Promise<RecordingSummary> {
  const recording = store.info(id, active);
  if (!recording) throw new RecordingError(404, "recording-not-found", "notFound");
  const moments = await recordedMoments(store, id);
  const end = recording.recording ? Date.now() : Date.parse(recording.to ?? recording.startedAt);
  return { recording, steps: summarize(moments, store.events(id), store.pods(id), end) };
}

/** The summary as Markdown, to paste into a review; `say` words it (English by default, the server's
 * catalogue in another language for the CLI). */
export function summaryMarkdown(s: RecordingSummary, say: ServerSay = serverEnglish): string {
  const num = (n: number | null) =>
    n === null ? "–" : say("summary.seconds", { n: Number.isInteger(n) ? n : n.toFixed(1) });
  const r = s.recording;
  const span = { from: r.from ?? "?", to: r.to ?? "?" };
  const lines = [
    `## ${r.kind === "ring" ? say("summary.title.ring", span) : say("summary.title.named", { ...span, name: r.name })}`,
    "",
  ];
  if (s.steps.length === 0) {
    lines.push(say("summary.none", {}));
    return `${lines.join("\n")}\n`;
  }
  lines.push(say("summary.header", {}), "|---|---|---|---|---|---|---|---|---|");
  for (const st of s.steps) {
    const result =
      st.outcome === "all-running"
        ? say("summary.allRunning", { seconds: num(st.settleSeconds) })
        : st.outcome === "settled"
          ? say("summary.settled", { seconds: num(st.settleSeconds), pending: st.pendingAtEnd })
          : say("summary.moving", { pending: st.pendingAtEnd });
    const reasons = Object.entries(st.peakPending.byReason)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ");
    const l = st.scheduledToIp;
    const n = st.slowestNode;
    const why = n?.whyLabel ? say(n.whyLabel.key, n.whyLabel.values ?? {}) : n?.why;
    const slow = n ? `${n.node} (${num(n.seconds)}): ${why}` : "–";
    lines.push(
      `| ${st.owner}: ${st.from} → ${st.to} | ${st.at} | ${result} | ${st.peakPending.total}${reasons ? ` (${reasons})` : ""} | ${st.enisAttached} / ${st.enisFreed} | ${num(l.p50)} / ${num(l.p95)} / ${num(l.max)} (${say("summary.pods", { count: l.pods })}) | ${st.subnetConsumed} | ${st.ec2Throttled} | ${slow.replaceAll("|", "\\|")} |`,
    );
  }
  return `${lines.join("\n")}\n`;
}
