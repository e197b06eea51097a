import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PendingPodReport } from "@eni-view/model";
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
