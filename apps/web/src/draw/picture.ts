// An exported picture: the header (title, summary, legend, Pending pods; pictureHeader.ts) above a part
// of the map. "The whole cluster" is every box at full detail up to a size cap, past it a heat map of the
// same layout at a scale that keeps the file small; "what I see" is the region on screen at its zoom.

import { t as translate } from "../i18n/i18n.ts";
import type { ClusterLayout, GroupBlock } from "../layout/clusterLayout.ts";
import { groupTitle } from "../layout/format.ts";
import { GROUP_HEADER_H } from "../layout/metrics.ts";
import { type BoxStyle, drawNodeBox } from "./nodeBox.ts";
import { CanvasPainter, type Font, type Painter } from "./painter.ts";
import { type HeaderItem, layoutHeader, type PictureContent, SWATCH, type Swatch } from "./pictureHeader.ts";
import { SvgPainter } from "./svgPainter.ts";

const MARGIN = 24;
/** A header needs this much width to read; a picture of a narrow view or a small cluster is widened. */
const MIN_WIDTH = 760;
const groupFont: Font = { size: 13, weight: 600 };
/** Room for a group's heading above its boxes, whatever the scale the boxes are drawn at. */
const HEADING_H = 20;
/** Chromium refuses canvases past 16,384 px a side. */
const MAX_SIDE = 16_384;
/** Pixels of full-detail map an export may hold: 12 M pixels of boxes and text encode to about 4 MB of PNG.
 * Past it the whole-cluster export is the heat map. */
export const DETAIL_MAX_AREA = 12_000_000;
/** The heat map is drawn at most this large (flat colours: it compresses to well under 1 MB). */
const HEAT_MAX_AREA = 6_000_000;
/** Below this scale the boxes carry no text (the renderer's rule too). */
const TEXT_MIN_SCALE = 0.55;

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Layout units to picture pixels (before the pixel ratio). */
  scale: number;
}

export interface PictureOptions {
  layout: ClusterLayout;
  style: Omit<BoxStyle, "text">;
  content: PictureContent;
  /** The part of the map to draw; the whole layout at full size when absent. */
  region?: Region;
  /** Set for the whole-cluster export past its cap: the style to draw the heat map with. */
  heatStyle?: Omit<BoxStyle, "text"> | null;
}

export interface PicturePlan {
  width: number;
  height: number;
  header: HeaderItem[];
  bodyTop: number;
  region: Region;
  text: boolean;
  style: Omit<BoxStyle, "text">;
  /** Group headings at their place in the picture, cut to the group's width. */
  headings: { x: number; y: number; text: string }[];
  /** Vertical offset added below each group row's heading band, by group. */
  rowShift: Map<GroupBlock, number>;
}

type Measure = (s: string, f: Font) => number;

/** The whole-cluster region: full size if the map fits the cap at `ratio`, else the heat map's scale. */
export function wholeRegion(layout: ClusterLayout, ratio: number): { region: Region; heat: boolean } {
  const area = layout.width * layout.height * ratio * ratio;
  if (area <= DETAIL_MAX_AREA)
    return { region: { x: 0, y: 0, width: layout.width, height: layout.height, scale: 1 }, heat: false };
  const scale = Math.min(1, Math.sqrt(HEAT_MAX_AREA / area));
  return { region: { x: 0, y: 0, width: layout.width, height: layout.height, scale }, heat: true };
}

function fitText(text: string, width: number, font: Font, measure: Measure): string | null {
  if (measure(text, font) <= width) return text;
  let cut = text.length - 1;
  while (cut > 0 && measure(`${text.slice(0, cut)}…`, font) > width) cut--;
  return cut > 0 ? `${text.slice(0, cut)}…` : null;
}

