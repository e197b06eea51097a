// The node table (the map as rows, for phones, screen readers and the keyboard): which nodes, in which order.
// "problems" is the problems list's own order: by the node's first problem in problemKinds order (what stops
// pods first), worst first within a kind, then by name; nodes without a problem follow, by name.
import { eniCount, type NodeReport } from "@eni-view/model";
import { type ProblemIndex, type ProblemKind, problemKinds } from "./problems.ts";

export const tableSorts = ["problems", "name", "utilisation", "pending"] as const;
export type TableSort = (typeof tableSorts)[number];

export interface TableRow {
  node: NodeReport;
  problems: readonly ProblemKind[];
  /** The node's place in the list the rows were made from. */
  at: number;
}

const collator = new Intl.Collator("en", { numeric: true });
const utilisation = (n: NodeReport) => (n.maxPods ? n.pods / n.maxPods : -1);

// Each name's place in name order, kept while the names stay the same: a collator's compare is slow, and
// the table sorts 100,000 nodes again whenever one of them changes or its detail comes.
let nameRanks: Map<string, number> = new Map();

function rankNames(nodes: readonly NodeReport[]): Map<string, number> {
  if (nameRanks.size === nodes.length && nodes.every((n) => nameRanks.has(n.name))) return nameRanks;
  const sorted = nodes.map((n) => n.name).sort(collator.compare);
  nameRanks = new Map(sorted.map((name, i) => [name, i]));
  return nameRanks;
}

/** What every sort of one list of nodes with one problem index reads, made once for all of them, and
 * the orders made so far: a click on a sort header at 100,000 nodes sorts numbers, or nothing. */
interface SortKeys {
  /** What the keys were made for besides the nodes (see tableOrder). */
  token: unknown;
  problems: (readonly ProblemKind[])[];
  /** Each node's place in name order; `byName` the node at each place (null when two share a name). */
  name: Float64Array;
  byName: Uint32Array | null;
  utilisation: Float64Array;
  waiting: Float64Array;
  firstProblem: Float64Array;
  weight: Float64Array;
  orders: Map<TableSort, Uint32Array>;
}

const keysByNodes = new WeakMap<readonly NodeReport[], SortKeys>();

function sortKeys(nodes: readonly NodeReport[], index: ProblemIndex | null, token: unknown): SortKeys {
  const held = keysByNodes.get(nodes);
  if (held !== undefined && held.token === token) return held;
  const n = nodes.length;
  const names = rankNames(nodes);
  // The weight the problems list sorts a node by within its first kind.
  const weights = new Map<string, number>();
  for (const list of index?.byKind.values() ?? [])
    for (const e of list) if (!weights.has(e.node)) weights.set(e.node, e.weight);
  const keys: SortKeys = {
    token,
    problems: new Array(n),
    name: new Float64Array(n),
    byName: names.size === n ? new Uint32Array(n) : null,
    utilisation: new Float64Array(n),
    waiting: new Float64Array(n),
    firstProblem: new Float64Array(n),
    weight: new Float64Array(n),
    orders: new Map(),
  };
  for (let i = 0; i < n; i++) {
    const node = nodes[i]!;
    const kinds = index?.byNode.get(node.name) ?? [];
    keys.problems[i] = kinds;
    const rank = names.get(node.name)!;
    keys.name[i] = rank;
    if (keys.byName !== null) keys.byName[rank] = i;
    keys.utilisation[i] = -utilisation(node);
    keys.waiting[i] = -node.podsWaitingForIp;
    keys.firstProblem[i] = kinds.length > 0 ? problemKinds.indexOf(kinds[0]!) : problemKinds.length;
    keys.weight[i] = -(weights.get(node.name) ?? 0);
  }
  keysByNodes.set(nodes, keys);
  return keys;
}

/** Each value's place among the distinct values (0 the smallest), and how many distinct values there are. */
function denseRanks(values: Float64Array): { ranks: Float64Array; count: number } {
  const distinct = values.slice().sort();
  let count = 0;
  for (let i = 0; i < distinct.length; i++)
    if (count === 0 || distinct[i] !== distinct[count - 1]) distinct[count++] = distinct[i]!;
  const ranks = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    let lo = 0;
    let hi = count - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (distinct[mid]! < values[i]!) lo = mid + 1;
      else hi = mid;
    }
    ranks[i] = lo;
  }
  return { ranks, count };
}

/** The nodes' positions by `first`, then `second`, then name. With unique names every key is a whole
 * number below 2^53 made of the three ranks, and a typed array sorts those natively, with no comparison
 * function called 1.7 million times (0.1-0.2 s at 100,000 nodes); with names shared, it compares. */
