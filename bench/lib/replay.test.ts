import assert from "node:assert/strict";
import { test } from "node:test";
import { applyDelta, diffTopology } from "@eni-view/model";
import { syntheticTopology } from "../../apps/web/src/dev/synthetic.ts";
import { nextSyntheticTopology } from "../../apps/web/src/dev/syntheticChanges.ts";
import { oneChangeDelta } from "./replay.ts";

test("the replay's one-change deltas do what diffTopology's do", () => {
  let t = syntheticTopology({ nodes: 30, podsPerNode: 20, seed: 3 });
  let state = 7;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  let checked = 0;
  for (let i = 0; i < 200; i++) {
    const next = nextSyntheticTopology(t, random, t.seq);
    const mine = oneChangeDelta(t, next);
    const reference = diffTopology(t, next);
    if (reference === null) assert.equal(next, t);
    else {
      assert.ok(mine, "a change without a delta");
      assert.deepEqual(applyDelta(t, mine), applyDelta(t, reference));
      checked++;
    }
    t = next;
  }
  assert.ok(checked > 150, `only ${checked} changes checked`);
});
