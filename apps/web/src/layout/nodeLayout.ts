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

/** Receives one cell: the same values a Cell holds, without an object per cell. */
export type CellVisitor = (
  kind: CellKind,
  x: number,
  y: number,
  ip: string | null,
  pod: PodKey | null,
  prefix: string | null,
) => void;

export interface EniRow {
  /** Null for a placeholder row (an ENI that could be attached). */
  eni: EniReport | null;
  deviceIndex: number;
  /** Top of the caption line; cells start ROW_LABEL_H below it. */
  y: number;
  height: number;
  /** The cells as objects, built on first use (a zoomed-in bitmap, a hit test). */
  readonly cells: readonly Cell[];
  /** Visits the cells in the order of `cells`, building no objects unless `cells` already exists. */
  forEachCell(visit: CellVisitor): void;
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

interface Walked {
  lines: number;
  hidden: number;
  pods: number;
}

/**
 * An attached ENI's cells in drawing order: its primary IP, one per slot (each delegated /28 on a line of its
 * own), then the free room it could still take. The one place cell positions are decided: rows count their
 * lines with it, build their cells with it, and the overview paints straight from it.
 */
function walkEni(eni: EniReport, cols: number, top: number, visit: CellVisitor | null): Walked {
  visit?.("primary", PAD, top, eni.primaryIp, null, null);
  const x0 = PAD + PITCH;
  let line = 0;
  let col = 0;
  let pods = 0;
  let prefix: string | undefined;
  for (const slot of eni.slots) {
    if (slot.prefix !== undefined && slot.prefix !== prefix && col > 0) {
      line++;
      col = 0;
    }
    prefix = slot.prefix;
    if (col === cols) {
      line++;
      col = 0;
    }
    if (slot.pod) pods++;
    visit?.(
      slot.pod ? "pod" : "warm",
      x0 + col * PITCH,
      top + line * PITCH,
      slot.ip,
      slot.pod,
      slot.prefix ?? null,
    );
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
      visit?.("free", x0 + col * PITCH, top + line * PITCH, null, null, null);
      col++;
    }
  } else hidden = headroom;
  return { lines: line + 1, hidden, pods };
}

/** The cells of an ENI the instance type allows but that is not attached: a primary and its pod slots. */
function walkPlaceholder(
  perEni: number | null,
  cols: number,
  top: number,
  visit: CellVisitor | null,
): Walked {
  visit?.("placeholder", PAD, top, null, null, null);
  if (perEni === null || perEni > HEADROOM_CELLS_MAX) return { lines: 1, hidden: perEni ?? 0, pods: 0 };
  if (visit)
    for (let i = 0; i < perEni; i++)
      visit(
        "placeholder",
        PAD + PITCH + (i % cols) * PITCH,
        top + Math.floor(i / cols) * PITCH,
        null,
        null,
        null,
      );
  return { lines: Math.max(1, Math.ceil(perEni / cols)), hidden: 0, pods: 0 };
}

/**
 * A row whose cells are walked on demand: laying out 5,000 nodes then builds no per-cell objects (about
 * 260,000), which the first drawing of a large cluster would otherwise wait for and then collect.
 */
class Row implements EniRow {
  readonly eni: EniReport | null;
  readonly deviceIndex: number;
  readonly y: number;
  readonly height: number;
  readonly hiddenSlots: number;
  /** Cells holding a pod. */
  readonly pods: number;
  readonly #cols: number;
  /** Pod IPs per ENI, for a placeholder row. */
  readonly #perEni: number | null;
  #cells: Cell[] | null = null;

  constructor(eni: EniReport | null, deviceIndex: number, y: number, cols: number, perEni: number | null) {
    this.eni = eni;
    this.deviceIndex = deviceIndex;
    this.y = y;
    this.#cols = cols;
    this.#perEni = perEni;
    const w = this.#walk(null);
    this.height = ROW_LABEL_H + w.lines * PITCH;
    this.hiddenSlots = w.hidden;
    this.pods = w.pods;
  }

  #walk(visit: CellVisitor | null): Walked {
    const top = this.y + ROW_LABEL_H;
    return this.eni
      ? walkEni(this.eni, this.#cols, top, visit)
      : walkPlaceholder(this.#perEni, this.#cols, top, visit);
  }

  get cells(): readonly Cell[] {
    if (!this.#cells) {
      const cells: Cell[] = [];
      this.#walk((kind, x, y, ip, pod, prefix) => cells.push({ kind, x, y, ip, pod, prefix }));
      this.#cells = cells;
    }
    return this.#cells;
  }

  forEachCell(visit: CellVisitor): void {
    if (this.#cells) for (const c of this.#cells) visit(c.kind, c.x, c.y, c.ip, c.pod, c.prefix);
    else this.#walk(visit);
  }
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
    const row = new Row(eni, eni.deviceIndex, y, cols, null);
    podCells += row.pods;
    rows.push(row);
    y += row.height + ROW_GAP;
  }
  for (const deviceIndex of freeDeviceIndexes(node, Math.max(0, node.eniSlotsFree))) {
    const row = new Row(null, deviceIndex, y, cols, node.capacity.podIpsPerEni);
    rows.push(row);
    y += row.height + ROW_GAP;
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
