// The problems of the nodes on the page (model problems.ts), kept from one update to the next. A live
// update, or a node's detail coming in on the overview, changes a few of up to 100,000 node reports and
// keeps the others as the same objects: only the nodes at changed places are recounted. (Recounting every
// node took about 50 ms of each update at 100,000 nodes on an idle machine, several times that loaded.)
// The answer is always the one indexProblems gives for the same nodes and subnets (liveProblems.test.ts).
import {
  eniSubnets,
  type NodeReport,
  nodeProblems,
  type ProblemEntry,
  type ProblemIndex,
  type ProblemKind,
  problemEntry,
  problemKinds,
  SUBNET_LOW_SHARE,
  type SubnetReport,
} from "@eni-view/model";
import { nodesChangedAt } from "./keptFilter.ts";

export interface LiveProblems {
  index: ProblemIndex;
  nodes: readonly NodeReport[];
  subnets: readonly SubnetReport[];
  /** Per subnet, how many nodes take each ENI's worth of IPs from it: lowSubnets' largest, kept so that a
   * node leaving takes its share away without a recount of the others. */
  needs: ReadonlyMap<string, ReadonlyMap<number, number>>;
  /** Each node's problems, by its place in `nodes` (undefined: none). */
  kinds: readonly (readonly ProblemKind[] | undefined)[];
}

/** Past this share of nodes changed, a whole recount is as quick as keeping. */
const RECOUNT_SHARE = 0.25;

// Where each entry's node is in `nodes`: byKind lists keep node order, as indexProblems makes them.
const placeOf = new WeakMap<ProblemEntry, number>();

function entryAt(kind: ProblemKind, n: NodeReport, at: number): ProblemEntry {
  const e = problemEntry(kind, n);
  placeOf.set(e, at);
  return e;
}

function addNeeds(needs: Map<string, Map<number, number>>, n: NodeReport, by: 1 | -1): void {
  const need = n.capacity.podIpsPerEni;
  if (need === null) return;
  for (const subnet of eniSubnets(n)) {
    let counts = needs.get(subnet);
    if (!counts) {
      counts = new Map();
      needs.set(subnet, counts);
    }
    const c = (counts.get(need) ?? 0) + by;
    if (c > 0) counts.set(need, c);
    else counts.delete(need);
  }
}

/** The model's lowSubnets, from the kept counts. */
function lowFrom(subnets: readonly SubnetReport[], needs: ReadonlyMap<string, ReadonlyMap<number, number>>) {
  const low = new Set<string>();
  for (const s of subnets) {
    let need = 0;
    for (const k of needs.get(s.id)?.keys() ?? []) need = Math.max(need, k);
    const share = s.totalIps > 0 ? s.availableIps / s.totalIps : 0;
    if (share < SUBNET_LOW_SHARE || s.availableIps < need) low.add(s.id);
  }
  return low;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

function recount(
  nodes: readonly NodeReport[],
  subnets: readonly SubnetReport[],
  given?: Map<string, Map<number, number>>,
): LiveProblems {
  let needs = given;
  if (!needs) {
    needs = new Map();
    for (const n of nodes) addNeeds(needs, n, 1);
  }
  const low = lowFrom(subnets, needs);
  const kinds: (ProblemKind[] | undefined)[] = new Array(nodes.length);
  const byNode = new Map<string, ProblemKind[]>();
  const lists = new Map<ProblemKind, ProblemEntry[]>();
  nodes.forEach((n, at) => {
    const found = nodeProblems(n, low);
    if (found.length === 0) return;
    kinds[at] = found;
    byNode.set(n.name, found);
    for (const k of found) {
      const list = lists.get(k);
      if (list) list.push(entryAt(k, n, at));
      else lists.set(k, [entryAt(k, n, at)]);
    }
  });
  const byKind = new Map<ProblemKind, ProblemEntry[]>();
  for (const k of problemKinds) {
    const list = lists.get(k);
    if (list) byKind.set(k, list);
  }
  return { index: { byNode, byKind, lowSubnets: low }, nodes, subnets, needs, kinds };
}

/** The problems of `nodes`, recounting only the nodes that changed since `prev` (null: all of them). */
export function liveProblems(
  prev: LiveProblems | null,
  nodes: readonly NodeReport[],
  subnets: readonly SubnetReport[],
): LiveProblems {
  if (!prev) return recount(nodes, subnets);
  if (prev.nodes === nodes && prev.subnets === subnets) return prev;
  const changed = nodesChangedAt(prev.nodes, nodes);
  if (!changed || changed.length > nodes.length * RECOUNT_SHARE) return recount(nodes, subnets);
  const needs = new Map([...prev.needs].map(([s, counts]) => [s, new Map(counts)]));
  for (const at of changed) {
    addNeeds(needs, prev.nodes[at]!, -1);
    addNeeds(needs, nodes[at]!, 1);
  }
  const low = lowFrom(subnets, needs);
  // Another subnet running low (or no longer) changes the problems of every node drawing on it.
  if (!sameSet(low, prev.index.lowSubnets)) return recount(nodes, subnets, needs);
  if (changed.length === 0) return { ...prev, nodes, subnets, needs };

  const kinds = prev.kinds.slice();
  const byNode = new Map(prev.index.byNode);
  // Kinds whose list loses or gains an entry, or whose entry's words change with its node's numbers.
  const touched = new Set<ProblemKind>();
  const gone = new Set<string>();
  const fresh: { at: number; node: NodeReport; kinds: ProblemKind[] }[] = [];
  for (const at of changed) {
    const n = nodes[at]!;
    const before = kinds[at];
    for (const k of before ?? []) touched.add(k);
    if (before) gone.add(n.name);
    const found = nodeProblems(n, low);
    if (found.length === 0) {
      kinds[at] = undefined;
      byNode.delete(n.name);
      continue;
    }
    kinds[at] = found;
    byNode.set(n.name, found);
    for (const k of found) touched.add(k);
    fresh.push({ at, node: n, kinds: found });
  }
  if (touched.size === 0) return { ...prev, nodes, subnets, needs };
  const lists = new Map(prev.index.byKind);
  for (const k of touched) {
    const list = (lists.get(k) ?? []).filter((e) => !gone.has(e.node));
    for (const f of fresh) if (f.kinds.includes(k)) insertInPlace(list, entryAt(k, f.node, f.at), f.at);
    lists.set(k, list);
  }
  const byKind = new Map<ProblemKind, ProblemEntry[]>();
  for (const k of problemKinds) {
    const list = lists.get(k);
    if (list && list.length > 0) byKind.set(k, list);
  }
  return { index: { byNode, byKind, lowSubnets: low }, nodes, subnets, needs, kinds };
}

function insertInPlace(list: ProblemEntry[], e: ProblemEntry, at: number): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (placeOf.get(list[mid]!)! < at) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, e);
}
