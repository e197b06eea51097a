import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PendingPodReport, Topology } from "@eni-view/model";
import { syntheticTopology } from "../dev/synthetic.ts";
import { compareMoments } from "./compareMoments.ts";
import { eni, slots, t3medium } from "./testNodes.ts";

const pending = (name: string, reason: PendingPodReport["reason"]): PendingPodReport => ({
  namespace: "default",
  name,
  node: null,
  reason,
  message: "",
  status: "Pending",
  owner: null,
  since: null,
});

describe("compareMoments", () => {
  const base = syntheticTopology({ nodes: 3, podsPerNode: 2 });
  const a = t3medium("a", [eni("eni-1", 0, slots(11, 5, 5))], { pods: 5 });
  const b = t3medium("b", [eni("eni-2", 0, slots(21, 5, 0))], { pods: 0 });
  const at = (nodes: Topology["nodes"], pend: PendingPodReport[]): Topology => ({
    ...base,
    nodes,
    pending: pend,
    summary: { ...base.summary, pendingPods: pend.length },
  });

  it("names the node that attached an ENI, the node that joined and Pending by reason", () => {
    const a2 = t3medium("a", [eni("eni-1", 0, slots(11, 5, 5)), eni("eni-3", 1, slots(31, 5, 2))], {
      pods: 7,
    });
    const c = t3medium("c", [eni("eni-4", 0, slots(41, 5, 0))]);
    const d = compareMoments(
      at([a, b], []),
      at([a2, b, c], [pending("x", "too-many-pods"), pending("y", "too-many-pods")]),
    );
    assert.deepEqual(d.nodesAdded, ["c"]);
    assert.deepEqual(d.nodes, [
      { name: "a", enis: { label: "ENIs", a: 1, b: 2 }, pods: { label: "pods", a: 5, b: 7 } },
    ]);
    assert.deepEqual(d.pending, [{ label: "too-many-pods", a: 0, b: 2 }]);
    assert.deepEqual(
      d.totals.find((t) => t.label === "pods pending"),
      { label: "pods pending", a: 0, b: 2 },
    );
    assert.deepEqual([...d.changed].sort(), ["a", "c"]);
  });

  it("finds nothing between a moment and itself", () => {
    const t = at([a, b], [pending("x", "ip-exhausted")]);
    const d = compareMoments(t, t);
    assert.deepEqual([d.totals, d.nodes, d.pending, d.nodesAdded, d.nodesRemoved], [[], [], [], [], []]);
  });
});
