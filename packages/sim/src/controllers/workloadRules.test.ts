import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../kube/types.ts";
import { deletionOrder, templateHash } from "./workloadRules.ts";

test("pod-template-hash uses the characters Kubernetes' SafeEncodeString makes of a decimal hash", () => {
  const hash = templateHash({ metadata: { labels: { app: "nginx" } }, spec: { containers: [] } });
  // Digits 0-9 encode to 4 5 6 7 8 9 b c d f (their code points modulo 27 in "bcdf...789").
  assert.match(hash, /^[456789bcdf]{6,10}$/);
  assert.equal(hash, templateHash({ metadata: { labels: { app: "nginx" } }, spec: { containers: [] } }));
  assert.notEqual(hash, templateHash({ metadata: { labels: { app: "web" } }, spec: { containers: [] } }));
});

function pod(name: string, created: string, nodeName?: string, phase = "Running", ready = true): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default", uid: name, resourceVersion: "1", creationTimestamp: created },
    spec: nodeName ? { nodeName } : {},
    status: { phase, conditions: [{ type: "Ready", status: ready ? "True" : "False" }] },
  };
}

test("scale-down deletes unscheduled, then pending, then not ready, then crowded-node, then newest pods first", () => {
  const pods = [
    pod("old-running-a", "2026-01-01T00:00:00Z", "a"),
    pod("new-running-b", "2026-01-01T00:05:00Z", "b"),
    pod("running-a-2", "2026-01-01T00:01:00Z", "a"),
    pod("running-a-3", "2026-01-01T00:02:00Z", "a"),
    pod("not-ready", "2026-01-01T00:00:00Z", "b", "Running", false),
    pod("pending", "2026-01-01T00:00:00Z", "c", "Pending", false),
    pod("unscheduled", "2026-01-01T00:00:00Z", undefined, "Pending", false),
  ];
  assert.deepEqual(
    deletionOrder(pods).map((p) => p.metadata.name),
    // node a holds 3 of these pods, node b 2: a's go first, newest first.
    ["unscheduled", "pending", "not-ready", "running-a-3", "running-a-2", "old-running-a", "new-running-b"],
  );
});