export function planPicture(o: PictureOptions, measure: Measure): PicturePlan {
  const r = o.region ?? { x: 0, y: 0, width: o.layout.width, height: o.layout.height, scale: 1 };
  const s = r.scale;
  // Groups stacked in rows (a wide cluster's groups wrap): each row gets a heading band of its own, so at a
  // small scale headings never sit on the boxes.
  const rowsY = [...new Set(o.layout.groups.map((g) => g.y))].sort((a, b) => a - b);
  const extra = Math.max(0, HEADING_H - GROUP_HEADER_H * s);
  const rowShift = new Map<GroupBlock, number>();
  for (const g of o.layout.groups) rowShift.set(g, (rowsY.indexOf(g.y) + 1) * extra);
  const bodyW = r.width * s;
  const bodyH = r.height * s + rowsY.length * extra;
  const width = Math.ceil(Math.max(bodyW, MIN_WIDTH) + 2 * MARGIN);
  const header = layoutHeader(o.content, MARGIN, MARGIN, width - 2 * MARGIN, measure);
  const bodyTop = MARGIN + header.height;
  const headings: PicturePlan["headings"] = [];
  for (const g of o.layout.groups) {
    const gx = (g.x - r.x) * s;
    const gy = (g.y - r.y) * s + rowShift.get(g)! - extra;
    // A heading whose group starts outside the region is not in the picture ("what I see").
    if (gx < -1 || gy < -1 || gx >= bodyW || gy >= bodyH) continue;
    // Cut to the group's width (and the picture's), so two groups' headings never run into each other.
    const room = Math.min(g.width * s, bodyW - gx) - 4;
    const text = fitText(groupTitle(g), room, groupFont, measure);
    if (text) headings.push({ x: MARGIN + gx, y: bodyTop + gy + 15, text });
  }
  return {
    width,
    height: Math.ceil(bodyTop + bodyH + MARGIN),
    header: header.items,
    bodyTop,
    region: r,
    text: s >= TEXT_MIN_SCALE && !o.heatStyle,
    style: o.heatStyle ?? o.style,
    headings,
    rowShift,
  };
}

function paintSwatch(p: Painter, x: number, y: number, w: Swatch, stroke: string): void {
  if (w.round) {
    p.circle(x + SWATCH / 2, y + SWATCH / 2, SWATCH / 2 - 1, w.base ?? stroke);
    return;
  }
  if (w.base) p.rect(x, y, SWATCH, SWATCH, w.base);
  for (const r of w.rects) p.rect(x + r.x, y + r.y, r.w, r.h, r.fill);
  p.strokeRect(x + 0.5, y + 0.5, SWATCH - 1, SWATCH - 1, w.stroke ?? stroke, 1);
}

/**
 * Paints the plan. `place(x, y, scale)` moves the painter's origin (and scale) for the calls that follow;
 * `clip` limits what follows to the map's rectangle (null: back to the whole picture).
 */
function paint(
  p: Painter,
  place: (x: number, y: number, scale: number) => void,
  clip: (rect: { x: number; y: number; w: number; h: number } | null) => void,
  o: PictureOptions,
  plan: PicturePlan,
): void {
  const t = o.style.theme;
  place(0, 0, 1);
  for (const it of plan.header) {
    if (it.kind === "text" && it.runs)
      p.textRuns(it.x, it.y, it.runs, it.font, it.muted ? t.textDim : t.text);
    else if (it.kind === "text")
      p.text(it.x, it.y, it.text, it.font, it.muted ? t.textDim : t.text, "left", undefined, it.data);
    else paintSwatch(p, it.x, it.y, it.swatch, t.boxStroke);
  }
  const r = plan.region;
  const s = r.scale;
  const bodyH = plan.height - MARGIN - plan.bodyTop;
  clip({ x: MARGIN, y: plan.bodyTop, w: r.width * s, h: bodyH });
  const style: BoxStyle = { ...plan.style, text: plan.text };
  for (const n of o.layout.nodes) {
    if (n.x + n.width < r.x || n.y + n.height < r.y || n.x > r.x + r.width || n.y > r.y + r.height) continue;
    const g = o.layout.groups[n.group];
    const shift = g ? plan.rowShift.get(g)! : 0;
    place(MARGIN + (n.x - r.x) * s, plan.bodyTop + (n.y - r.y) * s + shift, s);
    drawNodeBox(p, n.layout, style);
  }
  clip(null);
  place(0, 0, 1);
  for (const h of plan.headings) p.text(h.x, h.y, h.text, groupFont, t.groupText);
}

