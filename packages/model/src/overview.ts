// The overview a page gets first on a cluster too big to send whole (100,000 nodes, 800,000 pods): every
// node with its numbers (pods, max pods, IPs assigned, used and warm, pods waiting for an IP, status,
// problems) but without its ENIs, slots and pods, plus totals per zone and node group; and, for the nodes
// a page has in view, their detail exactly as the whole topology has it. A thin node says what was left
// out (`omitted`), so a page draws it from its numbers and never as a node without ENIs.
import type { Topology } from "./api.ts";
import type { NodeReport, PodReport } from "./types.ts";

/** Per zone and node group: what the overview's group headings and heat map sum. */
export interface GroupTotals {
  zone: string | null;
  nodeGroup: string | null;
  nodes: number;
  pods: number;
  /** Sum of the nodes' kubelet max pods (nodes whose max pods is unknown add nothing). */
  maxPods: number;
  ipsAssigned: number;
  ipsUsed: number;
  ipsWarm: number;
  podsWaitingForIp: number;
  enis: number;
  notReady: number;
}

/** A thin topology: nodes without detail, no pod list (pending pods stay: the tray needs them). */
export interface OverviewTopology extends Topology {
  groups: GroupTotals[];
}

/** Thin nodes made once per node object: a rebuild keeps unchanged nodes' objects, so their thin
 * copies are kept too and a diff of two overviews skips them by identity. */
export type ThinCache = WeakMap<NodeReport, NodeReport>;

export function thinNode(node: NodeReport, cache?: ThinCache): NodeReport {
  const hit = cache?.get(node);
  if (hit) return hit;
  const thin: NodeReport = {
    ...node,
    enis: [],
    hostNetworkPods: [],
    podsOffEni: [],
    omitted: { enis: node.enis.length, hostNetworkPods: node.hostNetworkPods.length },
  };
  cache?.set(node, thin);
  return thin;
}

export function groupTotals(nodes: readonly NodeReport[]): GroupTotals[] {
  const groups = new Map<string, GroupTotals>();
  for (const n of nodes) {
    const key = `${n.zone ?? ""}\u0000${n.nodeGroup ?? ""}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        zone: n.zone,
        nodeGroup: n.nodeGroup,
        nodes: 0,
        pods: 0,
        maxPods: 0,
        ipsAssigned: 0,
        ipsUsed: 0,
        ipsWarm: 0,
        podsWaitingForIp: 0,
        enis: 0,
        notReady: 0,
      };
      groups.set(key, g);
    }
    g.nodes++;
    g.pods += n.pods;
    g.maxPods += n.maxPods ?? 0;
    g.ipsAssigned += n.ipsAssigned;
    g.ipsUsed += n.ipsUsed;
    g.ipsWarm += n.ipsWarm;
    g.podsWaitingForIp += n.podsWaitingForIp;
    g.enis += n.omitted?.enis ?? n.enis.length;
    if (!n.ready) g.notReady++;
  }
  const order = (s: string | null) => s ?? "\uffff";
  return [...groups.values()].sort(
    (a, b) =>
      order(a.zone).localeCompare(order(b.zone)) || order(a.nodeGroup).localeCompare(order(b.nodeGroup)),
  );
}

/** The topology as the overview sends it: thin nodes, no pods, the group totals. */
export function overviewOf(t: Topology, cache?: ThinCache): OverviewTopology {
  const nodes = t.nodes.map((n) => thinNode(n, cache));
  return { ...t, nodes, pods: [], groups: groupTotals(nodes) };
}

/** What a page with these nodes in view draws of them: the nodes whole and every pod they hold. */
export interface NodeDetail {
  seq: number;
  nodes: NodeReport[];
  pods: PodReport[];
  /** Names asked for that the topology has no node for (gone since the page's overview). */
  missing: string[];
}

export function nodeDetail(t: Topology, names: Iterable<string>): NodeDetail {
  const wanted = new Set(names);
  const nodes = t.nodes.filter((n) => wanted.has(n.name));
  const found = new Set(nodes.map((n) => n.name));
  return {
    seq: t.seq,
    nodes,
    pods: t.pods.filter((p) => found.has(p.node)),
    missing: [...wanted].filter((n) => !found.has(n)).sort(),
  };
}
