// The few drawing operations a node box needs, so the same drawing code paints a canvas (screen, PNG)
// and writes an SVG document (export).
import type { Ctx2D } from "./nodeBox.ts";

export interface Font {
  size: number;
  weight?: 400 | 600;
  mono?: boolean;
}

export interface TextRun {
  s: string;
  data?: boolean;
}

export interface Painter {
  rect(x: number, y: number, w: number, h: number, fill: string, alpha?: number): void;
  strokeRect(
    x: number,
    y: number,
    w: number,
    h: number,
    stroke: string,
    lineWidth: number,
    alpha?: number,
  ): void;
  circle(cx: number, cy: number, r: number, fill: string, alpha?: number): void;
  /**
   * `y` is the text baseline. Text is always drawn as text: never parsed as markup. `data` says the text is
   * cluster data (a name, an id), not the page's words: the SVG export marks it so (data-i18n-data).
   */
  text(
    x: number,
    y: number,
    s: string,
    font: Font,
    fill: string,
    align?: "left" | "right",
    alpha?: number,
    data?: boolean,
  ): void;
  /** One line of text in runs, each after the other, some of them cluster data (a title naming the cluster). */
  textRuns(x: number, y: number, runs: readonly TextRun[], font: Font, fill: string): void;
  measure(s: string, font: Font): number;
}

export function cssFont(f: Font): string {
  const family = f.mono
    ? "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace"
    : "system-ui, -apple-system, 'Segoe UI', sans-serif";
  return `${f.weight ?? 400} ${f.size}px ${family}`;
}

export class CanvasPainter implements Painter {
  readonly ctx: Ctx2D;
  #font = "";

  constructor(ctx: Ctx2D) {
    this.ctx = ctx;
  }

  #setFont(f: Font): void {
    const css = cssFont(f);
    if (css !== this.#font) {
      this.ctx.font = css;
      this.#font = css;
    }
  }

  rect(x: number, y: number, w: number, h: number, fill: string, alpha = 1): void {
    this.ctx.globalAlpha = alpha;
    this.ctx.fillStyle = fill;
    this.ctx.fillRect(x, y, w, h);
  }

  strokeRect(x: number, y: number, w: number, h: number, stroke: string, lineWidth: number, alpha = 1): void {
    this.ctx.globalAlpha = alpha;
    this.ctx.strokeStyle = stroke;
    this.ctx.lineWidth = lineWidth;
    this.ctx.strokeRect(x, y, w, h);
  }

  circle(cx: number, cy: number, r: number, fill: string, alpha = 1): void {
    this.ctx.globalAlpha = alpha;
    this.ctx.fillStyle = fill;
    this.ctx.beginPath();
    this.ctx.arc(cx, cy, r, 0, Math.PI * 2);
    this.ctx.fill();
  }

  text(
    x: number,
    y: number,
    s: string,
    font: Font,
    fill: string,
    align: "left" | "right" = "left",
    alpha = 1,
  ): void {
    this.#setFont(font);
    this.ctx.globalAlpha = alpha;
    this.ctx.fillStyle = fill;
    this.ctx.textAlign = align;
    this.ctx.textBaseline = "alphabetic";
    this.ctx.fillText(s, x, y);
  }

  textRuns(x: number, y: number, runs: readonly TextRun[], font: Font, fill: string): void {
    let at = x;
    for (const r of runs) {
      this.text(at, y, r.s, font, fill);
      at += this.measure(r.s, font);
    }
  }

  measure(s: string, font: Font): number {
    this.#setFont(font);
    return this.ctx.measureText(s).width;
  }
}