function orderBy(keys: SortKeys, first: Float64Array | null, second: Float64Array | null): Uint32Array {
  const n = keys.name.length;
  const { byName } = keys;
  if (byName !== null && first === null) return byName.slice();
  const a = first === null ? null : denseRanks(first);
  const b = second === null ? null : denseRanks(second);
  const spread = (a?.count ?? 1) * (b?.count ?? 1) * Math.max(n, 1);
  const order = new Uint32Array(n);
  if (byName !== null && spread < 2 ** 53) {
    const packed = new Float64Array(n);
    const secondCount = b?.count ?? 1;
    for (let i = 0; i < n; i++)
      packed[i] = ((a?.ranks[i] ?? 0) * secondCount + (b?.ranks[i] ?? 0)) * n + keys.name[i]!;
    packed.sort();
    for (let k = 0; k < n; k++) order[k] = byName[packed[k]! % n]!;
    return order;
  }
  for (let i = 0; i < n; i++) order[i] = i;
  const f = first ?? keys.name;
  const s = second ?? keys.name;
  const name = keys.name;
  order.sort((x, y) => f[x]! - f[y]! || s[x]! - s[y]! || name[x]! - name[y]!);
  return order;
}

function sortOrder(keys: SortKeys, sort: TableSort): Uint32Array {
  let order = keys.orders.get(sort);
  if (order === undefined) {
    if (sort === "name") order = orderBy(keys, null, null);
    else if (sort === "utilisation") order = orderBy(keys, keys.utilisation, null);
    else if (sort === "pending") order = orderBy(keys, keys.waiting, keys.utilisation);
    else order = orderBy(keys, keys.firstProblem, keys.weight);
    keys.orders.set(sort, order);
  }
  return order;
}

/** The nodes in the order `sort` asks for, as positions in `nodes`, with each one's problems: the rows
 * are made only for the few a virtual table shows (`tableRow`). */
export interface TableOrder {
  nodes: readonly NodeReport[];
  order: Uint32Array;
  problems: readonly (readonly ProblemKind[])[];
}

/** `token` says when `index` counts anew for the same nodes (by default, a new index does): the page's
 * overview keeps the problems of the figures it sorts while nodes' detail comes in. */
export function tableOrder(
  nodes: readonly NodeReport[],
  index: ProblemIndex | null,
  sort: TableSort,
  token: unknown = index,
): TableOrder {
  const keys = sortKeys(nodes, index, token);
  return { nodes, order: sortOrder(keys, sort), problems: keys.problems };
}

/** The `k`th row of an order. */
export function tableRow(rows: TableOrder, k: number): TableRow {
  const at = rows.order[k]!;
  return { node: rows.nodes[at]!, problems: rows.problems[at]!, at };
}

const eniCounts = new WeakMap<readonly NodeReport[], Int32Array>();

/** Each row's ENI count, in the order's order: what its height and its rows' numbers follow. The counts
 * are read once per list of nodes (reading 100,000 nodes of several shapes is the slow part). */
export function orderEniCounts(rows: TableOrder): Int32Array {
  let counts = eniCounts.get(rows.nodes);
  if (counts === undefined) {
    counts = new Int32Array(rows.nodes.length);
    for (let i = 0; i < rows.nodes.length; i++) counts[i] = eniCount(rows.nodes[i]!);
    eniCounts.set(rows.nodes, counts);
  }
  const out = new Int32Array(rows.order.length);
  for (let k = 0; k < out.length; k++) out[k] = counts[rows.order[k]!]!;
  return out;
}

/** Each node with its problems, in the order `sort` asks for. */
export function tableRows(
  nodes: readonly NodeReport[],
  index: ProblemIndex | null,
  sort: TableSort,
): TableRow[] {
  const rows = tableOrder(nodes, index, sort);
  return Array.from(rows.order, (_, k) => tableRow(rows, k));
}

/** Makes, while the page is idle, the orders of the sorts not asked for yet, so that the first click on
 * another header finds its order made. */
export function prepareSorts(
  nodes: readonly NodeReport[],
  index: ProblemIndex | null,
  token: unknown = index,
): void {
  const keys = sortKeys(nodes, index, token);
  for (const sort of tableSorts) sortOrder(keys, sort);
}

export interface TableWindow {
  /** The rows in the page: [first, last). */
  first: number;
  last: number;
  /** Pixels of the rows above and below them, kept as empty space so the scroll bar is the whole table's. */
  before: number;
  after: number;
}

/** The rows a scroll shows, with a screen's margin each side; every row when the table is not virtual. */
export function tableWindow(
  heights: readonly number[],
  scroll: number,
  viewHeight: number,
  virtual: boolean,
): TableWindow {
  if (!virtual) return { first: 0, last: heights.length, before: 0, after: 0 };
  const from = scroll - viewHeight;
  const to = scroll + 2 * viewHeight;
  let y = 0;
  let first = 0;
  while (first < heights.length && y + heights[first]! <= from) y += heights[first++]!;
  const before = y;
  let last = first;
  while (last < heights.length && y < to) y += heights[last++]!;
  let after = 0;
  for (let i = last; i < heights.length; i++) after += heights[i]!;
  return { first, last, before, after };
}
