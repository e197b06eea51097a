// Where every node box goes: boxes grouped (AZ, node group, instance type or none), each group packed in
// rows at a width that makes the whole picture roughly the shape of a screen, groups side by side.
import type { NodeReport } from "@eni-view/model";
import { BOX_GAP, GROUP_GAP, GROUP_HEADER_H } from "./metrics.ts";
import { type NodeLayout, nodeLayoutOf } from "./nodeLayout.ts";
import { GridIndex } from "./spatialIndex.ts";

export const groupings = ["zone", "nodeGroup", "instanceType", "none"] as const;
export type Grouping = (typeof groupings)[number];

export interface PlacedNode {
  layout: NodeLayout;
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
  group: number;
}

export interface GroupBlock {
  key: string;
  label: string;
  x: number;
  y: number;
  width: number;
  height: number;
  nodes: number;
  pods: number;
}

export interface ClusterLayout {
  grouping: Grouping;
  nodes: PlacedNode[];
  byName: Map<string, PlacedNode>;
  groups: GroupBlock[];
  width: number;
  height: number;
  index: GridIndex<PlacedNode>;
}

export interface LayoutOptions {
  grouping: Grouping;
  /** Width / height the whole picture aims for. */
  aspect?: number;
}

const groupLabels: Record<Grouping, string> = {
  zone: "no zone",
  nodeGroup: "no node group",
  instanceType: "unknown type",
  none: "all nodes",
};

function groupKey(node: NodeReport, grouping: Grouping): string | null {
  switch (grouping) {
    case "zone":
      return node.zone;
    case "nodeGroup":
      return node.nodeGroup;
    case "instanceType":
      return node.instanceType;
    case "none":
      return "";
  }
}

const collator = new Intl.Collator("en", { numeric: true });

/**
 * The previous layout with changed nodes swapped in, when no box moves: same node names, each still in its
 * group and the same size (an ENI attaching fills a placeholder row, so this is the usual case on a live update).
 * Null when boxes must move. Returns `prev` itself when nothing changed.
 */
function relayout(
  prev: ClusterLayout,
  nodes: readonly NodeReport[],
  grouping: Grouping,
): ClusterLayout | null {
  if (prev.grouping !== grouping || prev.nodes.length !== nodes.length) return null;
  const next = new Map<string, NodeReport>();
  for (const n of nodes) next.set(n.name, n);
  if (next.size !== prev.nodes.length) return null;
  let changed = false;
  const placed: PlacedNode[] = new Array(prev.nodes.length);
  const pods = new Array<number>(prev.groups.length).fill(0);
  for (let i = 0; i < prev.nodes.length; i++) {
    const old = prev.nodes[i]!;
    const n = next.get(old.name);
    if (!n) return null;
    const l = nodeLayoutOf(n);
    if (l === old.layout) placed[i] = old;
    else {
      if (l.width !== old.width || l.height !== old.height) return null;
      if ((groupKey(n, grouping) ?? "") !== prev.groups[old.group]!.key) return null;
      placed[i] = { ...old, layout: l };
      changed = true;
    }
    pods[old.group]! += n.pods;
  }
  if (!changed) return prev;
  return {
    ...prev,
    nodes: placed,
    byName: new Map(placed.map((p) => [p.name, p])),
    groups: prev.groups.map((g, i) => ({ ...g, pods: pods[i]! })),
    index: new GridIndex(placed),
  };
}

/** Lays out the cluster; pass the previous layout to keep boxes in place and reuse it when nothing moved. */
export function layoutCluster(
  nodes: readonly NodeReport[],
  options: LayoutOptions,
  prev: ClusterLayout | null = null,
): ClusterLayout {
  if (prev) {
    const kept = relayout(prev, nodes, options.grouping);
    if (kept) return kept;
  }
  const aspect = options.aspect ?? 16 / 9;
  const buckets = new Map<string, NodeReport[]>();
  for (const n of nodes) {
    const key = groupKey(n, options.grouping) ?? "";
    const list = buckets.get(key);
    if (list) list.push(n);
    else buckets.set(key, [n]);
  }
  // Named groups in natural order, the "none of the above" bucket last.
  const keys = [...buckets.keys()].sort((a, b) => (a === "" ? 1 : b === "" ? -1 : collator.compare(a, b)));
  const placed: PlacedNode[] = [];
  const groups: GroupBlock[] = [];
  let gx = 0;
  let height = 0;
  keys.forEach((key, gi) => {
    const members = buckets.get(key)!.sort((a, b) => collator.compare(a.name, b.name));
    const layouts = members.map(nodeLayoutOf);
    let area = 0;
    let widest = 0;
    for (const l of layouts) {
      area += (l.width + BOX_GAP) * (l.height + BOX_GAP);
      widest = Math.max(widest, l.width);
    }
    // Side-by-side groups of equal share together fill a picture of the aimed aspect.
    const rowWidth = Math.max(widest, Math.sqrt((area * aspect) / keys.length));
    let x = 0;
    let y = GROUP_HEADER_H;
    let lineH = 0;
    let used = 0;
    let pods = 0;
    for (const l of layouts) {
      if (x > 0 && x + l.width > rowWidth) {
        x = 0;
        y += lineH + BOX_GAP;
        lineH = 0;
      }
      const p: PlacedNode = {
        layout: l,
        name: l.node.name,
        x: gx + x,
        y: y,
        width: l.width,
        height: l.height,
        group: gi,
      };
      placed.push(p);
      pods += l.node.pods;
      x += l.width + BOX_GAP;
      used = Math.max(used, x - BOX_GAP);
      lineH = Math.max(lineH, l.height);
    }
    const gh = y + lineH;
    const label = options.grouping === "none" ? groupLabels.none : key || groupLabels[options.grouping];
    groups.push({
      key,
      label,
      x: gx,
      y: 0,
      width: Math.max(used, 160),
      height: gh,
      nodes: members.length,
      pods,
    });
    gx += Math.max(used, 160) + GROUP_GAP;
    height = Math.max(height, gh);
  });
  const width = Math.max(0, gx - GROUP_GAP);
  return {
    grouping: options.grouping,
    nodes: placed,
    byName: new Map(placed.map((p) => [p.name, p])),
    groups,
    width,
    height,
    index: new GridIndex(placed),
  };
}
