// Where every node box goes: boxes grouped (AZ, node group, instance type or none), each group packed in
// rows at a width that makes the whole picture roughly the shape of a screen, groups side by side.
import type { NodeReport } from "@eni-view/model";
import { BOX_GAP, GROUP_GAP, GROUP_HEADER_H } from "./metrics.ts";
import { type NodeLayout, nodeLayoutOf } from "./nodeLayout.ts";
import { GridIndex } from "./spatialIndex.ts";

export const groupings = ["zone", "nodeGroup", "instanceType", "none"] as const;
export type Grouping = (typeof groupings)[number];

/** Order of the boxes within a group: by name, fullest first (pods / max pods), oldest first, or most pods
 * waiting for an IP first. */
export const nodeSorts = ["name", "utilisation", "age", "pending"] as const;
export type NodeSort = (typeof nodeSorts)[number];

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
  /** The group of nodes without a value for the grouping (or every node): its label is the page's words. */
  unnamed: Grouping | null;
  x: number;
  y: number;
  width: number;
  height: number;
  nodes: number;
  pods: number;
}

/** Placed nodes by name. Names map to places in `nodes`, which a live update that moves no box keeps, so
 * the name table is shared from one layout to the next and only the list of placed nodes is new. */
export class PlacedByName {
  readonly #places: ReadonlyMap<string, number>;
  readonly #nodes: readonly PlacedNode[];

  constructor(places: ReadonlyMap<string, number>, nodes: readonly PlacedNode[]) {
    this.#places = places;
    this.#nodes = nodes;
  }

  get size(): number {
    return this.#places.size;
  }

  get(name: string): PlacedNode | undefined {
    const i = this.#places.get(name);
    return i === undefined ? undefined : this.#nodes[i];
  }

