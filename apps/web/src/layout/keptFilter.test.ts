import assert from "node:assert/strict";
import { test } from "node:test";
import { type NodeReport, seeded } from "@eni-view/model";
import { syntheticTopology } from "../dev/synthetic.ts";
import { keptFilter, nodesChangedAt } from "./keptFilter.ts";

const nodes = syntheticTopology({ nodes: 40, podsPerNode: 4, seed: 2 }).nodes;

test("a kept filter answers what filter does, and the same array while its nodes are untouched", () => {
  const r = seeded(5);
  const test = (n: NodeReport) => !n.ready;
  const kept = keptFilter(test);
  let list: readonly NodeReport[] = nodes;
  let out: readonly NodeReport[] = kept(list);
  assert.deepEqual(out, list.filter(test));
  for (let step = 0; step < 80; step++) {
    const next = list.slice();
    const at = Math.floor(r() * next.length);
    next[at] = { ...next[at]!, ready: r() < 0.5 };
    const before: readonly NodeReport[] = out;
    const touched = test(list[at]!) || test(next[at]!);
    list = next;
    out = kept(list);
    assert.deepEqual(out, list.filter(test), `step ${step}`);
    if (!touched) assert.equal(out, before, `step ${step}: nothing it holds changed`);
  }
  const fewer = list.slice(3);
  assert.deepEqual(kept(fewer), fewer.filter(test));
});

test("changed places are found object by object, and none when the names moved", () => {
  const next = nodes.slice();
  next[4] = { ...next[4]! };
  next[9] = { ...next[9]! };
  assert.deepEqual(nodesChangedAt(nodes, next), [4, 9]);
  assert.equal(nodesChangedAt(nodes, [...nodes].reverse()), null);
  assert.equal(nodesChangedAt(nodes, nodes.slice(1)), null);
});
