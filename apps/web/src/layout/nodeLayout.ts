// One node box, in box-local coordinates: header, one row per ENI (attached ones in device-index order,
// then dimmed placeholders for the ENIs the instance type still allows), then the hostNetwork pods.
// Depends only on the NodeReport, so it is cached per report object and reused while a node is unchanged.
import type { EniReport, HostNetworkPodRef, NodeReport, PodKey } from "@eni-view/model";
import {
  CELL,
  HEADER_H,
  HEADROOM_CELLS_MAX,
  MAX_COLS,
  MIN_COLS,
  PAD,
  PITCH,
  PREFIX_COLS,
  ROW_GAP,
  ROW_LABEL_H,
} from "./metrics.ts";

/**
 * - primary: the ENI's primary IP, never a pod's;
 * - pod: an IP held by a pod;
 * - warm: assigned to the ENI, free for the next pod;
 * - free: room the attached ENI could still take (not yet assigned from the subnet);
 * - placeholder: a slot of an ENI the instance type allows but that is not attached.
 */
export type CellKind = "primary" | "pod" | "warm" | "free" | "placeholder";

export interface Cell {
  kind: CellKind;
  /** Box-local top-left corner. */
  x: number;
  y: number;
  ip: string | null;
  pod: PodKey | null;
  prefix: string | null;
}

export interface EniRow {
  /** Null for a placeholder row (an ENI that could be attached). */
  eni: EniReport | null;
  deviceIndex: number;
  /** Top of the caption line; cells start ROW_LABEL_H below it. */
  y: number;
  height: number;
  cells: Cell[];
  /** Headroom too long to draw cell by cell (prefix delegation on big types); shown as a count. */
  hiddenSlots: number;
}

export interface HostPodCell {
  x: number;
  y: number;
  pod: HostNetworkPodRef;
}

export interface NodeLayout {
  node: NodeReport;
  width: number;
  height: number;
  /** Slot columns right of the primary column. */
  cols: number;
  rows: EniRow[];
  /** Top of the hostNetwork line, or -1 when the node runs none. */
  hostY: number;
  hostPods: HostPodCell[];
  /** Pod-held cells: what the summary counts and what search highlights. */
  podCells: number;
}

function slotColumns(node: NodeReport): number {
  if (node.capacity.mode === "prefix-delegation") return PREFIX_COLS;
  const perEni = node.capacity.podIpsPerEni ?? Math.max(0, ...node.enis.map((e) => e.slotLimit));
  if (perEni <= MAX_COLS) return Math.max(MIN_COLS, perEni);
  // Balance the wrapped lines (29 slots -> 2 x 15) rather than leave a short last line.
  return Math.max(MIN_COLS, Math.ceil(perEni / Math.ceil(perEni / MAX_COLS)));
}

function cellsForEni(
  eni: EniReport,
  cols: number,
  top: number,
): { cells: Cell[]; lines: number; hidden: number } {
  const cells: Cell[] = [];
  const x0 = PAD + PITCH;
  cells.push({ kind: "primary", x: PAD, y: top, ip: eni.primaryIp, pod: null, prefix: null });
  let line = 0;
  let col = 0;
  let prefix: string | undefined;
  for (const slot of eni.slots) {
    // Each delegated /28 starts its own line so the 16-address blocks read as blocks.
    if (slot.prefix !== undefined && slot.prefix !== prefix && col > 0) {
      line++;
      col = 0;
    }
    prefix = slot.prefix;
    if (col === cols) {
      line++;
      col = 0;
    }
    cells.push({
      kind: slot.pod ? "pod" : "warm",
      x: x0 + col * PITCH,
      y: top + line * PITCH,
      ip: slot.ip,
      pod: slot.pod,
      prefix: slot.prefix ?? null,
    });
    col++;
  }
  const headroom = eni.podCapacity ? Math.max(0, eni.slotLimit - eni.slots.length) : 0;
  let hidden = 0;
  if (headroom > 0 && eni.slotLimit <= HEADROOM_CELLS_MAX) {
    for (let i = 0; i < headroom; i++) {
      if (col === cols) {
        line++;
        col = 0;
      }
      cells.push({
        kind: "free",
        x: x0 + col * PITCH,
        y: top + line * PITCH,
        ip: null,
        pod: null,
        prefix: null,
      });
      col++;
    }
  } else hidden = headroom;
  return { cells, lines: line + 1, hidden };
}

