import assert from "node:assert/strict";
import { test } from "node:test";
import { applyDelta, diffTopology, type Topology } from "@eni-view/model";
import { syntheticTopology } from "../../apps/web/src/dev/synthetic.ts";
import { nextReplayTopology, oneChangeDelta } from "./replay.ts";

const podKey = (p: { namespace: string; name: string }) => `${p.namespace}/${p.name}`;

function run(start: Topology, sorted: boolean): number {
  let t = start;
  let state = 7;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  let checked = 0;
  for (let i = 0; i < 200; i++) {
    const next = nextReplayTopology(t, random, sorted);
    const mine = oneChangeDelta(t, next);
    const reference = diffTopology(t, next);
    assert.deepEqual(mine, reference, `change ${i}`);
    if (mine !== null) {
      // The slot-level form: one node patched, never sent whole.
      assert.equal(mine.nodes?.upsert.length, 0);
      assert.equal(mine.nodes?.patch?.length, 1);
      assert.deepEqual(applyDelta(t, mine), next);
      checked++;
    }
    t = next;
  }
  return checked;
}

test("the replay's one-change deltas are diffTopology's, in a pod list in key order", () => {
  const t = syntheticTopology({ nodes: 30, podsPerNode: 20, seed: 3 });
  const sorted = { ...t, pods: [...t.pods].sort((a, b) => (podKey(a) < podKey(b) ? -1 : 1)) };
  const checked = run(sorted, true);
  assert.ok(checked > 150, `only ${checked} changes checked`);
});

test("...and in one that is not, where new pods go at the end", () => {
  const t = syntheticTopology({ nodes: 30, podsPerNode: 20, seed: 3 });
  const unsorted = { ...t, pods: [...t.pods].sort((a, b) => (podKey(a) < podKey(b) ? 1 : -1)) };
  const checked = run(unsorted, false);
  assert.ok(checked > 150, `only ${checked} changes checked`);
});
