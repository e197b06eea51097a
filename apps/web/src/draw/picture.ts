// The whole cluster as one picture with a title line, for "Export PNG" and "Export SVG": every box at full
// detail, whatever the screen shows.

import type { ClusterLayout } from "../layout/clusterLayout.ts";
import { groupTitle } from "../layout/format.ts";
import { type BoxStyle, drawNodeBox } from "./nodeBox.ts";
import { CanvasPainter, type Font, type Painter } from "./painter.ts";
import { SvgPainter } from "./svgPainter.ts";

const MARGIN = 24;
const TITLE_H = 34;
const titleFont: Font = { size: 16, weight: 600 };
const groupFont: Font = { size: 13, weight: 600 };
/** Chromium refuses canvases past 16,384 px a side; past ~50 M pixels (200 MB) the encode stalls the tab. */
const MAX_SIDE = 16_384;
const MAX_AREA = 50_000_000;

export interface PictureOptions {
  layout: ClusterLayout;
  style: Omit<BoxStyle, "text">;
  title: string;
}

export function pictureSize(layout: ClusterLayout): { width: number; height: number } {
  return { width: Math.max(layout.width, 480) + 2 * MARGIN, height: layout.height + 2 * MARGIN + TITLE_H };
}

function paint(p: Painter, moveTo: (x: number, y: number) => void, o: PictureOptions): void {
  const t = o.style.theme;
  moveTo(0, 0);
  p.text(MARGIN, MARGIN + 16, o.title, titleFont, t.text);
  for (const g of o.layout.groups)
    p.text(MARGIN + g.x, MARGIN + TITLE_H + g.y + 16, groupTitle(g), groupFont, t.groupText);
  const style: BoxStyle = { ...o.style, text: true };
  for (const n of o.layout.nodes) {
    moveTo(MARGIN + n.x, MARGIN + TITLE_H + n.y);
    drawNodeBox(p, n.layout, style);
  }
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
  paint(p, (dx, dy) => ctx.setTransform(scale, 0, 0, scale, x + dx * scale, y + dy * scale), o);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
}

export function pictureSvg(o: PictureOptions): string {
  const { width, height } = pictureSize(o.layout);
  const p = new SvgPainter();
  paint(p, (x, y) => p.translate(x, y), o);
  return p.document(width, height, o.style.theme.background, o.title);
}

/** The pixel ratio actually used: the one asked for, lowered if the canvas would be too large to exist. */
export function usablePixelRatio(layout: ClusterLayout, asked: number): number {
  const { width, height } = pictureSize(layout);
  const bySide = MAX_SIDE / Math.max(width, height);
  const byArea = Math.sqrt(MAX_AREA / (width * height));
  return Math.min(asked, bySide, byArea);
}

export async function picturePng(
  o: PictureOptions,
  pixelRatio: number,
): Promise<{ blob: Blob; ratio: number }> {
  const ratio = usablePixelRatio(o.layout, pixelRatio);
  const { width, height } = pictureSize(o.layout);
  const canvas = document.createElement("canvas");
  canvas.width = Math.ceil(width * ratio);
  canvas.height = Math.ceil(height * ratio);
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error("the browser refused a canvas for the export; try a smaller pixel ratio");
  ctx.fillStyle = o.style.theme.background;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const p = new CanvasPainter(ctx);
  paint(p, (x, y) => ctx.setTransform(ratio, 0, 0, ratio, x * ratio, y * ratio), o);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/png"));
  canvas.width = 0;
  canvas.height = 0;
  if (!blob) throw new Error("the browser could not encode the PNG; try a smaller pixel ratio");
  return { blob, ratio };
}
