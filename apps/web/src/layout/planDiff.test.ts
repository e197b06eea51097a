import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NodeReport, PendingPodReport, PodReport } from "@eni-view/model";
import { planDiff } from "./planDiff.ts";
import { eni, slots, t3medium } from "./testNodes.ts";

const pod = (name: string, node: string): PodReport => ({
  namespace: "default",
  name,
  node,
  ip: "192.168.1.1",
  eni: null,
  phase: "Running",
  status: "Running",
  owner: "Deployment/nginx",
  labels: {},
});

const pending = (name: string): PendingPodReport => ({
  namespace: "default",
  name,
  node: null,
  reason: "too-many-pods",
  message: "0/3 nodes are available: 3 Too many pods.",
  status: "Pending",
  owner: "Deployment/nginx",
  since: null,
});

const side = (nodes: NodeReport[], pods: PodReport[], pend: PendingPodReport[] = []) => ({
  nodes,
  pods,
  pending: pend,
});

describe("planDiff", () => {
  const a = t3medium("a", [eni("eni-1", 0, slots(11, 5, 2))]);
  const b = t3medium("b", [eni("eni-2", 0, slots(21, 5, 0))]);

  it("marks the ENI a node attaches and the pods placed on it, and nothing on an untouched node", () => {
    const a2 = t3medium("a", [eni("eni-1", 0, slots(11, 5, 5)), eni("eni-9", 1, slots(31, 5, 1))]);
    const d = planDiff(
      side([a, b], [pod("nginx-0", "a"), pod("nginx-1", "a")]),
      side([a2, b], [pod("nginx-0", "a"), pod("nginx-1", "a"), pod("nginx-2", "a"), pod("nginx-3", "a")]),
    );
    assert.deepEqual([...(d.byNode.get("a")?.newEnis ?? [])], ["eni-9"]);
    assert.deepEqual([...(d.byNode.get("a")?.newPods ?? [])], ["default/nginx-2", "default/nginx-3"]);
    assert.equal(d.byNode.has("b"), false);
    assert.deepEqual(
      { enis: d.newEnis, pods: d.newPods, moved: d.movedPods },
      { enis: 1, pods: 2, moved: 0 },
    );
  });

  it("tells a pod that moves to another node from a new one, and lists new Pending pods only", () => {
    const d = planDiff(
      side([a, b], [pod("nginx-0", "a")], [pending("old")]),
      side([a, b], [pod("nginx-0", "b")], [pending("old"), pending("nginx-5")]),
    );
    assert.deepEqual([...(d.byNode.get("b")?.movedPods ?? [])], ["default/nginx-0"]);
    assert.equal(d.newPods, 0);
    assert.deepEqual([...d.newPending], ["default/nginx-5"]);
  });

  it("marks the nodes a roll-over replaces (named by the planner or gone from the plan) and the new ones", () => {
    const c = t3medium("c", [eni("eni-7", 0, slots(41, 5, 0))]);
    const d = planDiff(side([a, b], []), side([b, c], []), ["b"]);
    assert.deepEqual(d.replacedNodes, ["a", "b"]);
    assert.deepEqual(d.addedNodes, ["c"]);
    assert.equal(d.byNode.get("a")?.replaced, true);
    assert.equal(d.byNode.get("c")?.added, true);
    // The new node's primary ENI is new too.
    assert.equal(d.newEnis, 1);
  });
});
