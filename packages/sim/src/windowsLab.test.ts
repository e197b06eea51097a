// The Windows lab: two t3.medium Linux nodes and a Windows node group of two m5.large nodes (tainted
// os=windows:NoSchedule) with `enable-windows-ipam: "true"` in the amazon-vpc-cni ConfigMap. As the EKS user
// guide and the VPC resource controller describe Windows IPAM: aws-node, kube-proxy and CoreDNS stay on Linux;
// each Windows node advertises vpc.amazonaws.com/PrivateIPv4Address and max pods = IPv4 per ENI - 1 and keeps
// a pool of secondary IPs on its primary ENI only (warm 3, minimum 3); a Windows pod asks for one address
// (the webhook) and runs on the one named in its annotation. Checked with kubectl and the aws CLI.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  daemonSetsDesired,
  type EniJson,
  enisByNode,
  kubectl,
  kubectlJson,
  labSim,
  type NodeJson,
  type PodJson,
  runFor,
} from "./clientsForTests.ts";

const sim = labSim("windows-lab");

type Pod = PodJson & {
  metadata: { annotations?: Record<string, string> };
  spec: { containers: { resources?: { requests?: Record<string, string> } }[] };
};

async function state() {
  const nodes = (await kubectlJson<{ items: NodeJson[] }>(sim(), "get", "nodes")).items;
  const pods = (await kubectlJson<{ items: Pod[] }>(sim(), "get", "pods", "-A")).items;
  const windows = nodes.filter((n) => n.metadata.labels["kubernetes.io/os"] === "windows");
  return { nodes, pods, windows, enis: await enisByNode(sim()) };
}

const secondary = (enis: EniJson[]) =>
  enis.flatMap((e) => e.PrivateIpAddresses.filter((a) => !a.Primary).map((a) => a.PrivateIpAddress));

test("Windows nodes: 9 pods and 9 PrivateIPv4Address on an m5.large, no aws-node, pods on primary-ENI IPs", async () => {
  await runFor(sim(), 60_000);
  const { nodes, pods, windows, enis } = await state();
  assert.equal(nodes.length, 4);
  assert.equal(windows.length, 2);
  // m5.large: 3 ENIs x 10 IPv4. Windows uses the primary ENI alone: 10 - 1 = 9 pods and 9 addresses; the
  // Linux t3.medium keeps the VPC CNI's 3 x (6 - 1) + 2 = 17.
  for (const n of nodes) {
    const win = n.metadata.labels["kubernetes.io/os"] === "windows";
    assert.equal(n.status.allocatable.pods, win ? "9" : "17");
    assert.equal(n.status.allocatable["vpc.amazonaws.com/PrivateIPv4Address"], win ? "9" : undefined);
  }
  const onWindows = (p: Pod) => windows.some((n) => n.metadata.name === p.spec.nodeName);
  // The EKS add-ons' Linux node affinity keeps aws-node, kube-proxy and CoreDNS off the Windows nodes.
  assert.deepEqual(
    pods
      .filter(onWindows)
      .map((p) => p.metadata.labels?.app)
      .sort(),
    ["iis", "iis", "iis"],
  );
  const iis = pods.filter((p) => p.metadata.labels?.app === "iis");
  for (const pod of iis) {
    assert.equal(pod.status.phase, "Running");
    assert.equal(pod.spec.containers[0]?.resources?.requests?.["vpc.amazonaws.com/PrivateIPv4Address"], "1");
    assert.equal(pod.metadata.annotations?.["vpc.amazonaws.com/PrivateIPv4Address"], pod.status.podIP);
    const own = enis.get(pod.spec.nodeName as string) ?? [];
    // One ENI, the primary: the pod's IP is one of its secondary addresses.
    assert.deepEqual(
      own.map((e) => e.Attachment?.DeviceIndex),
      [0],
    );
    assert.ok(secondary(own).includes(pod.status.podIP as string));
  }
  // The pool per node: its pods' addresses plus 3 warm (windows-warm-ip-target), at least 3: the 3 IIS
  // pods spread 2 + 1 over the two nodes, so 5 and 4 secondary IPs.
  const perNode = windows
    .map((n) => [
      iis.filter((p) => p.spec.nodeName === n.metadata.name).length,
      secondary(enis.get(n.metadata.name) ?? []).length,
    ])
    .sort();
  assert.deepEqual(perNode, [
    [1, 4],
    [2, 5],
  ]);
  assert.deepEqual(await daemonSetsDesired(sim()), [
    ["aws-node", "2"],
    ["kube-proxy", "2"],
  ]);
});

test("20 IIS replicas: 9 per Windows node on all 9 addresses, 2 Pending for the scheduler's reasons", async () => {
  await kubectl(sim(), "scale", "deployment", "iis", "--replicas=20");
  await runFor(sim(), 60_000);
  const { pods, windows, enis } = await state();
  const iis = pods.filter((p) => p.metadata.labels?.app === "iis");
  assert.equal(iis.filter((p) => p.status.phase === "Running").length, 18);
  for (const n of windows) assert.equal(secondary(enis.get(n.metadata.name) ?? []).length, 9);
  const pending = iis.filter((p) => !p.spec.nodeName);
  assert.equal(pending.length, 2);
  const message = pending[0]?.status.conditions?.find((c) => c.type === "PodScheduled")?.message ?? "";
  assert.match(
    message,
    /^0\/4 nodes are available: 2 Insufficient vpc\.amazonaws\.com\/PrivateIPv4Address, 2 Too many pods, 2 node\(s\) didn't match Pod's node affinity\/selector\./,
  );
});

test("back to 3 replicas: freed addresses cool down 30 s, then the pool shrinks to pods + 3 warm", async () => {
  await kubectl(sim(), "scale", "deployment", "iis", "--replicas=3");
  await runFor(sim(), 10_000);
  const cooling = await state();
  // Within the cool-down the freed addresses stay on the ENI.
  assert.ok(cooling.windows.every((n) => secondary(cooling.enis.get(n.metadata.name) ?? []).length === 9));
  await runFor(sim(), 60_000);
  const { pods, windows, enis } = await state();
  const iis = pods.filter((p) => p.metadata.labels?.app === "iis" && p.status.phase === "Running");
  assert.equal(iis.length, 3);
  for (const n of windows) {
    const running = iis.filter((p) => p.spec.nodeName === n.metadata.name).length;
    assert.equal(secondary(enis.get(n.metadata.name) ?? []).length, running + 3);
  }
});

test("the Windows node group launches its new nodes with 9 max pods; none of its nodes is outdated", async () => {
  const group = (await (await fetch(`${sim().adminUrl}/nodegroups/windows`)).json()) as {
    newNodeMaxPods: number;
    nodes: { maxPods: number; outdated: boolean }[];
  };
  assert.equal(group.newNodeMaxPods, 9);
  assert.deepEqual(
    group.nodes.map((n) => [n.maxPods, n.outdated]),
    [
      [9, false],
      [9, false],
    ],
  );
});
