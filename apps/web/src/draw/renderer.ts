// Draws the cluster onto one canvas for a pan/zoom transform. Nothing here fetches or holds React state.
// Speed comes from never painting 150,000 cells per frame:
// - zoomed out, one overview bitmap of the whole cluster (cells without text) is scaled onto the screen;
//   on an update only the boxes that changed are repainted into it;
// - zoomed in, only the boxes in view are drawn, each from its own cached bitmap painted at a power-of-two
//   scale; new bitmaps are painted within a time budget per frame, the overview filling in meanwhile.

import { t as translate } from "../i18n/i18n.ts";
import { type ClusterLayout, changedPlaces, type PlacedNode } from "../layout/clusterLayout.ts";
import type { CoolingIp } from "../layout/cooling.ts";
import { groupTitle } from "../layout/format.ts";
import type { Hit } from "../layout/hitTest.ts";
import { CELL, GROUP_HEADER_H } from "../layout/metrics.ts";
import type { NodeLayout } from "../layout/nodeLayout.ts";
import { BitmapCache, makeCanvas, type NodeBitmap } from "./bitmapCache.ts";
import { type BoxStyle, type Ctx2D, drawNodeBox } from "./nodeBox.ts";
import { OverviewRaster } from "./overviewRaster.ts";
import { CanvasPainter } from "./painter.ts";

export interface ViewTransform {
  x: number;
  y: number;
  k: number;
}

export interface Flash {
  node: string;
  /** ENI id to flash, or null for the whole box. */
  eni: string | null;
  start: number;
}

export interface Scene {
  layout: ClusterLayout;
  style: Omit<BoxStyle, "text">;
  /** Changes whenever anything the bitmaps show changes besides the layouts themselves (theme, colours, search). */
  styleKey: string;
  selected: string | null;
  hover: Hit | null;
  flashes: Flash[];
  /** Warm IPs still cooling down, by IP: drawn over their cells as a bar that drains. */
  cooling: ReadonlyMap<string, CoolingIp>;
  /** The user asked for reduced motion: changes are marked with a steady outline, never a pulse. */
  still?: boolean;
}

export interface FrameStats {
  /** Boxes in view; null when the frame was drawn from the overview (no per-box work, so not counted). */
  visible: number | null;
  /** True when everything in view is drawn at its final quality. */
  complete: boolean;
  mode: "overview" | "boxes";
  /** Time spent drawing this frame (main thread), milliseconds. */
  ms: number;
}

const OVERVIEW_MAX_PX = 4096;
const BITMAP_BUDGET_PX = 16_000_000;
const FRAME_BUDGET_MS = 8;
/** While the overview is painted from nothing (first data, a new search or colouring), frames spend more of
 * themselves on it: the picture is incomplete anyway, and every frame also pays for scaling the overview onto
 * the screen, so fewer, fuller frames reach the complete picture sooner. */
const FILL_BUDGET_MS = 40;
/** ...and while nothing is on screen yet, a big overview (the overview stream's 100,000 boxes) is painted in
 * fewer, longer steps still: each frame also scales a 4096-pixel buffer onto the screen in software. */
const FIRST_FILL_BUDGET_MS = 150;
const FIRST_FILL_BOXES = 20_000;
const FLASH_MS = 2500;
const TEXT_MIN_SCALE = 0.55;
const MIP_FACTOR = 4;
/** The largest scale a box's bitmap is painted at; closer than this, boxes are drawn as vectors. */
const MAX_BUCKET = 4;
/** Vector drawing costs a box's full paint every frame: only done for a screenful of boxes. */
const VECTOR_MAX_BOXES = 60;

interface OverviewEntry {
  layout: NodeLayout;
  x: number;
  y: number;
}

type Paintable = { getContext(id: "2d"): Ctx2D | null } & (OffscreenCanvas | HTMLCanvasElement);

export class ClusterRenderer {
  readonly canvas: HTMLCanvasElement;
  readonly #ctx: CanvasRenderingContext2D;
  #cssW = 0;
  #cssH = 0;
  #dpr = 1;
  #view: ViewTransform = { x: 0, y: 0, k: 1 };
  #scene: Scene | null = null;
  #raf = 0;
  readonly #bitmaps = new BitmapCache(BITMAP_BUDGET_PX);
  #overview: Paintable | null = null;
  #raster: OverviewRaster | null = null;
  #image: ImageData | null = null;
  #overviewScale = 1;
  #overviewKey = "";
  #overviewPainted = new Map<string, OverviewEntry>();
  #overviewQueue: PlacedNode[] = [];
  /** False from a full repaint of the overview until its queue first empties. */
  #overviewFilled = false;
  /** True until the overview has been filled once. */
  #firstFill = true;
  readonly #onFrame: ((s: FrameStats) => void) | null;
  #background = "#fff";

