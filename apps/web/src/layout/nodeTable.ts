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
}

const collator = new Intl.Collator("en", { numeric: true });
const byName = (a: TableRow, b: TableRow) => collator.compare(a.node.name, b.node.name);
const utilisation = (n: NodeReport) => (n.maxPods ? n.pods / n.maxPods : -1);

/** Each node with its problems, in the order `sort` asks for. */
export function tableRows(
  nodes: readonly NodeReport[],
  index: ProblemIndex | null,
  sort: TableSort,
): TableRow[] {
  const rows = nodes.map((node) => ({ node, problems: index?.byNode.get(node.name) ?? [] }));
  if (sort === "name") return rows.sort(byName);
  if (sort === "utilisation")
    return rows.sort((a, b) => utilisation(b.node) - utilisation(a.node) || byName(a, b));
  if (sort === "pending")
    return rows.sort(
      (a, b) =>
        b.node.podsWaitingForIp - a.node.podsWaitingForIp ||
        utilisation(b.node) - utilisation(a.node) ||
        byName(a, b),
    );
  // The weight the problems list sorts a node by within its first kind.
  const weight = new Map<string, number>();
  for (const list of index?.byKind.values() ?? [])
    for (const e of list) if (!weight.has(e.node)) weight.set(e.node, e.weight);
  const rank = (r: TableRow) =>
    r.problems.length > 0 ? problemKinds.indexOf(r.problems[0]!) : problemKinds.length;
  return rows.sort(
    (a, b) =>
      rank(a) - rank(b) || (weight.get(b.node.name) ?? 0) - (weight.get(a.node.name) ?? 0) || byName(a, b),
  );
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
