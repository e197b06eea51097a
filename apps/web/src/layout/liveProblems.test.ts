import assert from "node:assert/strict";
import { test } from "node:test";
import { indexProblems, type NodeReport, overviewOf, type ProblemIndex, seeded } from "@eni-view/model";
import { syntheticTopology } from "../dev/synthetic.ts";
import { liveProblems } from "./liveProblems.ts";

const whole = syntheticTopology({ nodes: 60, podsPerNode: 8, seed: 7 });

function same(live: ProblemIndex, fresh: ProblemIndex, step: string): void {
  const byName = (m: ProblemIndex["byNode"]) => [...m].sort(([a], [b]) => a.localeCompare(b));
  assert.deepEqual(byName(live.byNode), byName(fresh.byNode), `${step}: problems per node`);
  assert.deepEqual([...live.byKind], [...fresh.byKind], `${step}: the lists, in node order`);
  assert.deepEqual([...live.lowSubnets].sort(), [...fresh.lowSubnets].sort(), `${step}: low subnets`);
}

/** A node changed as a live update changes one: a new object with other numbers. */
function changed(n: NodeReport, r: () => number): NodeReport {
  switch (Math.floor(r() * 5)) {
    case 0:
      return { ...n, ready: !n.ready };
    case 1:
      return { ...n, cordoned: !n.cordoned };
    case 2:
      return { ...n, podsWaitingForIp: n.podsWaitingForIp > 0 ? 0 : 2 };
    case 3:
      return { ...n, pods: n.maxPods ?? n.pods, podsRunning: n.maxPods ?? n.pods };
    default:
      return { ...n, pods: Math.max(0, n.pods - 1), ipsWarm: n.ipsWarm + 1 };
  }
}

test("kept from update to update, the problems are the ones a whole recount finds", () => {
  const r = seeded(3);
  for (const start of [whole.nodes, overviewOf(whole).nodes]) {
    let nodes = start;
    let subnets = whole.subnets;
    let live = liveProblems(null, nodes, subnets);
    same(live.index, indexProblems(nodes, subnets), "first");
    for (let step = 0; step < 60; step++) {
      const next = nodes.slice();
      for (let k = 0; k < 1 + Math.floor(r() * 3); k++) {
        const at = Math.floor(r() * next.length);
        next[at] = changed(next[at]!, r);
      }
      nodes = next;
      // Now and then a subnet runs low (the nodes drawing on it get the mark) and recovers.
      if (step % 9 === 4)
        subnets = subnets.map((s, i) => (i === 0 ? { ...s, availableIps: s.totalIps > 0 ? 3 : 0 } : s));
      if (step % 9 === 8) subnets = whole.subnets;
      const before = live;
      live = liveProblems(live, nodes, subnets);
      same(live.index, indexProblems(nodes, subnets), `step ${step}`);
      assert.equal(liveProblems(live, nodes, subnets), live, "nothing new: the same answer");
      assert.notEqual(live, before);
    }
  }
});

test("a node list in another order or of another length is recounted whole", () => {
  const live = liveProblems(null, whole.nodes, whole.subnets);
  const fewer = whole.nodes.slice(1).map((n, i) => (i % 7 === 0 ? { ...n, ready: false } : n));
  same(liveProblems(live, fewer, whole.subnets).index, indexProblems(fewer, whole.subnets), "fewer");
  const turned = [...whole.nodes].reverse();
  same(liveProblems(live, turned, whole.subnets).index, indexProblems(turned, whole.subnets), "reversed");
});
