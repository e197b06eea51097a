// One node box, in box-local coordinates: header, one row per ENI (attached ones in device-index order,
// then dimmed placeholders for the ENIs the instance type still allows), then the hostNetwork pods.
// Depends only on the NodeReport, so it is cached per report object and reused while a node is unchanged.

import type { EniReport, HostNetworkPodRef, NodeReport, PodKey } from "@eni-view/model";
import { t } from "../i18n/i18n.ts";
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
 * - placeholder: a slot of an ENI the instance type allows but that is not attached;
 * - interface: an interface on another network card (EFA, EFA-only): never pod capacity.
 */
export type CellKind = "primary" | "pod" | "warm" | "free" | "placeholder" | "interface";

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

/**
 * - eni: an attached ENI (branch ENIs under their trunk);
 * - placeholder: an ENI the instance type still allows;
 * - interfaces: the interfaces of other network cards that hold no IPs, one cell each;
 * - off-eni: pods whose IP is on none of the node's ENIs (ENIs unknown, a hybrid node's pod CIDR ...).
 */
export type RowKind = "eni" | "placeholder" | "interfaces" | "off-eni";

export interface EniRow {
  kind: RowKind;
  /** The ENI of an "eni" row; null otherwise. */
  eni: EniReport | null;
  /** What an "interfaces" or "off-eni" row says instead of an ENI caption. */
  caption: string | null;
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
  /** A thin node of the overview (no ENIs in hand): where its numbers are drawn in place of the rows,
   * as tall as its rows will be, so the box does not move when they come. */
  summary?: { y: number; height: number };
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
  // A branch or Fargate ENI's primary IP is its pod's: the pod's cell says it, no node-address cell.
  if (eni.role !== "branch" && eni.role !== "fargate")
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

/** Other cards' interfaces without IPs, one cell each; the cell's prefix field says which. */
function walkInterfaces(
  list: readonly EniReport[],
  cols: number,
  top: number,
  visit: CellVisitor | null,
): Walked {
  const perLine = cols + 1;
  if (visit)
    list.forEach((e, i) => {
      visit(
        "interface",
        PAD + (i % perLine) * PITCH,
        top + Math.floor(i / perLine) * PITCH,
        null,
        null,
        `card ${e.networkCardIndex} · eth${e.deviceIndex} · ${e.interfaceType} · ${e.id}`,
      );
    });
  return { lines: Math.max(1, Math.ceil(list.length / perLine)), hidden: 0, pods: 0 };
}

/** Pods whose IP is on none of the node's ENIs, one cell each, with no IP to show. */
function walkPods(pods: readonly PodKey[], cols: number, top: number, visit: CellVisitor | null): Walked {
  const perLine = cols + 1;
  if (visit)
    pods.forEach((pod, i) => {
      visit("pod", PAD + (i % perLine) * PITCH, top + Math.floor(i / perLine) * PITCH, null, pod, null);
    });
  return { lines: Math.max(1, Math.ceil(pods.length / perLine)), hidden: 0, pods: pods.length };
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
/** What a row that is not one ENI holds. */
interface RowContent {
  kind: "interfaces" | "off-eni";
  caption: string;
  interfaces?: readonly EniReport[];
  pods?: readonly PodKey[];
}

class Row implements EniRow {
  readonly kind: RowKind;
  readonly eni: EniReport | null;
  readonly caption: string | null;
  readonly #content: RowContent | null;
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

  constructor(
    eni: EniReport | null,
    deviceIndex: number,
    y: number,
    cols: number,
    perEni: number | null,
    content: RowContent | null = null,
  ) {
    this.kind = content?.kind ?? (eni ? "eni" : "placeholder");
    this.caption = content?.caption ?? null;
    this.#content = content;
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
    const content = this.#content;
    if (content?.kind === "interfaces")
      return walkInterfaces(content.interfaces ?? [], this.#cols, top, visit);
    if (content?.kind === "off-eni") return walkPods(content.pods ?? [], this.#cols, top, visit);
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

/** Reports kept from before network cards were told apart (frozen snapshots) say card 0 is the default. */
const onDefaultCard = (e: EniReport): boolean => e.onDefaultCard ?? e.networkCardIndex === 0;

/** Device indexes on the default card that no attached ENI uses: where the next ENIs would go. */
function freeDeviceIndexes(node: NodeReport, count: number): number[] {
  const used = new Set(
    node.enis.filter((e) => onDefaultCard(e) && e.role !== "branch").map((e) => e.deviceIndex),
  );
  const free: number[] = [];
  for (let i = 0; free.length < count; i++) if (!used.has(i)) free.push(i);
  return free;
}

/** What the row of pods on none of the node's ENIs says, or null when there is no such row. */
export function offEniCaption(node: NodeReport): string | null {
  const pods = node.podsOffEni?.length ?? 0;
  const counted = t("node.offEni.pods", { count: pods });
  if (node.kind === "hybrid") {
    const cidrs = node.podCidrs?.length ? node.podCidrs.join(", ") : t("node.offEni.noPodCidr");
    return t("node.offEni.hybrid", { cidrs, pods: counted });
  }
  if (node.enisKnown === false) return t("node.offEni.unknown", { pods: counted });
  return pods > 0 ? t("node.offEni.none", { pods: counted }) : null;
}

/** A thin node's box: the header, then room for the rows its ENIs, the ENIs it may still attach, its pods on
 * no ENI and its hostNetwork pods will take, reckoned from its numbers as walkEni lays them out (exact for
 * ENIs in secondary-IP mode; prefix delegation and other cards may take more once drawn). */
function layoutThin(node: NodeReport, omitted: NonNullable<NodeReport["omitted"]>): NodeLayout {
  const cols = slotColumns(node);
  const width = PAD * 2 + (cols + 1) * PITCH - (PITCH - CELL);
  const perEni = node.capacity.podIpsPerEni;
  const lines = perEni === null || perEni > HEADROOM_CELLS_MAX ? 1 : Math.max(1, Math.ceil(perEni / cols));
  const enis = omitted.enis + Math.max(0, node.eniSlotsFree);
  let rows = enis * (ROW_LABEL_H + lines * PITCH + ROW_GAP);
  if ((omitted.podsOffEni ?? 0) > 0 || node.enisKnown === false || node.kind === "hybrid")
    rows += ROW_LABEL_H + Math.max(1, Math.ceil((omitted.podsOffEni ?? 0) / (cols + 1))) * PITCH + ROW_GAP;
  if (omitted.hostNetworkPods > 0)
    rows += ROW_LABEL_H + Math.ceil(omitted.hostNetworkPods / (cols + 1)) * PITCH + ROW_GAP;
  const y = PAD + HEADER_H;
  // At least room for its two lines of numbers.
  const height = Math.max(rows - ROW_GAP, ROW_LABEL_H * 2 + PITCH);
  return {
    node,
    width,
    height: y + height + PAD,
    cols,
    rows: [],
    hostY: -1,
    hostPods: [],
    podCells: 0,
    summary: { y, height },
  };
}

export function layoutNode(node: NodeReport): NodeLayout {
  if (node.omitted) return layoutThin(node, node.omitted);
  const cols = slotColumns(node);
  const width = PAD * 2 + (cols + 1) * PITCH - (PITCH - CELL);
  const rows: EniRow[] = [];
  let y = PAD + HEADER_H;
  let podCells = 0;
  const add = (row: Row) => {
    podCells += row.pods;
    rows.push(row);
    y += row.height + ROW_GAP;
  };
  const devices = node.enis.filter((e) => onDefaultCard(e) && e.role !== "branch").sort(byDevice);
  const branches = node.enis.filter((e) => e.role === "branch");
  const otherCards = node.enis.filter((e) => !onDefaultCard(e) && e.role !== "branch").sort(byDevice);
  const hasTrunk = devices.some((e) => e.role === "trunk");
  const addBranches = () => {
    for (const b of branches) add(new Row(b, b.deviceIndex, y, cols, null));
  };
  // Device slots in order; the branch ENIs ride VLANs of the trunk, so they are drawn under it.
  for (const eni of devices) {
    add(new Row(eni, eni.deviceIndex, y, cols, null));
    if (eni.role === "trunk") addBranches();
  }
  if (!hasTrunk) addBranches();
  for (const deviceIndex of freeDeviceIndexes(node, Math.max(0, node.eniSlotsFree))) {
    add(new Row(null, deviceIndex, y, cols, node.capacity.podIpsPerEni));
  }
  // Other network cards, apart: interfaces that hold IPs as rows, the rest (EFA-only) one cell each.
  const bare: EniReport[] = [];
  for (const eni of otherCards) {
    if (eni.slots.length > 0 || eni.primaryIp !== null) add(new Row(eni, eni.deviceIndex, y, cols, null));
    else bare.push(eni);
  }
  if (bare.length > 0) {
    const cards = new Set(bare.map((e) => e.networkCardIndex));
    const types = [...new Set(bare.map((e) => e.interfaceType))].join("/");
    add(
      new Row(null, -1, y, cols, null, {
        kind: "interfaces",
        caption: t("node.interfaces", {
          count: bare.length,
          types,
          cards: t("node.otherCards", { count: cards.size }),
        }),
        interfaces: bare,
      }),
    );
  }
  const offCaption = offEniCaption(node);
  if (offCaption !== null) {
    add(
      new Row(null, -1, y, cols, null, { kind: "off-eni", caption: offCaption, pods: node.podsOffEni ?? [] }),
    );
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
