import assert from "node:assert/strict";
import { test } from "node:test";
import { diagnosePending } from "./diagnosis.ts";
import type { EventInput, PodInput } from "./types.ts";

const pod = (more: Partial<PodInput>): PodInput => ({
  namespace: "default",
  name: "p",
  uid: null,
  nodeName: null,
  phase: "Pending",
  hostNetwork: false,
  podIp: null,
  owner: null,
  status: "Pending",
  scheduledReason: null,
  scheduledMessage: null,
  waitingReason: null,
  deleting: false,
  createdAt: null,
  labels: {},
  ...more,
});

const event = (reason: string, message: string, lastSeen: string | null, type = "Warning"): EventInput => ({
  namespace: "default",
  kind: "Pod",
  name: "p",
  reason,
  message,
  type,
  count: 1,
  lastSeen,
});

const NO_IP =
  'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "9f": plugin type="aws-cni" name="aws-cni" failed (add): add cmd: failed to assign an IP address to container';

test("Too many pods wins when the scheduler gives several reasons", () => {
  const message = "0/3 nodes are available: 1 Insufficient cpu, 2 Too many pods.";
  assert.deepEqual(diagnosePending(pod({ scheduledMessage: message })), { reason: "too-many-pods", message });
});

test("any Insufficient resource, extended ones included", () => {
  const message = "0/3 nodes are available: 3 Insufficient nvidia.com/gpu.";
  assert.equal(diagnosePending(pod({ scheduledMessage: message })).reason, "insufficient-resources");
});

test("a hybrid node's Cilium out of pod CIDR addresses is IP exhaustion", () => {
  const bound = pod({ nodeName: "mi-0abc", status: "ContainerCreating" });
  const cilium =
    'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "7d5e": plugin type="cilium-cni" failed (add): unable to allocate IP via local cilium agent: [POST /ipam][502] postIpamFailure  range is full';
  assert.equal(
    diagnosePending(bound, [event("FailedCreatePodSandBox", cilium, null)]).reason,
    "ip-exhausted",
  );
});

test("too few branch ENIs (security groups for pods) or Windows pod IPs is IP exhaustion", () => {
  for (const message of [
    "0/3 nodes are available: 3 Insufficient vpc.amazonaws.com/pod-eni.",
    "0/2 nodes are available: 2 Insufficient vpc.amazonaws.com/PrivateIPv4Address.",
  ]) {
    assert.deepEqual(diagnosePending(pod({ scheduledMessage: message })), {
      reason: "ip-exhausted",
      message,
    });
  }
});

test("ip-exhausted uses the latest sandbox failure, also in the dockershim wording", () => {
  const bound = pod({ nodeName: "n1", status: "ContainerCreating" });
  const got = diagnosePending(bound, [
    event("FailedCreatePodSandBox", "some older failure", "2026-11-20T10:00:00Z"),
    event("FailedCreatePodSandBox", NO_IP, "2026-11-20T10:05:00Z"),
  ]);
  assert.deepEqual(got, { reason: "ip-exhausted", message: NO_IP });
  const dockershim =
    'networkPlugin cni failed to set up pod "p_default" network: add cmd: failed to assign an IP address to container';
  assert.equal(
    diagnosePending(bound, [event("FailedCreatePodSandBox", dockershim, null)]).reason,
    "ip-exhausted",
  );
});

test("a sandbox failure that is not about IPs is other, with its message", () => {
  const message =
    'Failed to create pod sandbox: plugin type="aws-cni" failed (add): add cmd: Error received from AddNetwork gRPC call: rpc error: code = Unavailable';
  const got = diagnosePending(pod({ nodeName: "n1" }), [event("FailedCreatePodSandBox", message, null)]);
  assert.deepEqual(got, { reason: "other", message });
});

test("a pod that already has its IP is not ip-exhausted, whatever old events say", () => {
  const got = diagnosePending(
    pod({ nodeName: "n1", podIp: "10.0.0.5", waitingReason: "ImagePullBackOff", status: "ImagePullBackOff" }),
    [
      event("FailedCreatePodSandBox", NO_IP, "2026-11-20T10:00:00Z"),
      event("Failed", 'Failed to pull image "nginx:nope": not found', "2026-11-20T10:06:00Z"),
    ],
  );
  assert.deepEqual(got, { reason: "other", message: 'Failed to pull image "nginx:nope": not found' });
});

test("a bound pod without an IP and without a failure is starting (waiting for IP), not other", () => {
  assert.deepEqual(diagnosePending(pod({ nodeName: "n1", waitingReason: "ContainerCreating" })), {
    reason: "starting",
    message: "waiting for an IP (ContainerCreating)",
  });
  assert.equal(diagnosePending(pod({ nodeName: "n1", hostNetwork: true })).reason, "other");
});

test("without events: the waiting reason, or the status", () => {
  assert.deepEqual(
    diagnosePending(pod({ nodeName: "n1", podIp: "10.0.0.5", waitingReason: "ContainerCreating" })),
    { reason: "other", message: "ContainerCreating" },
  );
  assert.deepEqual(diagnosePending(pod({ scheduledReason: "SchedulingGated" })), {
    reason: "unschedulable",
    message: "SchedulingGated",
  });
});
