// What the Plan panel offers and says, from the live view and the planner's reply. Pure.
import type { PendingReason, PlanNode, PlanReply, Range, Topology } from "@eni-view/model";

export interface WorkloadChoice {
  /** What the plan query names: "namespace/name", or "statefulset/namespace/name". */
  ref: string;
  label: string;
  /** Pods it has now, Pending ones included. */
  pods: number;
}

const scalable: Record<string, string> = {
  Deployment: "",
  StatefulSet: "statefulset/",
  ReplicaSet: "replicaset/",
};

/** The workloads a plan can scale: owners of the cluster's pods, by how many pods they have. */
export function workloadChoices(t: Pick<Topology, "pods" | "pending">): WorkloadChoice[] {
  const found = new Map<string, WorkloadChoice>();
  for (const p of [...t.pods, ...t.pending]) {
    const [kind, name] = (p.owner ?? "").split("/");
    const prefix = kind === undefined ? undefined : scalable[kind];
    if (prefix === undefined || !name) continue;
    const ref = `${prefix}${p.namespace}/${name}`;
    const c = found.get(ref) ?? { ref, label: `${kind} ${p.namespace}/${name}`, pods: 0 };
    c.pods++;
    found.set(ref, c);
  }
  return [...found.values()].sort((a, b) => b.pods - a.pods || a.ref.localeCompare(b.ref));
}

export interface NodeGroupChoice {
  name: string;
  nodes: number;
  /** Its nodes' instance types, most common first. */
  types: string[];
}

export function nodeGroupChoices(t: Pick<Topology, "nodes">): NodeGroupChoice[] {
  const groups = new Map<string, { nodes: number; types: Map<string, number> }>();
  for (const n of t.nodes) {
    if (!n.nodeGroup) continue;
    const g = groups.get(n.nodeGroup) ?? { nodes: 0, types: new Map() };
    g.nodes++;
    if (n.instanceType) g.types.set(n.instanceType, (g.types.get(n.instanceType) ?? 0) + 1);
    groups.set(n.nodeGroup, g);
  }
  return [...groups]
    .map(([name, g]) => ({
      name,
      nodes: g.nodes,
      types: [...g.types].sort((a, b) => b[1] - a[1]).map(([type]) => type),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

const differs = (r: Range) => r.min !== r.max;

export type RangedFigure = "enis" | "ips" | "prefixes" | "warm" | "pods";

/** Where the seeds disagree, per node: which figures differ and between what. */
export function seedRanges(nodes: readonly PlanNode[]): { node: string; figures: [RangedFigure, Range][] }[] {
  const out: { node: string; figures: [RangedFigure, Range][] }[] = [];
  for (const n of nodes) {
    if (n.fate === "removed") continue;
    const figures: [RangedFigure, Range][] = [];
    if (differs(n.enis)) figures.push(["enis", n.enis]);
    if (differs(n.assigned)) figures.push([n.unit === "prefix" ? "prefixes" : "ips", n.assigned]);
    if (differs(n.warm)) figures.push(["warm", n.warm]);
    if (differs(n.pods)) figures.push(["pods", n.pods]);
    if (figures.length > 0) out.push({ node: n.name, figures });
  }
  return out;
}

export interface PendingLine {
  count: number;
  owner: string;
  reason: PendingReason;
  message: string;
  /** In how many seeds, when not all. */
  seeds: number;
}

/** The plan's new Pending pods grouped by owner, reason and message (the tray's grouping). */
export function newPendingLines(reply: Pick<PlanReply, "pending" | "seeds">): PendingLine[] {
  const groups = new Map<string, PendingLine>();
  for (const p of reply.pending) {
    if (p.already) continue;
    const owner = p.owner ?? `${p.namespace}/${p.name}`;
    const key = `${owner}\u0000${p.reason}\u0000${p.message}\u0000${p.seeds}`;
    const g = groups.get(key) ?? { count: 0, owner, reason: p.reason, message: p.message, seeds: p.seeds };
    g.count++;
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}
