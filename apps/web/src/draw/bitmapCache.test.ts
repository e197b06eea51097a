import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NodeLayout } from "../layout/nodeLayout.ts";
import { BitmapCache, type NodeBitmap } from "./bitmapCache.ts";

// Stand-ins for canvases: the cache only reads and zeroes their size.
function bitmap(w: number, h: number): NodeBitmap {
  return { canvas: { width: w, height: h } as HTMLCanvasElement, bucket: 1, styleKey: "", pixels: w * h };
}
const layouts = Array.from({ length: 5 }, (_, i) => ({ width: i }) as unknown as NodeLayout);

describe("BitmapCache", () => {
  it("never holds more pixels than its budget, dropping the least recently used first", () => {
    const cache = new BitmapCache(300);
    cache.set(layouts[0]!, bitmap(10, 10));
    cache.set(layouts[1]!, bitmap(10, 10));
    cache.set(layouts[2]!, bitmap(10, 10));
    cache.get(layouts[0]!); // touched: now the most recent
    const evicted = bitmap(10, 10);
    cache.set(layouts[3]!, evicted);
    assert.equal(cache.pixels, 300);
    assert.equal(cache.get(layouts[1]!), undefined);
    assert.ok(cache.get(layouts[0]!));
  });

  it("releases bitmaps of layouts an update replaced", () => {
    const cache = new BitmapCache(1e6);
    const old = bitmap(20, 20);
    cache.set(layouts[0]!, old);
    cache.set(layouts[1]!, bitmap(20, 20));
    cache.retainOnly(new Set([layouts[1]!]));
    assert.equal(cache.size, 1);
    assert.equal(cache.pixels, 400);
    assert.equal(old.canvas.width, 0, "backing store released");
  });
});