  /** The same names over placed nodes at the same places. */
  withNodes(nodes: readonly PlacedNode[]): PlacedByName {
    return new PlacedByName(this.#places, nodes);
  }

  /** Whether `other` names the same nodes at the same places (one layout kept from the other). */
  samePlaces(other: PlacedByName): boolean {
    return this.#places === other.#places;
  }

  place(name: string): number | undefined {
    return this.#places.get(name);
  }
}

export interface ClusterLayout {
  grouping: Grouping;
  sort: NodeSort;
  nodes: PlacedNode[];
  byName: PlacedByName;
  groups: GroupBlock[];
  width: number;
  height: number;
  index: GridIndex<PlacedNode>;
  /** The node reports laid out, in the order they were given, and where each went in `nodes`: the next
   * update finds its changed nodes by comparing the lists object by object. */
  source: readonly NodeReport[];
  sourcePlaces: Int32Array;
}

/**
 * Places in `next.nodes` holding another placed node than in `prev` when `next` keeps every box of `prev`
 * where it was (a live update), or null when the layouts are not of the same places.
 */
export function changedPlaces(prev: ClusterLayout, next: ClusterLayout): number[] | null {
  if (prev === next) return [];
  if (!prev.byName.samePlaces(next.byName) || prev.nodes.length !== next.nodes.length) return null;
  const out: number[] = [];
  for (let i = 0; i < next.nodes.length; i++) if (next.nodes[i] !== prev.nodes[i]) out.push(i);
  return out;
}

export interface LayoutOptions {
  grouping: Grouping;
  /** Box order within a group; name when absent. A live update keeps boxes where they are (a box does not
   * jump from under the pointer), so the order is the one of the last full layout. */
  sort?: NodeSort;
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

function utilisation(n: NodeReport): number {
  return n.maxPods ? n.pods / n.maxPods : -1;
}

function created(n: NodeReport): number {
  const t = n.createdAt ? Date.parse(n.createdAt) : Number.NaN;
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

const byName = (a: NodeReport, b: NodeReport) => collator.compare(a.name, b.name);

const sorters: Record<NodeSort, (a: NodeReport, b: NodeReport) => number> = {
  name: byName,
  utilisation: (a, b) => utilisation(b) - utilisation(a) || byName(a, b),
  age: (a, b) => created(a) - created(b) || byName(a, b),
  pending: (a, b) =>
    b.podsWaitingForIp - a.podsWaitingForIp || utilisation(b) - utilisation(a) || byName(a, b),
};

function sourcePlaces(nodes: readonly NodeReport[], byName: PlacedByName): Int32Array {
  const at = new Int32Array(nodes.length);
  nodes.forEach((n, i) => {
    at[i] = byName.place(n.name) ?? -1;
  });
  return at;
}

/**
 * The previous layout with changed nodes swapped in, when no box moves: same node names, each still in its
 * group and the same size (an ENI attaching fills a placeholder row, so this is the usual case on a live update).
 * Null when boxes must move. Returns `prev` itself when nothing changed.
 */
function relayout(
  prev: ClusterLayout,
  nodes: readonly NodeReport[],
  grouping: Grouping,
  sort: NodeSort,
): ClusterLayout | null {
  if (prev.grouping !== grouping || prev.sort !== sort || prev.nodes.length !== nodes.length) return null;
  // The usual live update: the same reports in the same order but for a few, found object by object.
  const changes: [number, NodeReport][] = [];
  let sameOrder = prev.source.length === nodes.length;
  for (let i = 0; sameOrder && i < nodes.length; i++) {
    const n = nodes[i]!;
    const was = prev.source[i]!;
    if (n === was) continue;
    if (n.name !== was.name) sameOrder = false;
    else changes.push([prev.sourcePlaces[i]!, n]);
  }
  if (!sameOrder) {
    changes.length = 0;
    const seen = new Set<string>();
    for (const n of nodes) {
      const at = prev.byName.place(n.name);
      if (at === undefined || seen.has(n.name)) return null;
      seen.add(n.name);
      if (prev.nodes[at]!.layout.node !== n) changes.push([at, n]);
    }
  }
  let placed: PlacedNode[] | null = null;
  let pods: number[] | null = null;
  for (const [at, n] of changes) {
    const old = prev.nodes[at]!;
    const l = nodeLayoutOf(n);
    if (l === old.layout) continue;
    if (l.width !== old.width || l.height !== old.height) return null;
    if ((groupKey(n, grouping) ?? "") !== prev.groups[old.group]!.key) return null;
    placed ??= prev.nodes.slice();
    pods ??= prev.groups.map((g) => g.pods);
    placed[at] = { ...old, layout: l };
    pods[old.group]! += n.pods - old.layout.node.pods;
  }
  // Nothing to redraw: the same layout object, so nothing downstream recomputes. Its `source` may then be an
  // older list of the same reports; comparing against it still finds the next change.
  if (!placed || !pods) return prev;
  const source = nodes.slice();
  const places = sameOrder ? prev.sourcePlaces : sourcePlaces(source, prev.byName);
  return {
    ...prev,
    nodes: placed,
    byName: prev.byName.withNodes(placed),
    groups: prev.groups.map((g, i) => (g.pods === pods[i] ? g : { ...g, pods: pods[i]! })),
    index: prev.index.withItems(placed),
    source,
    sourcePlaces: places,
  };
}

/** Lays out the cluster; pass the previous layout to keep boxes in place and reuse it when nothing moved. */
export function layoutCluster(
  nodes: readonly NodeReport[],
  options: LayoutOptions,
  prev: ClusterLayout | null = null,
): ClusterLayout {
  if (prev) {
    const kept = relayout(prev, nodes, options.grouping, options.sort ?? "name");
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
    const members = buckets.get(key)!.sort(sorters[options.sort ?? "name"]);
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
      unnamed: options.grouping === "none" ? "none" : key ? null : options.grouping,
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
  const byName = new PlacedByName(new Map(placed.map((p, i) => [p.name, i])), placed);
  const source = nodes.slice();
  return {
    grouping: options.grouping,
    sort: options.sort ?? "name",
    nodes: placed,
    byName,
    groups,
    width,
    height,
    index: new GridIndex(placed),
    source,
    sourcePlaces: sourcePlaces(source, byName),
  };
}
