import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { syntheticTopology } from "../dev/synthetic.ts";
import { layoutCluster } from "../layout/clusterLayout.ts";
import { pictureSize, usablePixelRatio } from "./picture.ts";

describe("export size", () => {
  it("keeps the asked pixel ratio for the 3-node lab", () => {
    const lab = layoutCluster(syntheticTopology({ nodes: 3, podsPerNode: 15 }).nodes, { grouping: "zone" });
    assert.equal(usablePixelRatio(lab, 2), 2);
  });

  it("lowers it for 5,000 nodes to an image the browser can still make", () => {
    const big = layoutCluster(syntheticTopology({ nodes: 5000, podsPerNode: 30 }).nodes, {
      grouping: "zone",
    });
    const r = usablePixelRatio(big, 2);
    const { width, height } = pictureSize(big);
    assert.ok(r < 2 && r > 0.1, `ratio ${r}`);
    assert.ok(width * r <= 16_384 && height * r <= 16_384);
    assert.ok(width * r * height * r <= 50_000_001);
  });
});