function placeholderCells(
  perEni: number | null,
  cols: number,
  top: number,
): { cells: Cell[]; lines: number; hidden: number } {
  const cells: Cell[] = [{ kind: "placeholder", x: PAD, y: top, ip: null, pod: null, prefix: null }];
  if (perEni === null || perEni > HEADROOM_CELLS_MAX) return { cells, lines: 1, hidden: perEni ?? 0 };
  for (let i = 0; i < perEni; i++) {
    cells.push({
      kind: "placeholder",
      x: PAD + PITCH + (i % cols) * PITCH,
      y: top + Math.floor(i / cols) * PITCH,
      ip: null,
      pod: null,
      prefix: null,
    });
  }
  return { cells, lines: Math.max(1, Math.ceil(perEni / cols)), hidden: 0 };
}

function byDevice(a: EniReport, b: EniReport): number {
  return a.networkCardIndex - b.networkCardIndex || a.deviceIndex - b.deviceIndex || a.id.localeCompare(b.id);
}

/** Device indexes on the default card that no attached ENI uses: where the next ENIs would go. */
function freeDeviceIndexes(node: NodeReport, count: number): number[] {
  const used = new Set(node.enis.filter((e) => e.networkCardIndex === 0).map((e) => e.deviceIndex));
  const free: number[] = [];
  for (let i = 0; free.length < count; i++) if (!used.has(i)) free.push(i);
  return free;
}

export function layoutNode(node: NodeReport): NodeLayout {
  const cols = slotColumns(node);
  const width = PAD * 2 + (cols + 1) * PITCH - (PITCH - CELL);
  const rows: EniRow[] = [];
  let y = PAD + HEADER_H;
  let podCells = 0;
  for (const eni of [...node.enis].sort(byDevice)) {
    const { cells, lines, hidden } = cellsForEni(eni, cols, y + ROW_LABEL_H);
    const height = ROW_LABEL_H + lines * PITCH;
    for (const c of cells) if (c.kind === "pod") podCells++;
    rows.push({ eni, deviceIndex: eni.deviceIndex, y, height, cells, hiddenSlots: hidden });
    y += height + ROW_GAP;
  }
  for (const deviceIndex of freeDeviceIndexes(node, Math.max(0, node.eniSlotsFree))) {
    const { cells, lines, hidden } = placeholderCells(node.capacity.podIpsPerEni, cols, y + ROW_LABEL_H);
    const height = ROW_LABEL_H + lines * PITCH;
    rows.push({ eni: null, deviceIndex, y, height, cells, hiddenSlots: hidden });
    y += height + ROW_GAP;
  }
  const hostPods: HostPodCell[] = [];
  let hostY = -1;
  if (node.hostNetworkPods.length > 0) {
    hostY = y;
    const perLine = cols + 1;
    node.hostNetworkPods.forEach((pod, i) => {
      hostPods.push({
        x: PAD + (i % perLine) * PITCH,
        y: y + ROW_LABEL_H + Math.floor(i / perLine) * PITCH,
        pod,
      });
    });
    y += ROW_LABEL_H + Math.ceil(node.hostNetworkPods.length / perLine) * PITCH + ROW_GAP;
  }
  return { node, width, height: y + PAD - ROW_GAP, cols, rows, hostY, hostPods, podCells };
}

const cache = new WeakMap<NodeReport, NodeLayout>();

/** Layout of a node report, computed once per report object: unchanged nodes keep their layout across updates. */
export function nodeLayoutOf(node: NodeReport): NodeLayout {
  let l = cache.get(node);
  if (!l) {
    l = layoutNode(node);
    cache.set(node, l);
  }
  return l;
}
