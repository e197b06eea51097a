// What the page holds on a cluster too big to send whole (the stream's overview, server overviewStream.ts):
// every node thin (its numbers, no ENIs, slots or pods), and the detail of the nodes it has asked for as
// they come. The page draws one topology made of both: a node whose detail is in is drawn whole, any other
// from its numbers. Pure: the stream and the viewport hook drive it.
import {
  applyDelta,
  type NodeDetail,
  type NodeReport,
  type OverviewTopology,
  type PodReport,
  type Topology,
  type TopologyDelta,
} from "@eni-view/model";

interface Detail {
  node: NodeReport;
  pods: PodReport[];
}

export interface OverviewState {
  /** The stream's id, for POST /api/stream/:id/nodes. */
  stream: string;
  thin: OverviewTopology;
  /** Detail in hand, by node name: only of nodes asked for and still wanted. */
  detail: ReadonlyMap<string, Detail>;
  /** The nodes last asked for: their detail is coming, or in. */
  wanted: ReadonlySet<string>;
  /** The topology the page draws: thin nodes with the whole ones in their place, the whole ones' pods. */
  merged: Topology;
}

// A thin node asked for and not in yet is drawn with a loading mark. Its copy is made once per thin node
// object, so a box keeps its drawing while it waits, and told apart by this set, not by a field the server
// could send.
const loadingCopies = new WeakMap<NodeReport, NodeReport>();
const loading = new WeakSet<NodeReport>();

/** Whether this node is a thin node whose detail the page has asked for and not received yet. */
export function detailLoading(n: NodeReport): boolean {
  return loading.has(n);
}

/** Whether this node is drawn from its numbers alone (the overview's), not from its ENIs and pods. */
export function isThin(n: NodeReport): boolean {
  return n.omitted !== undefined;
}

function loadingCopy(n: NodeReport): NodeReport {
  let copy = loadingCopies.get(n);
  if (!copy) {
    copy = { ...n };
    loadingCopies.set(n, copy);
    loading.add(copy);
  }
  return copy;
}

// Where each thin node sits in its list, by name. A delta that changes a few nodes' numbers makes a new
// list of the same names in the same order: it takes the last list's table rather than a new one of
// 100,000 names.
const placesOf = new WeakMap<readonly NodeReport[], ReadonlyMap<string, number>>();
let lastPlaces: { nodes: readonly NodeReport[]; places: ReadonlyMap<string, number> } | null = null;

function places(nodes: readonly NodeReport[]): ReadonlyMap<string, number> {
  let found = placesOf.get(nodes);
  if (found) return found;
  const last = lastPlaces;
  if (last && last.nodes.length === nodes.length && nodes.every((n, i) => n.name === last.nodes[i]!.name))
    found = last.places;
  else found = new Map(nodes.map((n, i) => [n.name, i]));
  placesOf.set(nodes, found);
  lastPlaces = { nodes, places: found };
  return found;
}

// Only the nodes asked for differ from the thin list: each update copies the list and puts those in
// their places (a lookup per node of 100,000 took tens of milliseconds of every update).
function merge(
  thin: OverviewTopology,
  detail: ReadonlyMap<string, Detail>,
  wanted: ReadonlySet<string>,
): Topology {
  let nodes = thin.nodes;
  if (detail.size > 0 || wanted.size > 0) {
    const at = places(thin.nodes);
    const list = thin.nodes.slice();
    const put = (name: string) => {
      const i = at.get(name);
      if (i === undefined) return;
      const n = thin.nodes[i]!;
      list[i] = detail.get(name)?.node ?? (wanted.has(name) ? loadingCopy(n) : n);
    };
    for (const name of wanted) put(name);
    for (const name of detail.keys()) if (!wanted.has(name)) put(name);
    nodes = list;
  }
  const pods: PodReport[] = [];
  for (const d of detail.values()) for (const p of d.pods) pods.push(p);
  const { groups: _groups, ...rest } = thin;
  return { ...rest, nodes, pods };
}

export function startOverview(stream: string, thin: OverviewTopology): OverviewState {
  const detail = new Map<string, Detail>();
  const wanted = new Set<string>();
  return { stream, thin, detail, wanted, merged: merge(thin, detail, wanted) };
}

/** A delta of the thin topology (and the group totals when they changed). Detail of a node it removes
 * goes; detail of a node it changes stays until the server's new detail, which follows it at once. */
export function withDelta(s: OverviewState, delta: TopologyDelta & { groups?: unknown }): OverviewState {
  let thin = applyDelta(s.thin, delta) as OverviewTopology;
  if (Array.isArray(delta.groups)) thin = { ...thin, groups: delta.groups as OverviewTopology["groups"] };
  let detail = s.detail;
  const removed = delta.nodes?.remove ?? [];
  if (removed.some((n) => detail.has(n))) {
    const next = new Map(detail);
    for (const n of removed) next.delete(n);
    detail = next;
  }
  return { ...s, thin, detail, merged: merge(thin, detail, s.wanted) };
}

/** Detail from the server: kept for the nodes still wanted (a page that panned on drops the rest). */
export function withDetail(s: OverviewState, d: NodeDetail): OverviewState {
  const detail = new Map(s.detail);
  const byNode = new Map<string, PodReport[]>();
  for (const p of d.pods) {
    const list = byNode.get(p.node);
    if (list) list.push(p);
    else byNode.set(p.node, [p]);
  }
  let changed = false;
  for (const node of d.nodes) {
    if (!s.wanted.has(node.name)) continue;
    detail.set(node.name, { node, pods: byNode.get(node.name) ?? [] });
    changed = true;
  }
  // Gone since the overview: the delta removing it is on its way; nothing is drawn as if it were whole.
  for (const name of d.missing) changed = detail.delete(name) || changed;
  if (!changed) return s;
  return { ...s, detail, merged: merge(s.thin, detail, s.wanted) };
}

/** The nodes the page now asks for: detail of the others is let go (the server stops updating it). */
export function withWanted(s: OverviewState, names: ReadonlySet<string>): OverviewState {
  const detail = new Map<string, Detail>();
  for (const [name, d] of s.detail) if (names.has(name)) detail.set(name, d);
  return { ...s, wanted: names, detail, merged: merge(s.thin, detail, names) };
}
