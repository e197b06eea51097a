import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { syntheticTopology } from "../dev/synthetic.ts";
import { layoutCluster, type PlacedNode } from "../layout/clusterLayout.ts";
import { HEADER_H, PITCH, ROW_LABEL_H } from "../layout/metrics.ts";
import { nodeStatus } from "../layout/nodeText.ts";
import { eni, slots, t3medium } from "../layout/testNodes.ts";
import type { BoxStyle } from "./nodeBox.ts";
import { mixColor, OverviewRaster, packColor } from "./overviewRaster.ts";
import { themes } from "./theme.ts";

describe("OverviewRaster", () => {
  it("packs #rrggbb in ImageData's little-endian order and mixes colours", () => {
    assert.equal(packColor("#ff0000"), 0xff0000ff);
    assert.equal(packColor("#0000ff"), 0xffff0000);
    assert.equal(mixColor("#000000", "#ffffff", 0.5), 0xff808080);
  });

  it("paints a pod cell in its pod's colour and warm cells in the opaque warm colour, inside the box only", () => {
    const node = t3medium("n", [eni("eni-a", 0, slots(11, 5, 1))]);
    const layout = layoutCluster([node], { grouping: "zone" });
    const p = layout.byName.get("n")!;
    const raster = new OverviewRaster(Math.ceil(layout.width) + 20, Math.ceil(layout.height), 1);
    raster.paintNode(p, {
      theme: themes.light,
      podColor: () => "#4e79a7",
      lit: null,
      nodeLit: null,
      problems: null,
      heat: null,
    });
    const at = (x: number, y: number) => raster.pixels[Math.floor(y) * raster.width + Math.floor(x)];
    const pod = p.layout.rows[0]!.cells[1]!;
    assert.equal(pod.kind, "pod");
    assert.equal(at(p.x + pod.x + 4, p.y + pod.y + 4), packColor("#4e79a7"));
    const warm = p.layout.rows[0]!.cells[2]!;
    assert.equal(warm.kind, "warm");
    assert.equal(at(p.x + warm.x + 4, p.y + warm.y + 4), packColor(themes.light.warmStroke));
    // Outside every box the buffer stays transparent.
    assert.equal(at(p.x + p.width + 5, p.y + 10), 0);
  });

  it("paints every box exactly as painting its cell objects one by one does, with and without a search", () => {
    const t = syntheticTopology({ nodes: 40, podsPerNode: 20, seed: 4, overcommitEvery: 7 });
    const palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2"];
    const podColor = (k: string) => palette[k.length % palette.length]!;
    const styles: Omit<BoxStyle, "text">[] = [
      { theme: themes.light, podColor, lit: null, nodeLit: null, problems: null, heat: null },
      {
        theme: themes.dark,
        podColor,
        lit: (node, pod, ip) =>
          (pod?.includes("a") ?? false) || (ip?.endsWith("1") ?? false) || node.endsWith("3"),
        nodeLit: (node) => !node.endsWith("5"),
        problems: null,
        heat: null,
      },
    ];
    for (const style of styles) {
      // Fresh node objects: their rows have built no cell objects yet when the walk paints them. All Ready: a
      // NotReady node's band is a mark (overviewContrast.test.ts), not what this compares.
      const layout = layoutCluster(
        t.nodes.map((n) => ({ ...n, ready: true, cordoned: false })),
        { grouping: "zone" },
      );
      const w = Math.ceil(layout.width * 0.5) + 2;
      const h = Math.ceil(layout.height * 0.5) + 2;
      const walked = new OverviewRaster(w, h, 0.5);
      const plain = new OverviewRaster(w, h, 0.5);
      for (const p of layout.nodes) {
        walked.paintNode(p, style);
        paintFromCellObjects(plain, p, style);
      }
      assert.ok(walked.pixels.some((v) => v !== 0));
      assert.deepEqual(walked.pixels, plain.pixels);
    }
  });
});

/** The overview painting of one box done the plain way: a colour lookup and a fill per cell object. */
function paintFromCellObjects(r: OverviewRaster, p: PlacedNode, style: Omit<BoxStyle, "text">): void {
  const t = style.theme;
  const n = p.layout.node;
  const bg = t.boxFill;
  const color = (hex: string, alpha: number) => (alpha >= 1 ? packColor(hex) : mixColor(hex, bg, alpha));
  const nodeDim = style.nodeLit !== null && !style.nodeLit(n.name);
  const a = (alpha: number) => (nodeDim ? alpha * 0.45 : alpha);
  r.fill(p.x, p.y, p.width, p.height, color(nodeDim ? t.background : bg, 1));
  const edge = color(n.overcommitted ? t.warn : t.boxStroke, a(1));
  r.fill(p.x, p.y, p.width, 1, edge);
  r.fill(p.x, p.y + p.height - 1, p.width, 1, edge);
  r.fill(p.x, p.y, 1, p.height, edge);
  r.fill(p.x + p.width - 1, p.y, 1, p.height, edge);
  const tone = t[nodeStatus(n).tone];
  r.fill(p.x, p.y, p.width, 4, color(tone, a(1)));
  r.fill(p.x + 1, p.y + 4, p.width - 2, HEADER_H - 2, color(tone, a(0.18)));
  for (const row of p.layout.rows) {
    const firstLine = row.y + ROW_LABEL_H;
    for (const c of row.cells) {
      const dim = style.lit !== null && !style.lit(n.name, c.pod, c.ip);
      const alpha = a(dim ? t.dimAlpha : 1);
      const fill =
        c.kind === "pod"
          ? color(style.podColor(c.pod!), alpha)
          : c.kind === "primary"
            ? color(t.primaryCell, alpha)
            : c.kind === "warm"
              ? color(t.warmStroke, alpha)
              : c.kind === "free"
                ? color(t.freeCell, alpha)
                : color(t.placeholderCell, alpha);
      const top = c.y === firstLine ? row.y + 2 : c.y;
      r.fill(p.x + c.x, p.y + top, PITCH, c.y + PITCH - top, fill);
    }
  }
  const host = color(t.hostCell, a(1));
  for (const h of p.layout.hostPods) r.fill(p.x + h.x, p.y + h.y, PITCH - 2, PITCH - 2, host);
}
