// The zoomed-out picture of the whole cluster as a pixel buffer. At overview scale a cell is two or three
// pixels, so writing those pixels straight into a Uint32Array paints 150,000 cells in tens of milliseconds,
// where the same number of canvas fillRect calls takes hundreds (software rasterising, no GPU).
import type { PlacedNode } from "../layout/clusterLayout.ts";
import { HEADER_H, PAD, PITCH, ROW_LABEL_H } from "../layout/metrics.ts";
import type { CellKind } from "../layout/nodeLayout.ts";
import { eniAttaching, nodeTone } from "../layout/nodeText.ts";
import type { ProblemKind } from "../layout/problems.ts";
import { detailLoading } from "../overview/overviewState.ts";
import { loadingDots, thinBar } from "../overview/thinBox.ts";
import { type BoxStyle, zoomedOutSlotFill } from "./nodeBox.ts";
import { planNodeColour, planPodColour } from "./planMarks.ts";
import { MARK_HALO, markFill, zoomedOutMarkRects } from "./problemMarks.ts";

/** "#rrggbb" -> 0xAABBGGRR, the byte order of ImageData on little-endian machines (all browsers' hosts). */
export function packColor(hex: string, alpha = 1): number {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  const v = m ? Number.parseInt(m[1]!, 16) : 0x808080;
  const r = (v >> 16) & 255;
  const g = (v >> 8) & 255;
  const b = v & 255;
  return ((Math.round(alpha * 255) << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

/** `fg` over `bg` at `alpha`, both "#rrggbb": the overview has no blending, so mix here. */
export function mixColor(fg: string, bg: string, alpha: number): number {
  const f = packColor(fg);
  const b = packColor(bg);
  const ch = (shift: number) => Math.round(((f >> shift) & 255) * alpha + ((b >> shift) & 255) * (1 - alpha));
  return ((255 << 24) | (ch(16) << 16) | (ch(8) << 8) | ch(0)) >>> 0;
}

// Other cards' interfaces look like placeholders when zoomed out: no pod capacity either way.
const kindIndex: Record<Exclude<CellKind, "pod">, number> = {
  primary: 0,
  warm: 1,
  free: 2,
  placeholder: 3,
  interface: 3,
};

export class OverviewRaster {
  readonly width: number;
  readonly height: number;
  /** Pixels per layout unit. */
  readonly scale: number;
  readonly pixels: Uint32Array;

  constructor(width: number, height: number, scale: number) {
    this.width = width;
    this.height = height;
    this.scale = scale;
    this.pixels = new Uint32Array(width * height);
  }

  readonly #solid = new Map<string, number>();
  /** Mixed colours by background, then alpha, then colour: no key text made per call (100,000 boxes each
   * ask for a dozen). */
  readonly #mixed = new Map<string, Map<number, Map<string, number>>>();

  #color(hex: string, bg: string, alpha: number): number {
    if (alpha >= 1) {
      let c = this.#solid.get(hex);
      if (c === undefined) {
        c = packColor(hex);
        this.#solid.set(hex, c);
      }
      return c;
    }
    let byAlpha = this.#mixed.get(bg);
    if (!byAlpha) {
      byAlpha = new Map();
      this.#mixed.set(bg, byAlpha);
    }
    let byHex = byAlpha.get(alpha);
    if (!byHex) {
      byHex = new Map();
      byAlpha.set(alpha, byHex);
    }
    let c = byHex.get(hex);
    if (c === undefined) {
      c = mixColor(hex, bg, alpha);
      byHex.set(hex, c);
    }
    return c;
  }

  /** Fills layout-unit rectangle (x, y, w, h) with a packed colour; at least one pixel. */
  fill(x: number, y: number, w: number, h: number, color: number): void {
    const s = this.scale;
    const x0 = Math.max(0, Math.floor(x * s));
    const y0 = Math.max(0, Math.floor(y * s));
    const x1 = Math.min(this.width, Math.max(x0 + 1, Math.floor((x + w) * s)));
    const y1 = Math.min(this.height, Math.max(y0 + 1, Math.floor((y + h) * s)));
    this.#fillPx(x0, y0, x1, y1, color);
  }

  #fillPx(x0: number, y0: number, x1: number, y1: number, color: number): void {
    const px = this.pixels;
    const stride = this.width;
    // Cells are a few pixels wide: plain stores beat TypedArray.fill's call overhead there.
    if (x1 - x0 <= 8) {
      for (let yy = y0; yy < y1; yy++)
        for (let i = yy * stride + x0, end = yy * stride + x1; i < end; i++) px[i] = color;
    } else for (let yy = y0; yy < y1; yy++) px.fill(color, yy * stride + x0, yy * stride + x1);
  }

  clear(x: number, y: number, w: number, h: number): void {
    this.fill(x - 1, y - 1, w + 2, h + 2, 0);
  }

  /** The pixel rectangle a layout rectangle covers, for copying just that part to a canvas. */
  pixelRect(x: number, y: number, w: number, h: number): { x: number; y: number; w: number; h: number } {
    const s = this.scale;
    const x0 = Math.max(0, Math.floor((x - 1) * s));
    const y0 = Math.max(0, Math.floor((y - 1) * s));
    const x1 = Math.min(this.width, Math.ceil((x + w + 1) * s) + 1);
    const y1 = Math.min(this.height, Math.ceil((y + h + 1) * s) + 1);
    return { x: x0, y: y0, w: Math.max(0, x1 - x0), h: Math.max(0, y1 - y0) };
  }

  paintNode(p: PlacedNode, style: Omit<BoxStyle, "text">): void {
    const t = style.theme;
    const n = p.layout.node;
    const bg = t.boxFill;
    const nodeDim = style.nodeLit !== null && !style.nodeLit(n.name);
    // A box left out by a search fades towards the page background, like the canvas overlay does.
    const a = (alpha: number) => (nodeDim ? alpha * 0.45 : alpha);
    this.fill(p.x, p.y, p.width, p.height, this.#color(nodeDim ? t.background : bg, bg, 1));
    const edge = this.#color(n.overcommitted ? t.warn : t.boxStroke, bg, a(1));
    this.fill(p.x, p.y, p.width, 1, edge);
    this.fill(p.x, p.y + p.height - 1, p.width, 1, edge);
    this.fill(p.x, p.y, 1, p.height, edge);
    this.fill(p.x + p.width - 1, p.y, 1, p.height, edge);
    // No text at this scale: the header becomes a band in the node's status colour, and each ENI's first line of
    // cells grows up over its caption, so the picture is mostly cells rather than blank label space.
    const tone = t[nodeTone(n)];
    this.fill(p.x, p.y, p.width, 4, this.#color(tone, bg, a(1)));
    // A NotReady or cordoned node's band is drawn solid with the marks (#marks); a healthy one's is a tint.
    if (nodeTone(n) === "ok")
      this.fill(p.x + 1, p.y + 4, p.width - 2, HEADER_H - 2, this.#color(tone, bg, a(0.18)));
    const kinds = style.problems?.(n.name);
    const heat = style.heat?.(n) ?? null;
    if (heat !== null) {
      // The heat map replaces the cells: the box below its status band is one colour.
      this.fill(
        p.x + 1,
        p.y + HEADER_H / 2 + 4,
        p.width - 2,
        p.height - HEADER_H / 2 - 5,
        this.#color(heat, bg, a(1)),
      );
      this.#marks(p, kinds, style, a);
      return;
    }
    if (p.layout.summary) {
      this.#thin(p, p.layout.summary, style, a);
      this.#marks(p, kinds, style, a);
      return;
    }
    // The fixed kinds' colours once per box, lit and dimmed, rather than a lookup per cell.
    const slots = (["primary", "warm", "free", "placeholder"] as const).map((k) => zoomedOutSlotFill(t, k));
    const lit = slots.map((c) => this.#color(c, bg, a(1)));
    const dimmed = slots.map((c) => this.#color(c, bg, a(t.dimAlpha)));
    const test = style.lit;
    let rowY = 0;
    let firstLine = 0;
    let attaching = false;
    const cell = (cellKind: CellKind, x: number, y: number, ip: string | null, pod: string | null) => {
      const kind = attaching && cellKind === "free" ? "placeholder" : cellKind;
      const dim = test !== null && !test(n.name, pod, ip);
      const color =
        kind === "pod"
          ? this.#color(style.podColor(pod!), bg, a(dim ? t.dimAlpha : 1))
          : (dim ? dimmed : lit)[kindIndex[kind]]!;
      const top = y === firstLine ? rowY + 2 : y;
      this.fill(p.x + x, p.y + top, PITCH, y + PITCH - top, color);
    };
    for (const row of p.layout.rows) {
      rowY = row.y;
      firstLine = row.y + ROW_LABEL_H;
      attaching = eniAttaching(row.eni);
      row.forEachCell(cell);
    }
    const host = this.#color(t.hostCell, bg, a(1));
    for (const h of p.layout.hostPods) this.fill(p.x + h.x, p.y + h.y, PITCH - 2, PITCH - 2, host);
    this.#marks(p, kinds, style, a);
    this.#plan(p, style);
  }

  /** A thin node's bar of IPs used, warm and room over its rows' place, and its loading dots. */
  #thin(
    p: PlacedNode,
    area: { y: number; height: number },
    style: Omit<BoxStyle, "text">,
    a: (alpha: number) => number,
  ): void {
    const t = style.theme;
    const bg = t.boxFill;
    const bar = thinBar(p.layout.node);
    const w = p.width - 2 * PAD;
    let x = p.x + PAD;
    const top = p.y + area.y;
    for (const [share, colour, alpha] of [
      [bar.used, t.primaryCell, 1],
      [bar.warm, zoomedOutSlotFill(t, "warm"), 1],
      [bar.room, zoomedOutSlotFill(t, "free"), 1],
    ] as const) {
      if (share <= 0) continue;
      this.fill(x, top, share * w, area.height, this.#color(colour, bg, a(alpha)));
      x += share * w;
    }
    if (detailLoading(p.layout.node))
      for (const d of loadingDots(p.width, area.y, area.height))
        this.fill(p.x + d.x - d.r, p.y + d.y - d.r, d.r * 2, d.r * 2, this.#color(t.textDim, bg, a(0.9)));
  }

  /** A plan's marks (planMarks.ts) in pixels: its pods' cells in the plan's colours, a frame round each
   * new ENI, and a thick frame round a node it adds or replaces. */
  #plan(p: PlacedNode, style: Omit<BoxStyle, "text">): void {
    const m = style.plan?.(p.layout.node.name);
    if (!m) return;
    const t = style.theme;
    const frame = (x: number, y: number, w: number, h: number, edge: number, color: number) => {
      this.fill(x, y, w, edge, color);
      this.fill(x, y + h - edge, w, edge, color);
      this.fill(x, y, edge, h, color);
      this.fill(x + w - edge, y, edge, h, color);
    };
    if (m.newPods.size > 0 || m.movedPods.size > 0) {
      for (const row of p.layout.rows)
        row.forEachCell((_kind, x, y, _ip, pod) => {
          const colour = planPodColour(m, pod, t);
          if (colour !== null) this.fill(p.x + x, p.y + y, PITCH, PITCH, this.#color(colour, t.boxFill, 1));
        });
    }
    const eniColour = this.#color(t.planNew, t.boxFill, 1);
    for (const row of p.layout.rows)
      if (row.eni !== null && m.newEnis.has(row.eni.id))
        frame(p.x + 1, p.y + row.y, p.width - 2, row.height, 2, eniColour);
    const whole = planNodeColour(m, t);
    if (whole !== null)
      frame(
        p.x,
        p.y,
        p.width,
        p.height,
        Math.max(8, Math.round(p.width * 0.07)),
        this.#color(whole, t.boxFill, 1),
      );
  }

  #marks(
    p: PlacedNode,
    kinds: readonly ProblemKind[] | undefined,
    style: Omit<BoxStyle, "text">,
    a: (alpha: number) => number,
  ): void {
    const rects = zoomedOutMarkRects(p.layout.node, p.width, p.height, kinds ?? []);
    if (rects.length === 0) return;
    const t = style.theme;
    const dim = style.nodeLit !== null && !style.nodeLit(p.layout.node.name);
    const paper = this.#color(dim ? t.background : t.boxFill, t.boxFill, 1);
    // The keyline at least a pixel wide however far out: a layout-unit halo would round away to nothing.
    const halo = Math.max(1, Math.round(MARK_HALO * this.scale));
    const box = this.#px(p.x, p.y, p.width, p.height);
    for (const r of rects) {
      const m = this.#px(p.x + r.x, p.y + r.y, r.w, r.h);
      this.#fillPx(
        Math.max(box.x0, m.x0 - halo),
        Math.max(box.y0, m.y0 - halo),
        Math.min(box.x1, m.x1 + halo),
        Math.min(box.y1, m.y1 + halo),
        paper,
      );
    }
    for (const r of rects)
      this.fill(p.x + r.x, p.y + r.y, r.w, r.h, this.#color(markFill(t, r.color), t.boxFill, a(1)));
  }

  /** The pixels `fill` covers for a layout rectangle (end exclusive). */
  #px(x: number, y: number, w: number, h: number): { x0: number; y0: number; x1: number; y1: number } {
    const s = this.scale;
    const x0 = Math.max(0, Math.floor(x * s));
    const y0 = Math.max(0, Math.floor(y * s));
    return {
      x0,
      y0,
      x1: Math.min(this.width, Math.max(x0 + 1, Math.floor((x + w) * s))),
      y1: Math.min(this.height, Math.max(y0 + 1, Math.floor((y + h) * s))),
    };
  }
}
