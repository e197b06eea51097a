// What changed between two recorded moments, in the terms a scale-test review uses: the totals, the
// nodes that came and went, each node's ENIs and pods, and Pending by reason. Pure; the page lists it and
// lights the nodes that changed on the map.
import type { Topology } from "@eni-view/model";

export interface Change {
  label: string;
  a: number;
  b: number;
}

export interface MomentDiff {
  totals: Change[];
  nodesAdded: string[];
  nodesRemoved: string[];
  /** Per node present at both moments: ENIs or pods that differ. */
  nodes: { name: string; enis: Change | null; pods: Change | null }[];
  pending: Change[];
  /** Every node named above. */
  changed: Set<string>;
}

const totals: { label: string; get: (t: Topology) => number }[] = [
  { label: "nodes", get: (t) => t.summary.nodes },
  { label: "pods running", get: (t) => t.summary.podsRunning },
  { label: "pods pending", get: (t) => t.summary.pendingPods },
  { label: "ENIs attached", get: (t) => t.summary.enisAttached },
  { label: "IPs assigned", get: (t) => t.summary.ipsAssigned },
  { label: "IPs used", get: (t) => t.summary.ipsUsed },
  { label: "IPs warm", get: (t) => t.summary.ipsWarm },
  { label: "subnet free", get: (t) => t.subnets.reduce((n, s) => n + s.availableIps, 0) },
];

const change = (label: string, a: number, b: number): Change | null => (a === b ? null : { label, a, b });

export function compareMoments(a: Topology, b: Topology): MomentDiff {
  const before = new Map(a.nodes.map((n) => [n.name, n]));
  const after = new Map(b.nodes.map((n) => [n.name, n]));
  const nodesAdded = [...after.keys()].filter((n) => !before.has(n));
  const nodesRemoved = [...before.keys()].filter((n) => !after.has(n));
  const nodes: MomentDiff["nodes"] = [];
  for (const [name, nb] of after) {
    const na = before.get(name);
    if (!na) continue;
    const enis = change("ENIs", na.enis.length, nb.enis.length);
    const pods = change("pods", na.pods, nb.pods);
    if (enis || pods) nodes.push({ name, enis, pods });
  }
  const reasons = (t: Topology) => {
    const m = new Map<string, number>();
    for (const p of t.pending) m.set(p.reason, (m.get(p.reason) ?? 0) + 1);
    return m;
  };
  const ra = reasons(a);
  const rb = reasons(b);
  const pending = [...new Set([...ra.keys(), ...rb.keys()])]
    .sort()
    .map((r) => change(r, ra.get(r) ?? 0, rb.get(r) ?? 0))
    .filter((c): c is Change => c !== null);
  return {
    totals: totals.map((x) => change(x.label, x.get(a), x.get(b))).filter((c): c is Change => c !== null),
    nodesAdded,
    nodesRemoved,
    nodes,
    pending,
    changed: new Set([...nodesAdded, ...nodesRemoved, ...nodes.map((n) => n.name)]),
  };
}
