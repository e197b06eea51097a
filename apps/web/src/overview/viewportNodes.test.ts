import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { overviewOf } from "@eni-view/model";
import { syntheticTopology } from "../dev/synthetic.ts";
import { layoutCluster } from "../layout/clusterLayout.ts";
import { nodesToAsk } from "./viewportNodes.ts";

const t = syntheticTopology({ nodes: 400, podsPerNode: 8, seed: 2 });
const layout = layoutCluster(overviewOf(t).nodes, { grouping: "zone" });

describe("which nodes the page asks the overview stream for", () => {
  it("asks for the boxes on screen and a margin round them, nothing far off", () => {
    const first = layout.nodes[0]!;
    const region = {
      x0: first.x,
      y0: first.y,
      x1: first.x + first.width * 3,
      y1: first.y + first.height * 2,
    };
    const names = nodesToAsk(layout, region, []);
    for (const p of layout.index.within(region.x0, region.y0, region.x1, region.y1))
      assert.ok(names.has(p.name), `${p.name} is on screen`);
    assert.ok(names.size < 40, `a screenful and its margin, not the cluster (${names.size})`);
  });

  it("asks for none but the open node when so many boxes are on screen that slots would be a pixel", () => {
    const whole = { x0: 0, y0: 0, x1: layout.width, y1: layout.height };
    const open = layout.nodes[123]!.name;
    assert.deepEqual([...nodesToAsk(layout, whole, [open], 50)], [open]);
    assert.equal(
      nodesToAsk(layout, whole, ["no-such-node"], 50).size,
      0,
      "a name not laid out is not asked for",
    );
  });
});
