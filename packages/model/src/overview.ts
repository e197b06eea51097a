// The overview a page gets first on a cluster too big to send whole (100,000 nodes, 800,000 pods): every
// node with its numbers (pods, max pods, IPs assigned, used and warm, pods waiting for an IP, status,
// problems) but without its ENIs, slots and pods, plus totals per zone and node group; and, for the nodes
// a page has in view, their detail exactly as the whole topology has it. A thin node says what was left
// out (`omitted`), so a page draws it from its numbers and never as a node without ENIs.
import type { Topology } from "./api.ts";
import { nodeEniCounts } from "./nodeKinds.ts";
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
  /** ENIs in the default card's device slots (nodeEniCounts): what the ENI limit counts. */
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
  const cards = nodeEniCounts(node);
  const thin: NodeReport = {
    ...node,
    enis: [],
    hostNetworkPods: [],
    podsOffEni: [],
    omitted: {
      enis: node.enis.length,
      hostNetworkPods: node.hostNetworkPods.length,
      podsOffEni: node.podsOffEni.length,
      subnets: [...new Set(node.enis.map((e) => e.subnetId))],
      attached: cards.attached,
      otherCards: cards.otherCards,
    },
  };
  cache?.set(node, thin);
  return thin;
}

/** ENIs attached to a node, whole or thin. */
export function eniCount(n: NodeReport): number {
  return n.omitted?.enis ?? n.enis.length;
}

/** The subnets of a node's ENIs, whole or thin. */
export function eniSubnets(n: NodeReport): string[] {
  return n.omitted?.subnets ?? n.enis.map((e) => e.subnetId);
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
    g.enis += nodeEniCounts(n).attached;
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

/** The overview of `next` from the overview of `prev` (the topology `delta` turned into `next`): the same
 * as overviewOf(next), but a change that leaves the node list's order alone costs a walk comparing node
 * objects and the group totals adjusted for the changed nodes, not a fresh copy of every node and sum of
 * every group. At 100,000 nodes that is what keeps a one-pod change cheap for the overview's viewers. */
export function advanceOverview(
  before: OverviewTopology,
  prev: Topology,
  next: Topology,
  cache?: ThinCache,
): OverviewTopology {
  if (next.nodes === prev.nodes) return { ...next, nodes: before.nodes, pods: [], groups: before.groups };
  if (next.nodes.length !== prev.nodes.length || before.nodes.length !== prev.nodes.length)
    return overviewOf(next, cache);
  const nodes = before.nodes.slice();
  const gone: NodeReport[] = [];
  const came: NodeReport[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const n = next.nodes[i]!;
    if (n === prev.nodes[i]) continue;
    if (n.name !== prev.nodes[i]!.name) return overviewOf(next, cache);
    gone.push(nodes[i]!);
    nodes[i] = thinNode(n, cache);
    came.push(nodes[i]!);
  }
  const groups = adjustGroups(before.groups, gone, came) ?? groupTotals(nodes);
  return { ...next, nodes, pods: [], groups };
}

const groupOf = (groups: readonly GroupTotals[], n: NodeReport) =>
  groups.findIndex((g) => g.zone === n.zone && g.nodeGroup === n.nodeGroup);

/** The totals with `gone` taken out and `came` added; null when a group would appear or empty (then
 * the caller sums afresh, which also keeps the groups' order). */
function adjustGroups(
  groups: readonly GroupTotals[],
  gone: readonly NodeReport[],
  came: readonly NodeReport[],
): GroupTotals[] | null {
  const out = groups.slice();
  const add = (n: NodeReport, sign: 1 | -1): boolean => {
    const i = groupOf(out, n);
    if (i < 0) return false;
    const g = { ...out[i]! };
    g.nodes += sign;
    g.pods += sign * n.pods;
    g.maxPods += sign * (n.maxPods ?? 0);
    g.ipsAssigned += sign * n.ipsAssigned;
    g.ipsUsed += sign * n.ipsUsed;
    g.ipsWarm += sign * n.ipsWarm;
    g.podsWaitingForIp += sign * n.podsWaitingForIp;
    g.enis += sign * nodeEniCounts(n).attached;
    if (!n.ready) g.notReady += sign;
    if (g.nodes === 0) return false;
    out[i] = g;
    return true;
  };
  for (const n of gone) if (!add(n, -1)) return null;
  for (const n of came) if (!add(n, 1)) return null;
  return out;
}

/** What a page with these nodes in view draws of them: the nodes whole and every pod they hold. */
export interface NodeDetail {
  seq: number;
  nodes: NodeReport[];
  pods: PodReport[];
  /** Names asked for that the topology has no node for (gone since the page's overview). */
  missing: string[];
}

/** Where each node and each node's pods sit in a topology's lists, made once per topology: every page
 * with nodes in view asks for their detail after every change, and scanning all pods per ask cost 800,000
 * pod visits a viewer at 100,000 nodes. */
interface DetailIndex {
  nodes: NodeReport[];
  pods: PodReport[];
  nodeAt: Map<string, number>;
  podsAt: Map<string, number[]>;
}
const detailIndexes = new WeakMap<Topology, DetailIndex>();
/** The last index made: the next topology often has the same node list (only pods changed) or the same
 * pod list (only nodes' numbers), whose part of the index it takes as it is. */
let lastIndex: DetailIndex | null = null;

function detailIndex(t: Topology): DetailIndex {
  const known = detailIndexes.get(t);
  // Keyed by the topology object, and checked against its lists in case a holder swapped them in place.
  if (known && known.nodes === t.nodes && known.pods === t.pods) return known;
  let nodeAt = lastIndex?.nodes === t.nodes ? lastIndex.nodeAt : null;
  if (!nodeAt) {
    nodeAt = new Map<string, number>();
    for (let i = 0; i < t.nodes.length; i++) nodeAt.set(t.nodes[i]!.name, i);
  }
  let podsAt = lastIndex?.pods === t.pods ? lastIndex.podsAt : null;
  if (!podsAt) {
    podsAt = new Map<string, number[]>();
    for (let i = 0; i < t.pods.length; i++) {
      const node = t.pods[i]!.node;
      const list = podsAt.get(node);
      if (list) list.push(i);
      else podsAt.set(node, [i]);
    }
  }
  const made = { nodes: t.nodes, pods: t.pods, nodeAt, podsAt };
  detailIndexes.set(t, made);
  lastIndex = made;
  return made;
}

/** Makes the topology's detail index now (a server does it once a change is out, so that the next page
 * to zoom in does not wait for it). */
export function prepareNodeDetail(t: Topology): void {
  detailIndex(t);
}

export function nodeDetail(t: Topology, names: Iterable<string>): NodeDetail {
  const index = detailIndex(t);
  const nodeAt: number[] = [];
  const podAt: number[] = [];
  const missing: string[] = [];
  for (const name of new Set(names)) {
    const at = index.nodeAt.get(name);
    if (at === undefined) {
      missing.push(name);
      continue;
    }
    nodeAt.push(at);
    for (const i of index.podsAt.get(name) ?? []) podAt.push(i);
  }
  // In the topology's own order, as the whole snapshot lists them.
  const byPlace = (a: number, b: number) => a - b;
  return {
    seq: t.seq,
    nodes: nodeAt.sort(byPlace).map((i) => t.nodes[i]!),
    pods: podAt.sort(byPlace).map((i) => t.pods[i]!),
    missing: missing.sort(),
  };
}
