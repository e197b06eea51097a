import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { syntheticTopology } from "../dev/synthetic.ts";
import { layoutCluster } from "../layout/clusterLayout.ts";
import {
  DETAIL_MAX_AREA,
  type PictureOptions,
  planPicture,
  usablePixelRatio,
  wholeRegion,
} from "./picture.ts";
import type { PictureContent } from "./pictureHeader.ts";
import { themes } from "./theme.ts";

// Wider than any real glyph run on average (0.62 em), as a sans-serif estimate errs on the wide side.
const measure = (s: string, f: { size: number }) => s.length * f.size * 0.62;

const style = {
  theme: themes.light,
  podColor: () => "#4e79a7",
  lit: null,
  nodeLit: null,
  problems: null,
  heat: null,
};

const content: PictureContent = {
  title: `my-very-long-cluster-name (ap-northeast-2) · 2026-12-06 13:00:00 UTC · 3 nodes · 43 pods running, 7 pending · IPs 45 used / 0 warm / 51 assigned · ENIs 9/9`,
  summary: "Subnets: 2a 192.168.1.0/24 232 free · Problems: 3 full, 3 ENI limit",
  legend: Array.from({ length: 20 }, (_, i) => ({ label: `legend entry ${i}`, swatch: { rects: [] } })),
  pendingTitle: "Pending 7",
  pending: ["7 × Deployment/nginx-deployment: too many pods"],
};

describe("exported picture", () => {
  it("keeps the 3-node lab at full detail and the asked pixel ratio", () => {
    const lab = layoutCluster(syntheticTopology({ nodes: 3, podsPerNode: 15 }).nodes, { grouping: "zone" });
    const whole = wholeRegion(lab, 2);
    assert.equal(whole.heat, false);
    assert.equal(whole.region.scale, 1);
    const plan = planPicture({ layout: lab, style, content, region: whole.region }, measure);
    assert.equal(usablePixelRatio(plan, 2), 2);
  });

  it("draws 5,000 nodes as a heat map small enough to encode under 5 MB", () => {
    const big = layoutCluster(syntheticTopology({ nodes: 5000, podsPerNode: 30 }).nodes, {
      grouping: "zone",
    });
    const whole = wholeRegion(big, 2);
    assert.equal(whole.heat, true);
    const o: PictureOptions = { layout: big, style, content, region: whole.region, heatStyle: style };
    const plan = planPicture(o, measure);
    const r = usablePixelRatio(plan, 2);
    assert.ok(plan.width * r * plan.height * r <= DETAIL_MAX_AREA * 1.5);
    assert.equal(plan.text, false);
  });

  it("wraps the title and the legend inside the picture and keeps group headings apart", () => {
    const topo = syntheticTopology({ nodes: 40, podsPerNode: 10 });
    const layout = layoutCluster(topo.nodes, { grouping: "instanceType" });
    const plan = planPicture({ layout, style, content }, measure);
    for (const it of plan.header) {
      assert.ok(it.x >= 0 && it.y >= 0 && it.y <= plan.bodyTop, "header item above the map");
      if (it.kind === "text") assert.ok(it.x + it.width <= plan.width - 24 + 0.01, `"${it.text}" fits`);
    }
    const titleLines = plan.header.filter((it) => it.kind === "text" && it.font.size === 16);
    assert.ok(titleLines.length > 1, "the long title wraps instead of being cut");
    assert.match(titleLines.map((it) => (it.kind === "text" ? it.text : "")).join(" "), /7 pending/);
    const boxes = plan.headings.map((h) => ({ x0: h.x, x1: h.x + measure(h.text, { size: 13 }), y: h.y }));
    for (const a of boxes)
      for (const b of boxes)
        if (a !== b && a.y === b.y) assert.ok(a.x1 <= b.x0 || b.x1 <= a.x0, "headings on one row overlap");
  });
});
