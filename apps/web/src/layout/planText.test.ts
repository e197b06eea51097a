import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PlanNode, PlanPendingPod } from "@eni-view/model";
import { newPendingLines, nodeGroupChoices, seedRanges, workloadChoices } from "./planText.ts";
import { eni, slots, t3medium } from "./testNodes.ts";

const r = (min: number, max = min) => ({ min, max });

describe("plan panel text", () => {
  it("names a node's figures only where the seeds differ", () => {
    const node = (name: string, assigned: { min: number; max: number }): PlanNode => ({
      name,
      fate: "kept",
      nodeGroup: "ng-1",
      instanceType: "t3.medium",
      zone: "ap-northeast-2a",
      maxPods: 110,
      enis: r(1),
      unit: "prefix",
      assigned,
      used: r(20),
      warm: r(12),
      pods: r(22),
      before: { enis: 1, assigned: 1, used: 2, pods: 4 },
    });
    assert.deepEqual(seedRanges([node("a", r(2)), node("b", r(2, 3))]), [
      { node: "b", figures: [["prefixes", r(2, 3)]] },
    ]);
  });

  it("offers the owners of pods as workloads, Pending pods counted, and node groups with their types", () => {
    const pod = (name: string, owner: string | null) => ({
      namespace: "default",
      name,
      node: "a",
      ip: "192.168.1.20",
      eni: null,
      phase: "Running" as const,
      status: "Running",
      owner,
      labels: {},
    });
    const choices = workloadChoices({
      pods: [pod("web-1", "Deployment/web"), pod("db-0", "StatefulSet/db"), pod("lonely", null)],
      pending: [
        { ...pod("web-2", "Deployment/web"), node: null, reason: "too-many-pods", message: "", since: null },
      ],
    });
    assert.deepEqual(
      choices.map((c) => [c.ref, c.pods]),
      [
        ["default/web", 2],
        ["statefulset/default/db", 1],
      ],
    );
    const a = t3medium("a", [eni("eni-1", 0, slots(11, 5, 0))]);
    const b = t3medium("b", [eni("eni-2", 0, slots(21, 5, 0))], { instanceType: "c5d.large" });
    assert.deepEqual(nodeGroupChoices({ nodes: [a, a, b] }), [
      { name: "ng-1", nodes: 3, types: ["t3.medium", "c5d.large"] },
    ]);
  });

  it("groups only the pods the plan leaves Pending that are not Pending now", () => {
    const p = (name: string, already: boolean): PlanPendingPod => ({
      namespace: "default",
      name,
      owner: "Deployment/nginx-deployment",
      node: null,
      reason: "too-many-pods",
      message: "0/3 nodes are available: 3 Too many pods.",
      seeds: 5,
      already,
    });
    const lines = newPendingLines({
      pending: [p("x", false), p("y", false), p("z", true)],
      seeds: [1, 2, 3, 4, 5],
    });
    assert.deepEqual(
      lines.map((l) => [l.count, l.owner, l.reason]),
      [[2, "Deployment/nginx-deployment", "too-many-pods"]],
    );
  });
});
