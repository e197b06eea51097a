// Builds an SVG document as a string. Every piece of text is escaped, so a pod named
// `<img src=x onerror=alert(1)>` ends up as the characters it is, inside a <text> node.
import type { Font, Painter, TextRun } from "./painter.ts";
import { cssFont } from "./painter.ts";

export function escapeXml(s: string): string {
  let out = "";
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    // XML 1.0 forbids most control characters even as references: drop them.
    if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) continue;
    out += ch === "&" || ch === "<" || ch === ">" || ch === '"' || ch === "'" ? `&#${code};` : ch;
  }
  return out;
}

/** Marks text that is cluster data, so a check of the Korean export can tell it from untranslated words. */
const DATA_ATTR = ` data-i18n-data=""`;

function num(n: number): string {
  return String(Math.round(n * 100) / 100);
}

function alphaAttr(a: number | undefined, prop: "fill-opacity" | "stroke-opacity" | "opacity"): string {
  return a === undefined || a >= 1 ? "" : ` ${prop}="${num(a)}"`;
}

export class SvgPainter implements Painter {
  readonly #parts: string[] = [];
  #dx = 0;
  #dy = 0;

  /** Moves the origin for the calls that follow (node boxes are drawn in box-local units). */
  translate(x: number, y: number): void {
    this.#dx = x;
    this.#dy = y;
  }

  raw(fragment: string): void {
    this.#parts.push(fragment);
  }

  rect(x: number, y: number, w: number, h: number, fill: string, alpha?: number): void {
    this.#parts.push(
      `<rect x="${num(x + this.#dx)}" y="${num(y + this.#dy)}" width="${num(w)}" height="${num(h)}" fill="${escapeXml(fill)}"${alphaAttr(alpha, "fill-opacity")}/>`,
    );
  }

  strokeRect(
    x: number,
    y: number,
    w: number,
    h: number,
    stroke: string,
    lineWidth: number,
    alpha?: number,
  ): void {
    this.#parts.push(
      `<rect x="${num(x + this.#dx)}" y="${num(y + this.#dy)}" width="${num(w)}" height="${num(h)}" fill="none" stroke="${escapeXml(stroke)}" stroke-width="${num(lineWidth)}"${alphaAttr(alpha, "stroke-opacity")}/>`,
    );
  }

  circle(cx: number, cy: number, r: number, fill: string, alpha?: number): void {
    this.#parts.push(
      `<circle cx="${num(cx + this.#dx)}" cy="${num(cy + this.#dy)}" r="${num(r)}" fill="${escapeXml(fill)}"${alphaAttr(alpha, "fill-opacity")}/>`,
    );
  }

  text(
    x: number,
    y: number,
    s: string,
    font: Font,
    fill: string,
    align: "left" | "right" = "left",
    alpha?: number,
    data?: boolean,
  ): void {
    const anchor = align === "right" ? ` text-anchor="end"` : "";
    const marked = data ? DATA_ATTR : "";
    this.#parts.push(
      `<text x="${num(x + this.#dx)}" y="${num(y + this.#dy)}" style="font:${escapeXml(cssFont(font))}" fill="${escapeXml(fill)}"${anchor}${alphaAttr(alpha, "opacity")}${marked}>${escapeXml(s)}</text>`,
    );
  }

  /** One <text> of <tspan>s: the SVG renderer lays the runs out, so none overlaps its neighbour. */
  textRuns(x: number, y: number, runs: readonly TextRun[], font: Font, fill: string): void {
    const spans = runs.map((r) => `<tspan${r.data ? DATA_ATTR : ""}>${escapeXml(r.s)}</tspan>`).join("");
    this.#parts.push(
      `<text x="${num(x + this.#dx)}" y="${num(y + this.#dy)}" style="font:${escapeXml(cssFont(font))}" fill="${escapeXml(fill)}" xml:space="preserve">${spans}</text>`,
    );
  }

  /** An estimate: SVG has no layout engine here. Sans-serif glyphs average ~0.56 em, monospace 0.6 em. */
  measure(s: string, font: Font): number {
    return s.length * font.size * (font.mono ? 0.6 : 0.56);
  }

  document(width: number, height: number, background: string, title: string): string {
    return [
      `<?xml version="1.0" encoding="UTF-8"?>`,
      `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}">`,
      // The drawn title line again, as one string: its runs are marked there, so it is marked whole here.
      `<title${DATA_ATTR}>${escapeXml(title)}</title>`,
      `<rect width="100%" height="100%" fill="${escapeXml(background)}"/>`,
      ...this.#parts,
      "</svg>",
    ].join("\n");
  }
}
