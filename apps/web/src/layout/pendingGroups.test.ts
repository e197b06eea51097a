import assert from "node:assert/strict";
import { test } from "node:test";
import type { PendingPodReport } from "@eni-view/model";
import { groupMessage, groupPending } from "./pendingGroups.ts";

const pending = (name: string, extra: Partial<PendingPodReport> = {}): PendingPodReport => ({
  namespace: "default",
  name,
  node: null,
  reason: "too-many-pods",
  message: "0/3 nodes are available: 3 Too many pods.",
  status: "Pending",
  owner: "Deployment/nginx-deployment",
  since: null,
  ...extra,
});

const sandbox = (id: string) =>
  `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${id}": plugin type="aws-cni" name="aws-cni" failed (add): add cmd: failed to assign an IP address to container`;

test("pods of one owner with the same reason and words are one group, biggest first", () => {
  const list = [
    ...Array.from({ length: 28 }, (_, i) => pending(`nginx-${i}`)),
    pending("web-0", {
      owner: "Deployment/web",
      reason: "insufficient-resources",
      message: "0/3 nodes are available: 3 Insufficient cpu.",
    }),
  ];
  const groups = groupPending(list);
  assert.deepEqual(
    groups.map((g) => [g.pods.length, g.owner, g.reason]),
    [
      [28, "Deployment/nginx-deployment", "too-many-pods"],
      [1, "Deployment/web", "insufficient-resources"],
    ],
  );
});

test("sandbox failures group by their message with the sandbox ids taken out, and name their nodes", () => {
  const a = pending("nginx-a", {
    reason: "ip-exhausted",
    node: "node-1",
    message: sandbox("a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90"),
  });
  const b = pending("nginx-b", {
    reason: "ip-exhausted",
    node: "node-2",
    message: sandbox("0f9e8d7c6b5a49382716050f9e8d7c6b5a49382716050f9e8d7c6b5a493827"),
  });
  const groups = groupPending([a, b]);
  assert.equal(groups.length, 1);
  assert.equal(groups[0]!.message, groupMessage(a.message));
  assert.match(groups[0]!.message, /sandbox "…"/);
  assert.deepEqual(groups[0]!.nodes, ["node-1", "node-2"]);
});

test("a pod without an owner is its own group", () => {
  const groups = groupPending([pending("solo", { owner: null })]);
  assert.equal(groups[0]!.owner, "default/solo");
});