  constructor(canvas: HTMLCanvasElement, onFrame?: (s: FrameStats) => void) {
    this.canvas = canvas;
    const ctx = canvas.getContext("2d", { alpha: false });
    if (!ctx) throw new Error(translate("errors.noCanvas"));
    this.#ctx = ctx;
    this.#onFrame = onFrame ?? null;
  }

  resize(cssWidth: number, cssHeight: number, dpr: number): void {
    this.#cssW = cssWidth;
    this.#cssH = cssHeight;
    this.#dpr = dpr;
    this.canvas.width = Math.max(1, Math.round(cssWidth * dpr));
    this.canvas.height = Math.max(1, Math.round(cssHeight * dpr));
    this.request();
  }

  setView(t: ViewTransform): void {
    this.#view = t;
    this.request();
  }

  setScene(scene: Scene): void {
    const prev = this.#scene;
    this.#scene = scene;
    this.#background = scene.style.theme.background;
    // A live update that moved no box: only the places whose node changed need work, not the whole cluster.
    const changed = prev ? changedPlaces(prev.layout, scene.layout) : null;
    if (!prev || prev.layout !== scene.layout || prev.styleKey !== scene.styleKey)
      this.#updateOverview(scene, prev && prev.styleKey === scene.styleKey ? changed : null);
    if (prev && prev.styleKey !== scene.styleKey) this.#bitmaps.clear();
    else if (prev && changed) for (const i of changed) this.#bitmaps.delete(prev.layout.nodes[i]!.layout);
    else if (prev && prev.layout !== scene.layout)
      this.#bitmaps.retainOnly(new Set(scene.layout.nodes.map((p) => p.layout)));
    this.request();
  }

  /** Memory the renderer holds in bitmaps and the overview buffer, in pixels: bounded whatever the session length. */
  get bitmapPixels(): number {
    const ov = this.#overview ? this.#overview.width * this.#overview.height : 0;
    const raster = this.#raster?.pixels.length ?? 0;
    return this.#bitmaps.pixels + ov + raster + (this.#mip ? this.#mip.width * this.#mip.height : 0);
  }

