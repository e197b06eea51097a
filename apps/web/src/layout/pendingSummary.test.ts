import assert from "node:assert/strict";
import { test } from "node:test";
import type { PendingPodReport } from "@eni-view/model";
import { pendingSummary } from "./pendingSummary.ts";

function pod(name: string, over: Partial<PendingPodReport> = {}): PendingPodReport {
  return {
    namespace: "default",
    node: null,
    reason: "too-many-pods",
    message: "0/3 nodes are available: 3 Too many pods.",
    status: "Pending",
    owner: "Deployment/nginx-deployment",
    since: null,
    name,
    ...over,
  };
}

test("the largest groups come first, and what is left out is counted", () => {
  const pending = [
    pod("lone", { owner: null, namespace: "batch", reason: "ip-exhausted", message: "no IP", node: "n1" }),
    ...Array.from({ length: 7 }, (_, i) => pod(`web-${i}`)),
    ...Array.from({ length: 3 }, (_, i) => pod(`api-${i}`, { owner: "Deployment/api" })),
  ];
  const s = pendingSummary(pending, 2);
  assert.equal(s.total, 11);
  assert.deepEqual(s.lines, [
    "7 × Deployment/nginx-deployment: too many pods",
    "3 × Deployment/api: too many pods",
  ]);
  assert.equal(s.morePods, 1);
  assert.equal(s.moreGroups, 1);
  assert.deepEqual(pendingSummary(pending, 5).lines.at(-1), "1 × batch (no owner): no IP");
});

test("no Pending pods: no lines", () => {
  assert.deepEqual(pendingSummary([], 3), { total: 0, lines: [], morePods: 0, moreGroups: 0 });
});
