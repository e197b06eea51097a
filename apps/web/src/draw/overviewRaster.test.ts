import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { layoutCluster } from "../layout/clusterLayout.ts";
import { eni, slots, t3medium } from "../layout/testNodes.ts";
import { mixColor, OverviewRaster, packColor } from "./overviewRaster.ts";
import { themes } from "./theme.ts";

describe("OverviewRaster", () => {
  it("packs #rrggbb in ImageData's little-endian order and mixes colours", () => {
    assert.equal(packColor("#ff0000"), 0xff0000ff);
    assert.equal(packColor("#0000ff"), 0xffff0000);
    assert.equal(mixColor("#000000", "#ffffff", 0.5), 0xff808080);
  });

  it("paints a pod cell in its pod's colour and warm cells faintly, inside the box only", () => {
    const node = t3medium("n", [eni("eni-a", 0, slots(11, 5, 1))]);
    const layout = layoutCluster([node], { grouping: "zone" });
    const p = layout.byName.get("n")!;
    const raster = new OverviewRaster(Math.ceil(layout.width) + 20, Math.ceil(layout.height), 1);
    raster.paintNode(p, { theme: themes.light, podColor: () => "#4e79a7", lit: null, nodeLit: null });
    const at = (x: number, y: number) => raster.pixels[Math.floor(y) * raster.width + Math.floor(x)];
    const pod = p.layout.rows[0]!.cells[1]!;
    assert.equal(pod.kind, "pod");
    assert.equal(at(p.x + pod.x + 4, p.y + pod.y + 4), packColor("#4e79a7"));
    const warm = p.layout.rows[0]!.cells[2]!;
    assert.equal(warm.kind, "warm");
    assert.equal(
      at(p.x + warm.x + 4, p.y + warm.y + 4),
      mixColor(themes.light.warmStroke, themes.light.boxFill, 0.35),
    );
    // Outside every box the buffer stays transparent.
    assert.equal(at(p.x + p.width + 5, p.y + 10), 0);
  });
});