  request(): void {
    if (this.#raf === 0) this.#raf = requestAnimationFrame(() => this.#frame());
  }

  dispose(): void {
    cancelAnimationFrame(this.#raf);
    this.#bitmaps.clear();
    for (const c of [this.#overview, this.#mip]) {
      if (!c) continue;
      c.width = 0;
      c.height = 0;
    }
  }

  /** `changed`: the places whose node differs from the previous scene's, when no box moved. */
  #updateOverview(scene: Scene, changed: number[] | null): void {
    const l = scene.layout;
    const scale = Math.min(1, OVERVIEW_MAX_PX / Math.max(1, l.width, l.height));
    const w = Math.max(1, Math.ceil(l.width * scale));
    const h = Math.max(1, Math.ceil(l.height * scale));
    const full =
      !this.#overview ||
      !this.#raster ||
      this.#overviewKey !== scene.styleKey ||
      this.#raster.width !== w ||
      this.#raster.height !== h;
    if (full) {
      if (this.#overview) {
        this.#overview.width = w;
        this.#overview.height = h;
      } else this.#overview = makeCanvas(w, h) as Paintable;
      const old = this.#raster;
      if (old && old.width === w && old.height === h && old.scale === scale) {
        // Same size (a new search, colouring or theme): reuse the 40 MB buffer rather than churn the heap.
        old.pixels.fill(0);
      } else {
        this.#raster = new OverviewRaster(w, h, scale);
        this.#image = new ImageData(new Uint8ClampedArray(this.#raster.pixels.buffer as ArrayBuffer), w, h);
      }
      this.#overviewScale = scale;
      this.#overviewKey = scene.styleKey;
      this.#overviewPainted = new Map();
      this.#overviewQueue = [...l.nodes];
      this.#overviewFilled = false;
      // Resizing cleared the canvas: only painted boxes need copying, frame by frame.
      this.#overviewDirty = null;
      return;
    }
    const raster = this.#raster!;
    if (changed) {
      // Same boxes at the same places: only the changed ones are cleared and queued, as below, without
      // going over every box of the cluster.
      const queue: PlacedNode[] = [];
      for (const i of changed) {
        const p = l.nodes[i]!;
        const old = this.#overviewPainted.get(p.name);
        if (old && old.layout === p.layout && old.x === p.x && old.y === p.y) continue;
        if (old) {
          raster.clear(old.x, old.y, old.layout.width, old.layout.height);
          this.#markDirty(raster.pixelRect(old.x, old.y, old.layout.width, old.layout.height));
          this.#overviewPainted.delete(p.name);
        }
        queue.push(p);
      }
      this.#overviewQueue = queue.concat(this.#overviewQueue.filter((q) => l.byName.get(q.name) === q));
      return;
    }
    // Incremental: clear where boxes moved or vanished, then queue only boxes that changed.
    const next = new Map<string, OverviewEntry>();
    const queue: PlacedNode[] = [];
    for (const p of l.nodes) {
      const old = this.#overviewPainted.get(p.name);
      if (old && old.layout === p.layout && old.x === p.x && old.y === p.y) {
        next.set(p.name, old);
        this.#overviewPainted.delete(p.name);
      } else queue.push(p);
    }
    for (const gone of this.#overviewPainted.values()) {
      raster.clear(gone.x, gone.y, gone.layout.width, gone.layout.height);
      this.#markDirty(raster.pixelRect(gone.x, gone.y, gone.layout.width, gone.layout.height));
    }
    this.#overviewPainted = next;
    this.#overviewQueue = queue.concat(this.#overviewQueue.filter((q) => l.byName.get(q.name) === q));
  }

  #overviewDirty: { x: number; y: number; w: number; h: number } | null = null;
  #mip: Paintable | null = null;
  #mipStale = true;

  /** The overview at a quarter of its size, redrawn from it when it changed; null when too small to help. */
  #mipmap(): Paintable | null {
    const ov = this.#overview;
    if (!ov || ov.width < MIP_FACTOR * 64) return null;
    const w = Math.ceil(ov.width / MIP_FACTOR);
    const h = Math.ceil(ov.height / MIP_FACTOR);
    if (!this.#mip) this.#mip = makeCanvas(w, h) as Paintable;
    else if (this.#mip.width !== w || this.#mip.height !== h) {
      this.#mip.width = w;
      this.#mip.height = h;
      this.#mipStale = true;
    }
    if (this.#mipStale) {
      const ctx = this.#mip.getContext("2d")!;
      ctx.clearRect(0, 0, w, h);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(ov, 0, 0, ov.width, ov.height, 0, 0, ov.width / MIP_FACTOR, ov.height / MIP_FACTOR);
      this.#mipStale = false;
    }
    return this.#mip;
  }

  #markDirty(r: { x: number; y: number; w: number; h: number }): void {
    const d = this.#overviewDirty;
    if (!d) {
      this.#overviewDirty = { ...r };
      return;
    }
    const x1 = Math.max(d.x + d.w, r.x + r.w);
    const y1 = Math.max(d.y + d.h, r.y + r.h);
    d.x = Math.min(d.x, r.x);
    d.y = Math.min(d.y, r.y);
    d.w = x1 - d.x;
    d.h = y1 - d.y;
  }

  #paintOverview(deadline: number): boolean {
    const scene = this.#scene;
    const raster = this.#raster;
    if (!scene || !raster || !this.#overview) return true;
    let i = 0;
    for (; i < this.#overviewQueue.length; i++) {
      if ((i & 63) === 0 && performance.now() > deadline) break;
      const p = this.#overviewQueue[i]!;
      raster.paintNode(p, scene.style);
      this.#markDirty(raster.pixelRect(p.x, p.y, p.width, p.height));
      this.#overviewPainted.set(p.name, { layout: p.layout, x: p.x, y: p.y });
    }
    this.#overviewQueue = this.#overviewQueue.slice(i);
    const d = this.#overviewDirty;
    if (d && this.#image && d.w > 0 && d.h > 0) {
      // Copy only what changed from the pixel buffer to the canvas the frames draw from.
      this.#overview.getContext("2d")!.putImageData(this.#image, 0, 0, d.x, d.y, d.w, d.h);
      this.#mipStale = true;
    }
    this.#overviewDirty = null;
    return this.#overviewQueue.length === 0;
  }

  #nodeBitmap(p: PlacedNode, bucket: number, scene: Scene) {
    const w = Math.max(1, Math.ceil(p.width * bucket));
    const h = Math.max(1, Math.ceil(p.height * bucket));
    const canvas = makeCanvas(w, h) as Paintable;
    const ctx = canvas.getContext("2d")!;
    ctx.setTransform(bucket, 0, 0, bucket, 0, 0);
    drawNodeBox(new CanvasPainter(ctx), p.layout, { ...scene.style, text: bucket >= TEXT_MIN_SCALE });
    const bm = { canvas, bucket, styleKey: scene.styleKey, pixels: w * h };
    this.#bitmaps.set(p.layout, bm);
    return bm;
  }

