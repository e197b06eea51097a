import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applyDelta, diffTopology } from "./delta.ts";
import { nodeEniCounts } from "./nodeKinds.ts";
import { advanceOverview, groupTotals, nodeDetail, overviewOf, type ThinCache } from "./overview.ts";
import { indexProblems } from "./problems.ts";
import { mutateTopology, randomTopology, seeded } from "./testing/randomTopology.ts";

describe("the overview: numbers first, detail for the nodes in view", () => {
  it("keeps every node's numbers, leaves out ENIs and pods, and says how many ENIs it left out", () => {
    const t = randomTopology(seeded(3), { nodes: 12 });
    const o = overviewOf(t);
    assert.deepEqual(o.pods, []);
    assert.equal(o.pending, t.pending, "the Pending tray keeps its pods");
    o.nodes.forEach((thin, i) => {
      const whole = t.nodes[i]!;
      const { enis, hostNetworkPods, podsOffEni, omitted, ...numbers } = thin;
      const { enis: e, hostNetworkPods: h, podsOffEni: p, ...wholeNumbers } = whole;
      assert.deepEqual(numbers, wholeNumbers);
      assert.deepEqual([enis, hostNetworkPods, podsOffEni], [[], [], []]);
      assert.deepEqual(omitted, {
        enis: e.length,
        hostNetworkPods: h.length,
        podsOffEni: p.length,
        subnets: [...new Set(e.map((x) => x.subnetId))],
        attached: nodeEniCounts(whole).attached,
        otherCards: nodeEniCounts(whole).otherCards,
      });
      assert.deepEqual(nodeEniCounts(thin), nodeEniCounts(whole), "the panel's ENI counts are the same");
    });
    const totals = groupTotals(o.nodes);
    assert.equal(
      totals.reduce((s, g) => s + g.nodes, 0),
      t.nodes.length,
    );
    assert.equal(
      totals.reduce((s, g) => s + g.enis, 0),
      t.nodes.reduce((s, n) => s + n.enis.length, 0),
    );
    assert.equal(
      totals.reduce((s, g) => s + g.ipsUsed, 0),
      t.nodes.reduce((s, n) => s + n.ipsUsed, 0),
    );
  });

  it("finds on the thin nodes every problem the whole nodes have, with the same words", () => {
    const t = randomTopology(seeded(7), { nodes: 60 });
    // Subnets nearly out, so the subnet problem is among those compared.
    const subnets = t.subnets.map((s, i) => (i % 2 === 0 ? { ...s, availableIps: 3 } : s));
    const whole = indexProblems(t.nodes, subnets);
    const thin = indexProblems(overviewOf(t).nodes, subnets);
    assert.ok(whole.byNode.size > 0, "the random cluster has problems to compare");
    assert.deepEqual([...thin.byNode], [...whole.byNode]);
    assert.deepEqual([...thin.byKind], [...whole.byKind]);
  });

  it("a delta between two overviews applies to the first and carries no ENIs; unchanged nodes are the same objects", () => {
    const r = seeded(11);
    const cache: ThinCache = new WeakMap();
    let t = randomTopology(r, { nodes: 20, seq: 5 });
    let o = overviewOf(t, cache);
    for (let step = 0; step < 30; step++) {
      const next = mutateTopology(t, r);
      const after = overviewOf(next, cache);
      next.nodes.forEach((n, i) => {
        const j = t.nodes.indexOf(n);
        if (j >= 0) assert.equal(after.nodes[i], o.nodes[j], "an unchanged node's thin copy is kept");
      });
      const delta = diffTopology(o, after);
      if (delta) {
        assert.ok(!JSON.stringify(delta).includes('"slots"'), "no slots travel in an overview delta");
        const applied = applyDelta(o, delta);
        assert.deepEqual(applied.nodes, after.nodes);
      }
      t = next;
      o = after;
    }
  });

  it("advancing an overview by a change gives the overview of the new topology", () => {
    const r = seeded(23);
    const cache: ThinCache = new WeakMap();
    let t = randomTopology(r, { nodes: 15, seq: 1 });
    let o = overviewOf(t, cache);
    for (let step = 0; step < 60; step++) {
      const next = mutateTopology(t, r);
      const advanced = advanceOverview(o, t, next, cache);
      assert.deepEqual(advanced, overviewOf(next, new WeakMap()));
      t = next;
      o = advanced;
    }
  });

  it("the detail of named nodes is the whole topology's, with their pods; unknown names are told", () => {
    const t = randomTopology(seeded(5), { nodes: 8 });
    const names = [t.nodes[2]!.name, t.nodes[5]!.name, "ip-gone.internal"];
    const d = nodeDetail(t, names);
    assert.deepEqual(d.nodes, [t.nodes[2], t.nodes[5]]);
    assert.deepEqual(
      d.pods,
      t.pods.filter((p) => p.node === names[0] || p.node === names[1]),
    );
    assert.deepEqual(d.missing, ["ip-gone.internal"]);
    assert.equal(d.seq, t.seq);
  });

  it("the detail of the next topology is its own, when it keeps the last one's nodes or pods", () => {
    const t = randomTopology(seeded(6), { nodes: 8 });
    const names = t.nodes.map((n) => n.name);
    const whole = (x: typeof t) => ({
      nodes: x.nodes,
      pods: x.pods.filter((p) => names.includes(p.node)),
    });
    nodeDetail(t, names);
    // Pods changed, the node list kept as it was; then the nodes changed, the pods kept.
    const fewerPods = { ...t, seq: t.seq + 1, pods: t.pods.filter((_, i) => i % 3 !== 0) };
    const d1 = nodeDetail(fewerPods, names);
    assert.deepEqual({ nodes: d1.nodes, pods: d1.pods }, whole(fewerPods));
    const fewerNodes = { ...fewerPods, seq: t.seq + 2, nodes: fewerPods.nodes.slice(1) };
    const d2 = nodeDetail(fewerNodes, names);
    assert.deepEqual(d2.nodes, fewerNodes.nodes);
    assert.deepEqual(d2.missing, [names[0]]);
    assert.deepEqual(
      d2.pods,
      fewerPods.pods.filter((p) => names.slice(1).includes(p.node)),
    );
  });
});
