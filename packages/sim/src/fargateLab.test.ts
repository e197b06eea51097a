// The Fargate lab: a mixed cluster of two t3.medium nodes and a Fargate profile that takes CoreDNS
// (kube-system, k8s-app=kube-dns). As the EKS user guide describes Fargate, each CoreDNS pod gets its own
// node, fargate-ip-<its IP>, and one ENI that AWS manages (RequesterManaged, no instance of the account);
// aws-node and kube-proxy stay off Fargate nodes. Checked with kubectl and the aws CLI.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { awsEc2, daemonSetsDesired, kubectl, kubectlJson, type PodJson, runFor } from "./clientsForTests.ts";
import { type Sim, startSim } from "./index.ts";

let sim: Sim;
before(async () => {
  sim = await startSim({
    scenario: "fargate-lab",
    clock: "manual",
    stateDir: mkdtempSync(join(tmpdir(), "fargate-lab-")),
  });
});
after(() => sim.stop());

interface Eni {
  NetworkInterfaceId: string;
  RequesterManaged: boolean;
  Attachment?: { InstanceId?: string };
  PrivateIpAddress: string;
  PrivateIpAddresses: { PrivateIpAddress: string }[];
}

type Pod = PodJson & { spec: { schedulerName?: string } };

interface FargateNode {
  metadata: { name: string; labels: Record<string, string> };
  spec: { providerID: string; taints?: { key: string; value: string; effect: string }[] };
  status: { addresses: { type: string; address: string }[] };
}

async function state() {
  const nodes = (await kubectlJson<{ items: FargateNode[] }>(sim, "get", "nodes")).items;
  const pods = (await kubectlJson<{ items: Pod[] }>(sim, "get", "pods", "-A")).items;
  const { NetworkInterfaces } = await awsEc2<{ NetworkInterfaces: Eni[] }>(
    sim,
    "describe-network-interfaces",
  );
  const fargate = nodes.filter((n) => n.metadata.labels["eks.amazonaws.com/compute-type"] === "fargate");
  return { nodes, pods, enis: NetworkInterfaces, fargate };
}

test("each CoreDNS pod runs alone on a Fargate node, on one requester-managed ENI with its IP", async () => {
  await runFor(sim, 60_000);
  const { nodes, pods, enis, fargate } = await state();
  assert.equal(nodes.length, 4); // 2 EC2 + one Fargate node per CoreDNS replica
  assert.equal(fargate.length, 2);
  const coredns = pods.filter((p) => p.metadata.labels?.["k8s-app"] === "kube-dns");
  assert.equal(coredns.length, 2);
  for (const pod of coredns) {
    assert.equal(pod.status.phase, "Running");
    assert.equal(pod.spec.schedulerName, "fargate-scheduler");
    const node = fargate.find((n) => n.metadata.name === pod.spec.nodeName);
    assert.ok(node, `${pod.metadata.name} is on ${pod.spec.nodeName}, not a Fargate node`);
    // The node is named for, and addressed by, the pod's IP.
    assert.equal(
      node.metadata.name,
      `fargate-ip-${pod.status.podIP!.replaceAll(".", "-")}.ap-northeast-2.compute.internal`,
    );
    assert.equal(node.status.addresses.find((a) => a.type === "InternalIP")?.address, pod.status.podIP);
    assert.equal(node.metadata.labels["eks.amazonaws.com/fargate-profile"], "coredns");
    assert.match(
      node.spec.providerID,
      new RegExp(`^aws:///ap-northeast-2[ab]/[0-9a-f-]+/${node.metadata.name}$`),
    );
    assert.deepEqual(node.spec.taints, [
      { key: "eks.amazonaws.com/compute-type", value: "fargate", effect: "NoSchedule" },
    ]);
    // Only its own pod: no aws-node, no kube-proxy, no other workload.
    assert.deepEqual(
      pods.filter((p) => p.spec.nodeName === node.metadata.name).map((p) => p.metadata.name),
      [pod.metadata.name],
    );
    const own = enis.filter((e) => e.PrivateIpAddresses.some((a) => a.PrivateIpAddress === pod.status.podIP));
    assert.equal(own.length, 1);
    assert.equal(own[0]!.RequesterManaged, true);
    assert.equal(own[0]!.PrivateIpAddress, pod.status.podIP);
    assert.equal(own[0]!.PrivateIpAddresses.length, 1);
    assert.equal(own[0]!.Attachment?.InstanceId, undefined);
  }
  // DaemonSets count the EC2 nodes only.
  assert.deepEqual(await daemonSetsDesired(sim), [
    ["aws-node", "2"],
    ["kube-proxy", "2"],
  ]);
});

test("a deleted Fargate pod takes its node and ENI along; its replacement gets new ones", async () => {
  const before = await state();
  const victim = before.pods.find((p) => p.metadata.labels?.["k8s-app"] === "kube-dns")!;
  await kubectl(sim, "delete", "pod", "-n", "kube-system", victim.metadata.name, "--wait=false");
  await runFor(sim, 90_000);
  const now = await state();
  assert.equal(now.fargate.length, 2);
  assert.ok(!now.nodes.some((n) => n.metadata.name === victim.spec.nodeName));
  assert.ok(!now.enis.some((e) => e.PrivateIpAddress === victim.status.podIP));
  assert.equal(now.enis.filter((e) => e.RequesterManaged).length, 2);
  const coredns = now.pods.filter((p) => p.metadata.labels?.["k8s-app"] === "kube-dns");
  assert.ok(
    coredns.every((p) => p.status.phase === "Running" && (p.spec.nodeName ?? "").startsWith("fargate-ip-")),
  );
});

test("a pod that tolerates no taint is kept off Fargate nodes: the scheduler says so", async () => {
  await kubectl(sim, "scale", "deployment", "nginx-deployment", "--replicas=60");
  await runFor(sim, 30_000);
  const { pods } = await state();
  const pending = pods.find((p) => p.metadata.labels?.app === "nginx" && !p.spec.nodeName);
  assert.ok(pending, "60 nginx pods cannot fit 2 t3.medium nodes (17 pods each)");
  const message = pending.status.conditions?.find((c) => c.type === "PodScheduled")?.message ?? "";
  // kube-scheduler's words: the Fargate nodes are counted under their taint, the EC2 nodes as full.
  assert.match(
    message,
    /^0\/4 nodes are available: 2 Too many pods, 2 node\(s\) had untolerated taint \{eks\.amazonaws\.com\/compute-type: fargate\}\./,
  );
  assert.ok(
    pods
      .filter((p) => p.spec.nodeName?.startsWith("fargate-ip-"))
      .every((p) => p.metadata.labels?.["k8s-app"] === "kube-dns"),
  );
});
