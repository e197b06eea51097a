import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { overviewOf, type PendingPodReport, type Topology } from "@eni-view/model";
import { syntheticTopology } from "../dev/synthetic.ts";
import { nextSyntheticTopology } from "../dev/syntheticChanges.ts";
import { findChanges } from "./changes.ts";
import { eni, slots, t3medium } from "./testNodes.ts";

const pending = (name: string): PendingPodReport => ({
  namespace: "default",
  name,
  node: null,
  reason: "too-many-pods",
  message: "0/3 nodes are available: 3 Too many pods.",
  status: "Pending",
  owner: null,
  since: null,
});

describe("findChanges", () => {
  const a = t3medium("a", [eni("eni-1", 0, slots(11, 5, 5))]);
  const b = t3medium("b", [eni("eni-2", 0, slots(21, 5, 0))]);

  it("flashes no ENI when a node's detail comes in on the overview or leaves with the view", () => {
    const thin = overviewOf({ ...syntheticTopology({ nodes: 4, podsPerNode: 3 }) }).nodes;
    const whole = syntheticTopology({ nodes: 4, podsPerNode: 3 }).nodes;
    const detailed = [whole[0]!, ...thin.slice(1)];
    assert.deepEqual(findChanges({ nodes: thin, pending: [] }, { nodes: detailed, pending: [] }).newEnis, []);
    assert.deepEqual(findChanges({ nodes: detailed, pending: [] }, { nodes: thin, pending: [] }).newEnis, []);
    // Whole on both sides, a new ENI is still a new ENI.
    const more = { ...whole[0]!, enis: [...whole[0]!.enis, { ...whole[0]!.enis[0]!, id: "eni-new" }] };
    const after = findChanges(
      { nodes: detailed, pending: [] },
      { nodes: [more, ...thin.slice(1)], pending: [] },
    );
    assert.deepEqual(after.newEnis, [{ node: more.name, eni: "eni-new" }]);
  });

  it("names the third ENI attached during a scale-up, and only it", () => {
    const a2 = t3medium("a", [eni("eni-1", 0, slots(11, 5, 5)), eni("eni-3", 1, slots(31, 5, 1))]);
    const c = findChanges({ nodes: [a, b], pending: [] }, { nodes: [a2, b], pending: [] });
    assert.deepEqual(c.newEnis, [{ node: "a", eni: "eni-3" }]);
    assert.deepEqual(c.newNodes, []);
  });

  it("names pods that just went Pending, not those already waiting", () => {
    const c = findChanges(
      { nodes: [a], pending: [pending("nginx-1")] },
      { nodes: [a], pending: [pending("nginx-1"), pending("nginx-2")] },
    );
    assert.deepEqual(c.newPending, ["default/nginx-2"]);
  });

  it("marks nothing on the first snapshot", () => {
    assert.deepEqual(findChanges(null, { nodes: [a], pending: [pending("x")] }), {
      newEnis: [],
      newNodes: [],
      newPending: [],
    });
  });
});

describe("findChanges over live updates", () => {
  it("finds what comparing every node by name finds, whether or not the lists line up", () => {
    const byName = (prev: Topology, next: Topology) => {
      const old = new Map(prev.nodes.map((n) => [n.name, n]));
      const newEnis: { node: string; eni: string }[] = [];
      const newNodes: string[] = [];
      for (const n of next.nodes) {
        const o = old.get(n.name);
        if (!o) newNodes.push(n.name);
        else if (o !== n)
          for (const e of n.enis)
            if (!o.enis.some((x) => x.id === e.id)) newEnis.push({ node: n.name, eni: e.id });
      }
      const was = new Set(prev.pending.map((p) => `${p.namespace}/${p.name}`));
      const newPending = next.pending.map((p) => `${p.namespace}/${p.name}`).filter((k) => !was.has(k));
      return { newEnis, newNodes, newPending };
    };
    let t = syntheticTopology({ nodes: 40, podsPerNode: 14, seed: 2, pending: 4 });
    let state = 5;
    const random = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
    let enis = 0;
    for (let i = 0; i < 300; i++) {
      let next = nextSyntheticTopology(t, random, t.seq);
      if (i % 25 === 24) next = { ...next, nodes: [...next.nodes].reverse(), pending: next.pending.slice(1) };
      if (i % 40 === 39) next = { ...next, nodes: next.nodes.slice(1) };
      if (i % 30 === 7) {
        // An ENI attaches to one node.
        const nodes = next.nodes.slice();
        const n = nodes[i % nodes.length]!;
        nodes[i % nodes.length] = { ...n, enis: [...n.enis, { ...n.enis[0]!, id: `eni-new-${i}` }] };
        next = { ...next, nodes };
      }
      const found = findChanges(t, next);
      assert.deepEqual(found, byName(t, next), `update ${i}`);
      enis += found.newEnis.length;
      t = next;
    }
    // Adding a node back shows as a new node.
    const back = syntheticTopology({ nodes: 40, podsPerNode: 14, seed: 2, pending: 4 });
    assert.deepEqual(findChanges(t, back), byName(t, back));
    assert.ok(enis > 0, "no ENI attached in 300 updates");
  });
});
