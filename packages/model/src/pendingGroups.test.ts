import assert from "node:assert/strict";
import { test } from "node:test";
import { groupPendingPods, pendingMessageKey } from "./pendingGroups.ts";
import type { PendingPodReport } from "./types.ts";

function pod(over: Partial<PendingPodReport> & { name: string }): PendingPodReport {
  return {
    namespace: "default",
    node: null,
    reason: "too-many-pods",
    message: "0/3 nodes are available: 3 Too many pods.",
    status: "Pending",
    owner: "Deployment/nginx-deployment",
    since: null,
    ...over,
  };
}

// The aws-cni failure as kubelet words it: a new sandbox id per attempt (the simulator's form) ...
const simSandbox = (id: string) =>
  `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${id}": plugin type="aws-cni" name="aws-cni" failed (add): add cmd: failed to assign an IP address to container`;
// ... and dockershim's older form, which also names the pod.
const dockershim = (id: string, name: string) =>
  `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to set up sandbox container "${id}" network for pod "${name}": networkPlugin cni failed to set up pod "${name}_default" network: add cmd: failed to assign an IP address to container`;

test("sandbox ids, UIDs and the pod's own name are stripped from the grouping key", () => {
  const a = pendingMessageKey({ name: "web-1", message: simSandbox("a".repeat(64)) });
  const b = pendingMessageKey({ name: "web-2", message: simSandbox("0123456789abcdef".repeat(4)) });
  assert.equal(a, b);
  assert.match(a, /for sandbox "…": plugin type="aws-cni"/);
  const c = pendingMessageKey({ name: "web-7c9f", message: dockershim("4d9bd3cb7c3f1e2a", "web-7c9f") });
  assert.equal(
    c,
    'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to set up sandbox container "…" network for pod "…": networkPlugin cni failed to set up pod "…_default" network: add cmd: failed to assign an IP address to container',
  );
  assert.equal(
    pendingMessageKey({ name: "x", message: "pod 0f8e0c1a-8d55-4c4e-9d5e-3f2f8a7b6c5d was evicted" }),
    "pod … was evicted",
  );
  assert.equal(
    pendingMessageKey({ name: "p", message: "0/3 nodes are available: 3 Too many pods." }),
    "0/3 nodes are available: 3 Too many pods.",
  );
});

test("100 ip-exhausted pods of one Deployment on 4 nodes make one group, not 100", () => {
  const pending = Array.from({ length: 100 }, (_, i) =>
    pod({
      name: `nginx-${i}`,
      node: `node-${i % 4}`,
      reason: "ip-exhausted",
      message: simSandbox(i.toString(16).padStart(64, "0")),
      status: "ContainerCreating",
    }),
  );
  const groups = groupPendingPods(pending);
  assert.equal(groups.length, 1);
  assert.equal(groups[0]!.count, 100);
  assert.deepEqual(groups[0]!.nodes, ["node-0", "node-1", "node-2", "node-3"]);
  assert.equal(groups[0]!.pods.length, 100);
});

test("owner, namespace, reason and message each split groups; biggest first, ties in a fixed order", () => {
  const pending = [
    pod({ name: "a1" }),
    pod({ name: "b1", owner: "StatefulSet/db" }),
    pod({ name: "a2" }),
    pod({ name: "c1", namespace: "other" }),
    pod({ name: "a3" }),
    pod({
      name: "d1",
      reason: "insufficient-resources",
      message: "0/3 nodes are available: 3 Insufficient cpu.",
    }),
    pod({ name: "b2", owner: "StatefulSet/db" }),
  ];
  const groups = groupPendingPods(pending);
  assert.deepEqual(
    groups.map((g) => [g.count, g.namespace, g.owner, g.reason, g.pods.join(",")]),
    [
      [3, "default", "Deployment/nginx-deployment", "too-many-pods", "a1,a2,a3"],
      [2, "default", "StatefulSet/db", "too-many-pods", "b1,b2"],
      [1, "default", "Deployment/nginx-deployment", "insufficient-resources", "d1"],
      [1, "other", "Deployment/nginx-deployment", "too-many-pods", "c1"],
    ],
  );
  assert.deepEqual(groupPendingPods([]), []);
});
