import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { diffTopology, nodeDetail, overviewOf } from "@eni-view/model";
import { syntheticTopology } from "../dev/synthetic.ts";
import { layoutNode } from "../layout/nodeLayout.ts";
import { detailLoading, isThin, startOverview, withDelta, withDetail, withWanted } from "./overviewState.ts";

const whole = syntheticTopology({ nodes: 12, podsPerNode: 8, seed: 4 });
const names = whole.nodes.map((n) => n.name);

describe("the page's overview: thin nodes, the detail asked for in their place", () => {
  it("draws every node thin at first, marks the nodes asked for as loading, then whole as their detail comes", () => {
    let s = startOverview("s1", overviewOf(whole));
    assert.ok(s.merged.nodes.every(isThin));
    assert.deepEqual(s.merged.pods, []);
    const asked = new Set(names.slice(0, 3));
    s = withWanted(s, asked);
    assert.deepEqual(
      s.merged.nodes.map((n) => detailLoading(n)),
      names.map((n) => asked.has(n)),
    );
    s = withDetail(s, nodeDetail(whole, asked));
    for (const [i, n] of s.merged.nodes.entries()) {
      if (asked.has(n.name)) assert.equal(n, whole.nodes[i], "a node in detail is the whole node");
      else assert.ok(isThin(n) && !detailLoading(n));
    }
    assert.deepEqual(
      s.merged.pods.map((p) => `${p.namespace}/${p.name}`).sort(),
      whole.pods
        .filter((p) => asked.has(p.node))
        .map((p) => `${p.namespace}/${p.name}`)
        .sort(),
    );
  });

  it("keeps no detail of nodes no longer asked for, and takes none it did not ask for", () => {
    let s = withWanted(startOverview("s1", overviewOf(whole)), new Set(names.slice(0, 2)));
    s = withDetail(s, nodeDetail(whole, names.slice(0, 4)));
    assert.deepEqual([...s.detail.keys()].sort(), names.slice(0, 2).sort());
    s = withWanted(s, new Set([names[1]!]));
    assert.deepEqual([...s.detail.keys()], [names[1]]);
    assert.ok(isThin(s.merged.nodes[0]!) && !detailLoading(s.merged.nodes[0]!));
  });

  it("moves the thin nodes by the stream's deltas and drops the detail of a node removed", () => {
    let s = withWanted(startOverview("s1", overviewOf(whole)), new Set(names.slice(0, 2)));
    s = withDetail(s, nodeDetail(whole, names.slice(0, 2)));
    const fewer = { ...whole, seq: whole.seq + 1, nodes: whole.nodes.slice(1) };
    const delta = diffTopology(overviewOf(whole), overviewOf(fewer))!;
    s = withDelta(s, delta);
    assert.equal(s.thin.seq, whole.seq + 1);
    assert.deepEqual(
      s.merged.nodes.map((n) => n.name),
      names.slice(1),
    );
    assert.deepEqual([...s.detail.keys()], [names[1]]);
  });

  it("gives a thin node the box its detail will have, so nothing moves when the detail comes", () => {
    for (const node of whole.nodes) {
      const thin = layoutNode(overviewOf({ ...whole, nodes: [node] }).nodes[0]!);
      const full = layoutNode(node);
      assert.deepEqual([thin.width, thin.height], [full.width, full.height], node.name);
      assert.ok(thin.summary && thin.rows.length === 0);
    }
  });
});