/** Text widths as the browser draws them; an estimate where there is no canvas (unit tests). */
export function browserMeasure(): Measure {
  const ctx = typeof OffscreenCanvas !== "undefined" ? new OffscreenCanvas(1, 1).getContext("2d") : null;
  if (!ctx) return (s, f) => s.length * f.size * 0.62;
  const painter = new CanvasPainter(ctx);
  return (s, f) => painter.measure(s, f);
}

/** The picture's size in CSS pixels (before the pixel ratio). */
export function pictureSize(o: PictureOptions): { width: number; height: number } {
  const plan = planPicture(o, browserMeasure());
  return { width: plan.width, height: plan.height };
}

/** Draws the picture into a canvas context at `scale`, its top left at (x, y): the animation export puts
 * it above its timeline on each frame. */
export function drawPicture(
  ctx: CanvasRenderingContext2D,
  o: PictureOptions,
  scale: number,
  x = 0,
  y = 0,
): void {
  const p = new CanvasPainter(ctx);
  paintCanvas(
    ctx,
    p,
    o,
    planPicture(o, (s, f) => p.measure(s, f)),
    scale,
    x,
    y,
  );
}

function paintCanvas(
  ctx: CanvasRenderingContext2D,
  p: CanvasPainter,
  o: PictureOptions,
  plan: PicturePlan,
  ratio: number,
  x0 = 0,
  y0 = 0,
): void {
  let clipped = false;
  paint(
    p,
    (x, y, s) => ctx.setTransform(ratio * s, 0, 0, ratio * s, x0 + x * ratio, y0 + y * ratio),
    (rect) => {
      if (clipped) ctx.restore();
      clipped = false;
      if (!rect) return;
      ctx.save();
      clipped = true;
      ctx.setTransform(ratio, 0, 0, ratio, x0, y0);
      ctx.beginPath();
      ctx.rect(rect.x, rect.y, rect.w, rect.h);
      ctx.clip();
    },
    o,
    plan,
  );
  ctx.setTransform(1, 0, 0, 1, 0, 0);
}

export function pictureSvg(o: PictureOptions, measure: Measure = browserMeasure()): string {
  const plan = planPicture(o, measure);
  const p = new SvgPainter();
  let group = false;
  paint(
    p,
    (x, y, s) => {
      if (group) p.raw("</g>");
      group = s !== 1;
      if (group) {
        p.translate(0, 0);
        p.raw(`<g transform="translate(${x} ${y}) scale(${s})">`);
      } else p.translate(x, y);
    },
    (rect) => {
      if (group) p.raw("</g>");
      group = false;
      if (rect) {
        p.raw(
          `<clipPath id="map"><rect x="${rect.x}" y="${rect.y}" width="${rect.w}" height="${rect.h}"/></clipPath><g clip-path="url(#map)">`,
        );
      } else p.raw("</g>");
    },
    o,
    plan,
  );
  return p.document(plan.width, plan.height, o.style.theme.background, o.content.title);
}

/** The pixel ratio actually used: the one asked for, lowered if the canvas would be too large to exist. */
export function usablePixelRatio(plan: { width: number; height: number }, asked: number): number {
  const bySide = MAX_SIDE / Math.max(plan.width, plan.height);
  const byArea = Math.sqrt((DETAIL_MAX_AREA * 1.5) / (plan.width * plan.height));
  return Math.min(asked, bySide, byArea);
}

export async function picturePng(
  o: PictureOptions,
  pixelRatio: number,
): Promise<{ blob: Blob; ratio: number; width: number; height: number }> {
  const canvas = document.createElement("canvas");
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error(translate("errors.exportCanvas"));
  const p = new CanvasPainter(ctx);
  const plan = planPicture(o, (s, f) => p.measure(s, f));
  const ratio = usablePixelRatio(plan, pixelRatio);
  canvas.width = Math.ceil(plan.width * ratio);
  canvas.height = Math.ceil(plan.height * ratio);
  ctx.fillStyle = o.style.theme.background;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  paintCanvas(ctx, new CanvasPainter(ctx), o, plan, ratio);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/png"));
  const size = { width: canvas.width, height: canvas.height };
  canvas.width = 0;
  canvas.height = 0;
  if (!blob) throw new Error(translate("errors.exportEncode"));
  return { blob, ratio, ...size };
}