  #frame(): void {
    this.#raf = 0;
    const start = performance.now();
    const ctx = this.#ctx;
    const scene = this.#scene;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = this.#background;
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    if (!scene) return;
    const budget = this.#overviewFilled
      ? FRAME_BUDGET_MS
      : this.#firstFill && scene.layout.nodes.length > FIRST_FILL_BOXES
        ? FIRST_FILL_BUDGET_MS
        : FILL_BUDGET_MS;
    let complete = this.#paintOverview(start + budget);
    if (complete) this.#firstFill = false;
    if (complete) this.#overviewFilled = true;
    const { x, y, k } = this.#view;
    const s = k * this.#dpr;
    ctx.setTransform(s, 0, 0, s, x * this.#dpr, y * this.#dpr);
    const vx0 = -x / k;
    const vy0 = -y / k;
    const vx1 = vx0 + this.#cssW / k;
    const vy1 = vy0 + this.#cssH / k;
    // Zoomed out the overview is drawn whole: no need to look up the boxes in view at all.
    const zoomedOut = s <= this.#overviewScale * 1.25;
    const visible = zoomedOut ? null : scene.layout.index.within(vx0, vy0, vx1, vy1);
    const useOverview = visible === null || visible.length > 1500;
    const ov = this.#overview;
    ctx.imageSmoothingEnabled = true;
    const drawOverviewPart = () => {
      if (!ov) return;
      // Far zoomed out, read from a quarter-size copy: scaling the full buffer down every frame costs more
      // than the whole rest of the frame on a CPU-only canvas.
      const mip = s < this.#overviewScale * 0.4 && this.#overviewQueue.length === 0 ? this.#mipmap() : null;
      const src = mip ?? ov;
      const os = mip ? this.#overviewScale / MIP_FACTOR : this.#overviewScale;
      // Only the part of the overview in view, so the cost follows the screen, not the cluster.
      const sx = Math.max(0, vx0 * os);
      const sy = Math.max(0, vy0 * os);
      const sw = Math.min(src.width - sx, (vx1 - Math.max(0, vx0)) * os);
      const sh = Math.min(src.height - sy, (vy1 - Math.max(0, vy0)) * os);
      if (sw > 0 && sh > 0) ctx.drawImage(src, sx, sy, sw, sh, sx / os, sy / os, sw / os, sh / os);
    };
    if (useOverview) drawOverviewPart();
    else if (s > MAX_BUCKET && (visible?.length ?? 0) <= VECTOR_MAX_BOXES) {
      // Past the largest bitmap scale a bitmap would be stretched and its text blurred (a 4K wall at 4x
      // zoom): the few boxes in view are drawn straight onto the screen, sharp at any zoom.
      const painter = new CanvasPainter(ctx);
      const style = { ...scene.style, text: true };
      for (const p of visible ?? []) {
        ctx.setTransform(s, 0, 0, s, (x + p.x * k) * this.#dpr, (y + p.y * k) * this.#dpr);
        drawNodeBox(painter, p.layout, style);
      }
      ctx.setTransform(s, 0, 0, s, x * this.#dpr, y * this.#dpr);
    } else {
      const bucket = Math.min(MAX_BUCKET, Math.max(0.25, 2 ** Math.ceil(Math.log2(s))));
      const deadline = start + FRAME_BUDGET_MS * 1.5;
      const ready: { p: PlacedNode; bm: NodeBitmap }[] = [];
      let missing = false;
      for (const p of visible ?? []) {
        let bm = this.#bitmaps.get(p.layout);
        const fresh = bm !== undefined && bm.bucket === bucket && bm.styleKey === scene.styleKey;
        if (!fresh && performance.now() < deadline) bm = this.#nodeBitmap(p, bucket, scene);
        else if (!fresh) complete = false;
        if (bm && bm.styleKey === scene.styleKey) ready.push({ p, bm });
        else missing = true;
      }
      // Boxes without a bitmap yet show through from the overview: one draw, not one per box.
      if (missing) drawOverviewPart();
      for (const { p, bm } of ready) ctx.drawImage(bm.canvas, p.x, p.y, p.width, p.height);
    }
    const animating = this.#drawOverlays(ctx, scene, k, start);
    this.#drawGroups(ctx, scene, k);
    this.#onFrame?.({
      visible: visible?.length ?? null,
      complete,
      mode: useOverview ? "overview" : "boxes",
      ms: performance.now() - start,
    });
    if (!complete || animating) this.request();
  }

