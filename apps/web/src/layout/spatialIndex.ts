// A uniform grid over the layout plane: boxes are registered in every bucket they overlap, so a point
// or a viewport rectangle finds its boxes without scanning all of them (5,000 nodes, 60 hover events a second).

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Buckets {
  cells: Map<number, number[]>;
  cols: number;
}

export class GridIndex<T extends Rect> {
  readonly bucket: number;
  /** Bucket -> positions in #items. Positions rather than items, so a copy over items of the same places
   * (a live update swapping one node's box for another of the same size) shares the buckets. */
  readonly #cells: Map<number, number[]>;
  readonly #cols: number;
  readonly #items: readonly T[];

  /** `shared`: the buckets of an index over items at the same places (see withItems). */
  constructor(items: readonly T[], bucket = 256, shared?: Buckets) {
    this.bucket = bucket;
    this.#items = items;
    if (shared) {
      this.#cells = shared.cells;
      this.#cols = shared.cols;
      return;
    }
    this.#cells = new Map();
    let maxX = 0;
    for (const it of items) maxX = Math.max(maxX, it.x + it.width);
    this.#cols = Math.floor(maxX / bucket) + 1;
    items.forEach((it, i) => {
      const [c0, r0, c1, r1] = this.#span(it.x, it.y, it.x + it.width, it.y + it.height);
      for (let r = r0; r <= r1; r++)
        for (let c = c0; c <= c1; c++) {
          const key = r * this.#cols + c;
          const list = this.#cells.get(key);
          if (list) list.push(i);
          else this.#cells.set(key, [i]);
        }
    });
  }

  /** The same index over `items`, each at the place of the item it replaces (same position in the list,
   * same rectangle): no bucket is rebuilt. */
  withItems(items: readonly T[]): GridIndex<T> {
    if (items.length !== this.#items.length)
      throw new Error("withItems needs as many items as the index has");
    return new GridIndex(items, this.bucket, { cells: this.#cells, cols: this.#cols });
  }

  #span(x0: number, y0: number, x1: number, y1: number): [number, number, number, number] {
    const b = this.bucket;
    return [
      Math.max(0, Math.floor(x0 / b)),
      Math.max(0, Math.floor(y0 / b)),
      Math.min(this.#cols - 1, Math.floor(x1 / b)),
      Math.max(0, Math.floor(y1 / b)),
    ];
  }

  /** The item containing the point, if any (boxes never overlap). */
  at(x: number, y: number): T | undefined {
    if (x < 0 || y < 0) return undefined;
    const key = Math.floor(y / this.bucket) * this.#cols + Math.floor(x / this.bucket);
    if (Math.floor(x / this.bucket) >= this.#cols) return undefined;
    for (const i of this.#cells.get(key) ?? []) {
      const it = this.#items[i]!;
      if (x >= it.x && x < it.x + it.width && y >= it.y && y < it.y + it.height) return it;
    }
    return undefined;
  }

  /** Items overlapping the rectangle, each once. */
  within(x0: number, y0: number, x1: number, y1: number): T[] {
    if (x1 < 0 || y1 < 0) return [];
    const [c0, r0, c1, r1] = this.#span(x0, y0, x1, y1);
    const seen = new Set<T>();
    const out: T[] = [];
    for (let r = r0; r <= r1; r++)
      for (let c = c0; c <= c1; c++)
        for (const i of this.#cells.get(r * this.#cols + c) ?? []) {
          const it = this.#items[i]!;
          if (seen.has(it)) continue;
          seen.add(it);
          if (it.x < x1 && it.x + it.width > x0 && it.y < y1 && it.y + it.height > y0) out.push(it);
        }
    return out;
  }
}
