// The node table (the map as rows, for phones, screen readers and the keyboard): which nodes, in which order.
// "problems" is the problems list's own order: by the node's first problem in problemKinds order (what stops
// pods first), worst first within a kind, then by name; nodes without a problem follow, by name.
import type { NodeReport } from "@eni-view/model";
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

/** Each node with its problems, in the order `sort` asks for. */
export function tableRows(
  nodes: readonly NodeReport[],
  index: ProblemIndex | null,
  sort: TableSort,
): TableRow[] {
  const n = nodes.length;
  const names = rankNames(nodes);
  // Keys as numbers in typed arrays, compared by index: no object per comparison at 100,000 nodes.
  const first = new Float64Array(n);
  const second = new Float64Array(n);
  const name = new Float64Array(n);
  const problems: (readonly ProblemKind[])[] = new Array(n);
  // The weight the problems list sorts a node by within its first kind.
  const weight = new Map<string, number>();
  if (sort === "problems")
    for (const list of index?.byKind.values() ?? [])
      for (const e of list) if (!weight.has(e.node)) weight.set(e.node, e.weight);
  for (let i = 0; i < n; i++) {
    const node = nodes[i]!;
    const kinds = index?.byNode.get(node.name) ?? [];
    problems[i] = kinds;
    name[i] = names.get(node.name)!;
    if (sort === "utilisation") first[i] = -utilisation(node);
    else if (sort === "pending") {
      first[i] = -node.podsWaitingForIp;
      second[i] = -utilisation(node);
    } else if (sort === "problems") {
      first[i] = kinds.length > 0 ? problemKinds.indexOf(kinds[0]!) : problemKinds.length;
      second[i] = -(weight.get(node.name) ?? 0);
    }
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => first[a]! - first[b]! || second[a]! - second[b]! || name[a]! - name[b]!);
  const rows: TableRow[] = new Array(n);
  for (let k = 0; k < n; k++)
    rows[k] = { node: nodes[order[k]!]!, problems: problems[order[k]!]!, at: order[k]! };
  return rows;
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
