// What a plan changes, in the terms the map marks: ENIs the plan attaches, pods it adds or moves to
// another node, pods it leaves Pending that are not Pending now, and nodes it replaces or adds. Pure;
// the map draws the marks (draw/planMarks.ts) and the Plan panel counts them.
import type { NodeReport, PendingPodReport, PodKey, PodReport } from "@eni-view/model";

/** The parts of a report a diff reads. */
export interface PlanSide {
  nodes: readonly NodeReport[];
  pods: readonly PodReport[];
  pending: readonly PendingPodReport[];
}

/** Per node of the planned cluster, what is new there. */
export interface NodePlanMarks {
  /** ENI ids attached in the plan that the node does not have now. */
  newEnis: ReadonlySet<string>;
  /** Pods placed here in the plan that do not exist now. */
  newPods: ReadonlySet<PodKey>;
  /** Pods that exist now on another node. */
  movedPods: ReadonlySet<PodKey>;
  /** A node the plan adds. */
  added: boolean;
  /** A node the plan replaces (a roll-over): drawn in the "before" picture with this mark. */
  replaced: boolean;
}

export interface PlanDiff {
  /** Marks per node name, on either side (a replaced node is marked where it exists: before). */
  byNode: ReadonlyMap<string, NodePlanMarks>;
  newEnis: number;
  newPods: number;
  movedPods: number;
  /** Pending in the plan and not Pending now. */
  newPending: ReadonlySet<PodKey>;
  addedNodes: string[];
  replacedNodes: string[];
}

const key = (p: { namespace: string; name: string }): PodKey => `${p.namespace}/${p.name}`;

/** `replaced` names the nodes the plan replaces (the planner says which); a node present now and absent
 * from the plan counts as replaced too. */
export function planDiff(before: PlanSide, after: PlanSide, replaced: readonly string[] = []): PlanDiff {
  const nodesBefore = new Map(before.nodes.map((n) => [n.name, n]));
  const nodesAfter = new Set(after.nodes.map((n) => n.name));
  const podNode = new Map(before.pods.map((p) => [key(p), p.node]));
  const pendingBefore = new Set(before.pending.map(key));
  const replacedSet = new Set(replaced);
  for (const name of nodesBefore.keys()) if (!nodesAfter.has(name)) replacedSet.add(name);

  const newPods = new Map<string, Set<PodKey>>();
  const movedPods = new Map<string, Set<PodKey>>();
  let newPodCount = 0;
  let movedCount = 0;
  for (const p of after.pods) {
    const k = key(p);
    const was = podNode.get(k);
    if (was === p.node) continue;
    const into = was === undefined ? newPods : movedPods;
    const set = into.get(p.node) ?? new Set<PodKey>();
    into.set(p.node, set.add(k));
    if (was === undefined) newPodCount++;
    else movedCount++;
  }

  const byNode = new Map<string, NodePlanMarks>();
  const empty: ReadonlySet<string> = new Set();
  let newEniCount = 0;
  const addedNodes: string[] = [];
  for (const n of after.nodes) {
    const prev = nodesBefore.get(n.name);
    const had = new Set(prev?.enis.map((e) => e.id) ?? []);
    const newEnis = prev ? new Set(n.enis.filter((e) => !had.has(e.id)).map((e) => e.id)) : empty;
    newEniCount += prev ? newEnis.size : n.enis.length;
    if (!prev) addedNodes.push(n.name);
    const marks: NodePlanMarks = {
      newEnis,
      newPods: newPods.get(n.name) ?? empty,
      movedPods: movedPods.get(n.name) ?? empty,
      added: !prev,
      replaced: replacedSet.has(n.name),
    };
    if (marks.added || marks.replaced || newEnis.size || marks.newPods.size || marks.movedPods.size)
      byNode.set(n.name, marks);
  }
  for (const name of replacedSet) {
    if (byNode.has(name) || !nodesBefore.has(name)) continue;
    byNode.set(name, { newEnis: empty, newPods: empty, movedPods: empty, added: false, replaced: true });
  }
  const newPending = new Set(after.pending.map(key).filter((k) => !pendingBefore.has(k)));
  return {
    byNode,
    newEnis: newEniCount,
    newPods: newPodCount,
    movedPods: movedCount,
    newPending,
    addedNodes,
    replacedNodes: [...replacedSet].filter((n) => nodesBefore.has(n)).sort(),
  };
}
