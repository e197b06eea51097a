// Live updates keep the node list's names in place and most of its objects: what the page derives from
// every node (the problems, the nodes with warnings) is kept from one update to the next and redone only
// for the places whose node changed. At 100,000 nodes a pass over all of them is tens of milliseconds of
// each update.
import type { NodeReport } from "@eni-view/model";

// The last answer: the problems and the warned nodes ask it of the same two lists in the same update.
let last: { prev: readonly NodeReport[]; next: readonly NodeReport[]; out: readonly number[] | null } | null =
  null;

/** Places whose node object changed, when `next` has the same names in the same places; else null. */
export function nodesChangedAt(
  prev: readonly NodeReport[],
  next: readonly NodeReport[],
): readonly number[] | null {
  if (last?.prev === prev && last.next === next) return last.out;
  let out: number[] | null = [];
  if (prev.length !== next.length) out = null;
  for (let i = 0; out && i < next.length; i++) {
    const n = next[i]!;
    const was = prev[i]!;
    if (n === was) continue;
    if (n.name !== was.name) out = null;
    else out.push(i);
  }
  last = { prev, next, out };
  return out;
}

/** `nodes.filter(test)`, kept: the same array back while no node it holds or could hold changed. */
export function keptFilter(
  test: (n: NodeReport) => boolean,
): (nodes: readonly NodeReport[]) => readonly NodeReport[] {
  let kept: { nodes: readonly NodeReport[]; hits: Set<number>; out: readonly NodeReport[] } | null = null;
  return (nodes) => {
    if (kept?.nodes === nodes) return kept.out;
    const changed = kept ? nodesChangedAt(kept.nodes, nodes) : null;
    if (!kept || !changed) {
      const hits = new Set<number>();
      nodes.forEach((n, i) => {
        if (test(n)) hits.add(i);
      });
      kept = { nodes, hits, out: [...hits].map((i) => nodes[i]!) };
      return kept.out;
    }
    let moved = false;
    const hits = new Set(kept.hits);
    for (const i of changed) {
      const was = hits.has(i);
      const now = test(nodes[i]!);
      if (now) hits.add(i);
      else hits.delete(i);
      moved ||= was || now;
    }
    const out = moved ? [...hits].sort((a, b) => a - b).map((i) => nodes[i]!) : kept.out;
    kept = { nodes, hits, out };
    return out;
  };
}