  #drawGroups(ctx: CanvasRenderingContext2D, scene: Scene, k: number): void {
    const t = scene.style.theme;
    // Group titles are drawn in screen space: the same readable size at any zoom, cut to the group's width.
    const { x: tx, y: ty } = this.#view;
    const dpr = this.#dpr;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.font = "600 13px system-ui, sans-serif";
    ctx.textBaseline = "alphabetic";
    ctx.textAlign = "left";
    for (const g of scene.layout.groups) {
      const sx = g.x * k + tx;
      const sy = g.y * k + ty;
      const room = Math.max(g.width * k, 40);
      if (sx > this.#cssW || sx + room < 0 || sy > this.#cssH || sy + 20 < 0) continue;
      let text = groupTitle(g);
      while (text.length > 4 && ctx.measureText(text).width > room) text = `${text.slice(0, -2)}…`;
      const w = ctx.measureText(text).width;
      const top = sy + Math.max(0, GROUP_HEADER_H * k - 22);
      ctx.globalAlpha = 0.9;
      ctx.fillStyle = t.background;
      ctx.fillRect(sx - 3, top, w + 6, 18);
      ctx.globalAlpha = 1;
      ctx.fillStyle = t.groupText;
      ctx.fillText(text, sx, top + 13);
    }
  }

  #drawCooling(ctx: CanvasRenderingContext2D, scene: Scene): void {
    if (scene.cooling.size === 0) return;
    ctx.fillStyle = scene.style.theme.cooling;
    ctx.globalAlpha = 1;
    const byNode = new Map<string, CoolingIp[]>();
    for (const c of scene.cooling.values()) {
      const list = byNode.get(c.node);
      if (list) list.push(c);
      else byNode.set(c.node, [c]);
    }
    for (const [name, list] of byNode) {
      const p = scene.layout.byName.get(name);
      if (!p) continue;
      for (const row of p.layout.rows)
        for (const cell of row.cells) {
          const c = cell.kind === "warm" && cell.ip !== null ? list.find((x) => x.ip === cell.ip) : undefined;
          if (!c) continue;
          // The cell fills with the cooldown left, from the bottom: full when freed, empty when usable again.
          const h = Math.max(1.5, CELL * c.share);
          ctx.fillRect(p.x + cell.x, p.y + cell.y + CELL - h, CELL, h);
        }
    }
  }

  #drawOverlays(ctx: CanvasRenderingContext2D, scene: Scene, k: number, now: number): boolean {
    const t = scene.style.theme;
    const px = 1 / k;
    let animating = false;
    for (const f of scene.flashes) {
      const age = now - f.start;
      if (age < 0 || age > FLASH_MS) continue;
      const p = scene.layout.byName.get(f.node);
      if (!p) continue;
      animating = true;
      const row = f.eni ? p.layout.rows.find((r) => r.eni?.id === f.eni) : undefined;
      const alpha = 1 - age / FLASH_MS;
      ctx.globalAlpha = scene.still ? 0.8 : alpha * (0.6 + 0.4 * Math.sin(age / 120));
      ctx.strokeStyle = t.flash;
      ctx.lineWidth = Math.max(2, 3 * px);
      if (row) ctx.strokeRect(p.x + 2, p.y + row.y - 1, p.width - 4, row.height + 2);
      else ctx.strokeRect(p.x - 2, p.y - 2, p.width + 4, p.height + 4);
      ctx.globalAlpha = 1;
    }
    this.#drawCooling(ctx, scene);
    if (scene.selected) {
      const p = scene.layout.byName.get(scene.selected);
      if (p) {
        ctx.strokeStyle = t.selected;
        ctx.lineWidth = Math.max(2, 2.5 * px);
        ctx.strokeRect(p.x - 3, p.y - 3, p.width + 6, p.height + 6);
      }
    }
    const h = scene.hover;
    if (h) {
      ctx.strokeStyle = t.hover;
      ctx.lineWidth = Math.max(1, 1.5 * px);
      const c = h.cell ?? h.hostPod;
      if (c) ctx.strokeRect(h.node.x + c.x - 1, h.node.y + c.y - 1, CELL + 2, CELL + 2);
      else ctx.strokeRect(h.node.x - 1, h.node.y - 1, h.node.width + 2, h.node.height + 2);
    }
    return animating;
  }
}
