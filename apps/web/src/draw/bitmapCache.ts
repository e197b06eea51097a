// Per-node bitmaps, least recently used first out, bounded by total pixels so a long session at any zoom
// keeps a fixed ceiling on canvas memory.
import type { NodeLayout } from "../layout/nodeLayout.ts";

export interface NodeBitmap {
  canvas: OffscreenCanvas | HTMLCanvasElement;
  /** Device pixels per layout unit it was painted at. */
  bucket: number;
  styleKey: string;
  pixels: number;
}

export class BitmapCache {
  readonly #entries = new Map<NodeLayout, NodeBitmap>();
  readonly budget: number;
  #pixels = 0;

  constructor(budgetPixels: number) {
    this.budget = budgetPixels;
  }

  get size(): number {
    return this.#entries.size;
  }

  get pixels(): number {
    return this.#pixels;
  }

  get(l: NodeLayout): NodeBitmap | undefined {
    const e = this.#entries.get(l);
    if (e) {
      // Re-insert: Map keeps insertion order, so the first key is the least recently used.
      this.#entries.delete(l);
      this.#entries.set(l, e);
    }
    return e;
  }

  set(l: NodeLayout, bm: NodeBitmap): void {
    const old = this.#entries.get(l);
    if (old) {
      this.#pixels -= old.pixels;
      this.#entries.delete(l);
    }
    this.#entries.set(l, bm);
    this.#pixels += bm.pixels;
    for (const [key, e] of this.#entries) {
      if (this.#pixels <= this.budget || key === l) break;
      this.#entries.delete(key);
      this.#pixels -= e.pixels;
      // Release the backing store now rather than when the collector gets to it.
      e.canvas.width = 0;
      e.canvas.height = 0;
    }
  }

  /** Drops the bitmap of a layout no longer drawn (its node was replaced by an update). */
  delete(l: NodeLayout): void {
    const e = this.#entries.get(l);
    if (!e) return;
    this.#entries.delete(l);
    this.#pixels -= e.pixels;
    e.canvas.width = 0;
    e.canvas.height = 0;
  }

  /** Drops bitmaps of layouts no longer drawn (replaced by an update), so old node reports are not kept alive. */
  retainOnly(live: ReadonlySet<NodeLayout>): void {
    for (const [key, e] of this.#entries) {
      if (live.has(key)) continue;
      this.#entries.delete(key);
      this.#pixels -= e.pixels;
      e.canvas.width = 0;
      e.canvas.height = 0;
    }
  }

  clear(): void {
    for (const e of this.#entries.values()) {
      e.canvas.width = 0;
      e.canvas.height = 0;
    }
    this.#entries.clear();
    this.#pixels = 0;
  }
}

export function makeCanvas(w: number, h: number): OffscreenCanvas | HTMLCanvasElement {
  if (typeof OffscreenCanvas !== "undefined") return new OffscreenCanvas(w, h);
  const c = document.createElement("canvas");
  c.width = w;
  c.height = h;
  return c;
}
