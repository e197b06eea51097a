// The top of an exported picture: the title (cluster, region, time and the counts, Pending among them),
// a summary line, the legend and the Pending pods grouped as the tray groups them. Laid out as plain
// items against a width, wrapped rather than cut, so nothing is clipped whatever the cluster's size.
import type { Font, TextRun } from "./painter.ts";

export interface Swatch {
  /** Filled rectangles in a 12 × 12 square (a mark's shape), drawn over `base` when given. */
  rects: { x: number; y: number; w: number; h: number; fill: string }[];
  base?: string;
  stroke?: string;
  round?: boolean;
}

export interface PictureContent {
  title: string;
  /** The cluster's name the title starts with: drawn marked as cluster data (data-i18n-data in SVG). */
  titleName?: string;
  summary: string;
  /** `data`: the label is cluster data (a namespace, an owner), not the page's words. */
  legend: { label: string; swatch: Swatch; data?: boolean }[];
  /** "Pending 7", then one line per group. An empty summary, legend or Pending title is left out (the
   * animation's frames carry the title alone). */
  pendingTitle: string;
  pending: string[];
}

export type HeaderItem =
  | {
      kind: "text";
      x: number;
      y: number;
      text: string;
      font: Font;
      muted?: boolean;
      width: number;
      /** The whole text is cluster data; or, for a line that starts with some, its runs. */
      data?: boolean;
      runs?: TextRun[];
    }
  | { kind: "swatch"; x: number; y: number; swatch: Swatch };

export const SWATCH = 12;
const titleFont: Font = { size: 16, weight: 600 };
const bodyFont: Font = { size: 12 };
const boldFont: Font = { size: 12, weight: 600 };
const legendFont: Font = { size: 11 };

/** Words of `text` in lines no wider than `width`; a word wider than the line is broken by characters. */
export function wrapText(text: string, width: number, font: Font, measure: (s: string, f: Font) => number) {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    const next = line ? `${line} ${word}` : word;
    if (measure(next, font) <= width) {
      line = next;
      continue;
    }
    if (line) lines.push(line);
    line = word;
    while (measure(line, font) > width && line.length > 1) {
      let cut = line.length - 1;
      while (cut > 1 && measure(line.slice(0, cut), font) > width) cut--;
      lines.push(line.slice(0, cut));
      line = line.slice(cut);
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** The header's items from (x, y) within `width`, and the height they take. */
export function layoutHeader(
  c: PictureContent,
  x: number,
  y: number,
  width: number,
  measure: (s: string, f: Font) => number,
): { items: HeaderItem[]; height: number } {
  const items: HeaderItem[] = [];
  let top = y;
  const block = (text: string, font: Font, lineH: number, muted = false) => {
    for (const line of wrapText(text, width, font, measure)) {
      items.push({
        kind: "text",
        x,
        y: top + font.size,
        text: line,
        font,
        muted,
        width: measure(line, font),
      });
      top += lineH;
    }
  };
  const firstTitle = items.length;
  block(c.title, titleFont, 21);
  const first = items[firstTitle];
  if (c.titleName && first?.kind === "text" && first.text.startsWith(c.titleName))
    first.runs = [{ s: c.titleName, data: true }, { s: first.text.slice(c.titleName.length) }];
  if (c.summary) {
    top += 2;
    block(c.summary, bodyFont, 16, true);
  }
  if (c.legend.length > 0) {
    top += 6;
    // The legend flows like words: a swatch and its label stay together.
    let lx = x;
    const lineH = 17;
    for (const e of c.legend) {
      const w = SWATCH + 4 + measure(e.label, legendFont);
      if (lx > x && lx + w > x + width) {
        lx = x;
        top += lineH;
      }
      items.push({ kind: "swatch", x: lx, y: top + 1, swatch: e.swatch });
      items.push({
        kind: "text",
        x: lx + SWATCH + 4,
        y: top + 11,
        text: e.label,
        font: legendFont,
        width: measure(e.label, legendFont),
        data: e.data,
      });
      lx += w + 14;
    }
    top += lineH;
  }
  if (c.pendingTitle) {
    top += 6;
    block(c.pendingTitle, boldFont, 16);
    for (const line of c.pending) block(line, bodyFont, 16);
  }
  return { items, height: top - y + 8 };
}

/** A header of the title alone. */
export function titleOnly(title: string, titleName?: string): PictureContent {
  return { title, titleName, summary: "", legend: [], pendingTitle: "", pending: [] };
}
