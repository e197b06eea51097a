// One scheduling decision: filter every node, then prefer the nodes with the fewest untolerated
// PreferNoSchedule taints (TaintToleration carries the highest default score weight, 3), then the highest sum
// of matched preferred node affinity weights (NodeAffinity, weight 2), then the fewest pods
// of the same owner (spread) and among those the least allocated (cpu and memory, with the non-zero defaults); ties go to a
// seeded pick, as kube-scheduler's selectHost picks at random among equal scores. A pod that fits nowhere
// gets the FailedScheduling message kube-scheduler writes.
import type { Random } from "../seeded.ts";
import type { PodScheduling } from "../types.ts";
import {
  effectiveTaints,
  misfit,
  type NodeUsage,
  preferredAffinityScore,
  type ScheduleNode,
  TOO_MANY_PODS,
} from "./nodeFit.ts";
import { untoleratedPreferNoSchedule } from "./taints.ts";

export type Placement<N extends ScheduleNode> =
  | { node: N; message?: undefined }
  | { node?: undefined; message: string };

const NO_VICTIMS = "No preemption victims found for incoming pod";
const NOT_HELPFUL = "Preemption is not helpful for scheduling";

function counted(m: Map<string, number>): string {
  return [...m]
    .map(([reason, n]) => `${n} ${reason}`)
    .sort()
    .join(", ");
}

/** "0/3 nodes are available: 3 Too many pods. preemption: 0/3 nodes are available: 3 No preemption ..." */
export function failureMessage(
  counts: Map<string, number>,
  preemption: Map<string, number>,
  total: number,
): string {
  return `0/${total} nodes are available: ${counted(counts)}. preemption: 0/${total} nodes are available: ${counted(preemption)}.`;
}

/** NodeResourcesLeastAllocated over cpu and memory, scaled to an integer; an unknown (infinite) capacity
 * scores nothing. */
export function leastAllocated(u: NodeUsage, pod: PodScheduling, node: ScheduleNode): number {
  const free = (used: number, want: number, capacity: number) =>
    capacity > 0 && Number.isFinite(capacity) ? Math.max(0, capacity - used - want) / capacity : 0;
  return Math.round(
    1e6 *
      (free(u.cpuScoreMilli, pod.cpuScoreMilli, node.cpuMilli) +
        free(u.memoryScoreBytes, pod.memoryScoreBytes, node.memoryBytes)),
  );
}

/** Where the pod goes, or why it goes nowhere. `nodes` in name order; `pick` draws the tie-break. */
export function chooseNode<N extends ScheduleNode>(
  pod: PodScheduling,
  owner: string | null,
  nodes: readonly N[],
  usageOf: (node: N) => NodeUsage,
  next: Random,
): Placement<N> {
  if (nodes.length === 0) return { message: "no nodes available to schedule pods" };
  const counts = new Map<string, number>();
  const preemption = new Map<string, number>();
  let best: N[] = [];
  let bestAvoid = Number.POSITIVE_INFINITY;
  let bestPreferred = Number.NEGATIVE_INFINITY;
  let bestSpread = Number.POSITIVE_INFINITY;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const node of nodes) {
    const u = usageOf(node);
    const reasons = misfit(pod, node, u);
    if (reasons.length > 0) {
      for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
      const resources = reasons.every((r) => r === TOO_MANY_PODS || r.startsWith("Insufficient"));
      const p = resources ? NO_VICTIMS : NOT_HELPFUL;
      preemption.set(p, (preemption.get(p) ?? 0) + 1);
      continue;
    }
    const avoid = untoleratedPreferNoSchedule(effectiveTaints(node), pod.tolerations);
    const preferred = preferredAffinityScore(pod, node);
    const spread = owner ? (u.owners.get(owner) ?? 0) : 0;
    const score = leastAllocated(u, pod, node);
    const order = avoid - bestAvoid || bestPreferred - preferred || spread - bestSpread || bestScore - score;
    if (order < 0) {
      best = [node];
      bestAvoid = avoid;
      bestPreferred = preferred;
      bestSpread = spread;
      bestScore = score;
    } else if (order === 0) best.push(node);
  }
  if (best.length === 0) return { message: failureMessage(counts, preemption, nodes.length) };
  return { node: best[Math.floor(next() * best.length)] as N };
}

/** The scheduling queue's order: higher priority first, then older, then by name. */
export function schedulingOrder(
  a: { priority: number; createdAt: string; name: string },
  b: { priority: number; createdAt: string; name: string },
): number {
  return b.priority - a.priority || a.createdAt.localeCompare(b.createdAt) || a.name.localeCompare(b.name);
}
