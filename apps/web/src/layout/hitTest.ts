// What is under a point of the layout plane: a node box, and inside it an IP cell or a hostNetwork pod.
import type { ClusterLayout, PlacedNode } from "./clusterLayout.ts";
import { CELL } from "./metrics.ts";
import type { Cell, EniRow, HostPodCell } from "./nodeLayout.ts";

export interface Hit {
  node: PlacedNode;
  row: EniRow | null;
  cell: Cell | null;
  hostPod: HostPodCell | null;
}

function inCell(lx: number, ly: number, c: { x: number; y: number }): boolean {
  return lx >= c.x && lx < c.x + CELL && ly >= c.y && ly < c.y + CELL;
}

export function hitTest(layout: ClusterLayout, x: number, y: number): Hit | null {
  const node = layout.index.at(x, y);
  if (!node) return null;
  const lx = x - node.x;
  const ly = y - node.y;
  const l = node.layout;
  for (const row of l.rows) {
    if (ly < row.y || ly >= row.y + row.height) continue;
    const cell = row.cells.find((c) => inCell(lx, ly, c)) ?? null;
    return { node, row, cell, hostPod: null };
  }
  if (l.hostY >= 0 && ly >= l.hostY) {
    const hostPod = l.hostPods.find((c) => inCell(lx, ly, c)) ?? null;
    return { node, row: null, cell: null, hostPod };
  }
  return { node, row: null, cell: null, hostPod: null };
}
