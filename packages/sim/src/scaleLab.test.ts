// The scale test lab of the domain page (section 0 and the section 3 table), driven with the real kubectl
// and aws CLI against the simulator on a manual clock.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { enisByNode, kubectl, kubectlJson, type NodeJson, type PodJson, runFor } from "./clientsForTests.ts";
import { type Sim, startSim } from "./index.ts";

let sim: Sim;
before(async () => {
  sim = await startSim({
    scenario: "scale-lab",
    clock: "manual",
    stateDir: mkdtempSync(join(tmpdir(), "scale-lab-")),
  });
});
after(() => sim.stop());

async function pods(): Promise<PodJson[]> {
  return (await kubectlJson<{ items: PodJson[] }>(sim, "get", "pods", "-A")).items;
}

/** Pods holding a VPC IP per node: not hostNetwork, bound and running. */
function ipPodsPerNode(all: PodJson[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of all) {
    if (p.spec.hostNetwork || !p.spec.nodeName || p.status.phase !== "Running") continue;
    counts.set(p.spec.nodeName, (counts.get(p.spec.nodeName) ?? 0) + 1);
  }
  return counts;
}

/** Section 3: ENIs a t3.medium node holds with P IP-using pods under WARM_ENI_TARGET=1 (perENI 5, 3 ENIs). */
function expectedEnis(p: number): number {
  // The first pod drops the free IPs to 4 < 5: a 2nd ENI; the 6th pod does it again: a 3rd (the most).
  if (p === 0) return 1;
  return Math.min(3, Math.ceil(p / 5) + 1);
}

test("kubectl get nodes lists 3 t3.medium nodes, one per AZ, each with allocatable pods 17", async () => {
  const nodes = (await kubectlJson<{ items: NodeJson[] }>(sim, "get", "nodes")).items;
  assert.equal(nodes.length, 3);
  assert.deepEqual(
    nodes.map((n) => n.status.allocatable.pods),
    ["17", "17", "17"],
  );
  assert.deepEqual(nodes.map((n) => n.metadata.labels["topology.kubernetes.io/zone"]).sort(), [
    "ap-northeast-2a",
    "ap-northeast-2b",
    "ap-northeast-2c",
  ]);
  for (const n of nodes) {
    assert.match(n.spec.providerID, /^aws:\/\/\/ap-northeast-2[abc]\/i-[0-9a-f]{17}$/);
    assert.equal(n.metadata.labels["node.kubernetes.io/instance-type"], "t3.medium");
  }
  const { stdout } = await kubectl(sim, "get", "nodes");
  assert.match(stdout, /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\n/);
  assert.equal(stdout.match(/ Ready /g)?.length, 3);
});

test("at start an idle node has 1 ENI with 5 secondary IPs and a node with a pod has 2 (warm pool lab)", async () => {
  const perNode = ipPodsPerNode(await pods());
  for (const [node, enis] of await enisByNode(sim)) {
    const p = perNode.get(node) ?? 0;
    assert.equal(enis.length, expectedEnis(p), `${node} with ${p} pods`);
    for (const eni of enis) assert.equal(eni.PrivateIpAddresses.length, 6, "1 primary + 5 secondary per ENI");
  }
});

for (const replicas of [8, 15, 30, 50]) {
  test(`kubectl scale nginx-deployment --replicas=${replicas} gives the section 3 ENIs and IPs`, async () => {
    const { stdout } = await kubectl(
      sim,
      "scale",
      "deployment",
      "nginx-deployment",
      `--replicas=${replicas}`,
    );
    assert.match(stdout, /deployment.apps\/nginx-deployment scaled/);
    await runFor(sim, 90_000);

    const all = await pods();
    const nginx = all.filter((p) => p.metadata.labels?.app === "nginx");
    const running = nginx.filter((p) => p.status.phase === "Running");
    const pending = nginx.filter((p) => p.status.phase === "Pending");
    // 15 IP-using pods fit a t3.medium (17 max pods - aws-node - kube-proxy); CoreDNS takes 2 of the 45.
    assert.equal(running.length, Math.min(replicas, 43));
    assert.equal(pending.length, Math.max(0, replicas - 43));

    const perNodeNginx = new Map<string, number>();
    for (const p of running)
      perNodeNginx.set(p.spec.nodeName as string, (perNodeNginx.get(p.spec.nodeName as string) ?? 0) + 1);
    const spread = [...perNodeNginx.values()];
    if (replicas < 43)
      assert.ok(Math.max(...spread) - Math.min(...spread) <= 1, `even spread, got ${spread}`);

    const perNode = ipPodsPerNode(all);
    for (const [node, enis] of await enisByNode(sim)) {
      const p = perNode.get(node) ?? 0;
      assert.ok(p <= 15, `${node} holds ${p} IP pods, more than max pods allows`);
      assert.equal(enis.length, expectedEnis(p), `${node}: ENIs with ${p} IP-using pods`);
      const secondary = enis.flatMap((e) => e.PrivateIpAddresses.filter((a) => !a.Primary));
      assert.equal(secondary.length, enis.length * 5, `${node}: secondary IPs`);
    }
    for (const p of running) {
      const node = (await enisByNode(sim)).get(p.spec.nodeName as string) ?? [];
      const onEni = node.some((e) =>
        e.PrivateIpAddresses.some((a) => a.PrivateIpAddress === p.status.podIP && !a.Primary),
      );
      assert.ok(onEni, `${p.metadata.name}'s IP ${p.status.podIP} is a secondary IP of its node's ENIs`);
      break;
    }
    if (replicas === 50) {
      for (const p of pending) {
        const scheduled = p.status.conditions?.find((c) => c.type === "PodScheduled");
        assert.equal(
          scheduled?.message,
          "0/3 nodes are available: 3 Too many pods. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
        );
      }
      const { stdout: events } = await kubectl(
        sim,
        "get",
        "events",
        "--field-selector",
        "reason=FailedScheduling",
      );
      assert.match(
        events,
        /Warning\s+FailedScheduling\s+pod\/nginx-deployment-\S+\s+0\/3 nodes are available: 3 Too many pods\./,
      );
    }
  });
}

test("scaling back to 2 frees only empty ENIs and never single IPs (WARM_ENI_TARGET=1)", async () => {
  await kubectl(sim, "scale", "deployment", "nginx-deployment", "--replicas=2");
  await runFor(sim, 5 * 60_000);
  const all = await pods();
  assert.equal(all.filter((p) => p.metadata.labels?.app === "nginx").length, 2);
  const ipsInUse = new Set(
    all.filter((p) => !p.spec.hostNetwork && p.status.podIP).map((p) => p.status.podIP),
  );
  const perNode = ipPodsPerNode(all);
  for (const [node, enis] of await enisByNode(sim)) {
    const p = perNode.get(node) ?? 0;
    const total = enis.length * 5;
    for (const eni of enis) {
      assert.equal(
        eni.PrivateIpAddresses.length,
        6,
        `${node}: single IPs are never released, every ENI keeps 5`,
      );
      const holdsPod = eni.PrivateIpAddresses.some((a) => ipsInUse.has(a.PrivateIpAddress));
      if (eni.Attachment?.DeviceIndex !== 0 && !holdsPod) {
        // An ENI without pods may stay only while freeing it would leave fewer than (WARM_ENI_TARGET+1) x 5 free.
        assert.ok(
          total - p < 10,
          `${node}: empty ENI ${eni.NetworkInterfaceId} kept with ${total - p} free IPs`,
        );
      }
    }
    assert.ok(total - p >= 5, `${node}: at least one ENI's worth of warm IPs stays`);
  }
});

test("kubectl describe node and describe pod work and show allocatable pods and events", async () => {
  const node = (await kubectlJson<{ items: NodeJson[] }>(sim, "get", "nodes")).items[0]?.metadata
    .name as string;
  const { stdout, stderr } = await kubectl(sim, "describe", "node", node);
  assert.equal(stderr, "");
  assert.match(stdout, /Allocatable:\n(.*\n){5}\s+pods:\s+17\n/);
  assert.match(stdout, /ProviderID:\s+aws:\/\/\/ap-northeast-2[abc]\/i-/);
  assert.match(
    stdout,
    /Normal\s+RegisteredNode\s+\S+\s+node-controller\s+Node \S+ event: Registered Node \S+ in Controller/,
  );
  assert.match(stdout, /Normal\s+NodeReady\s+\S+\s+kubelet\s+Node \S+ status is now: NodeReady/);
  const pod = (await pods()).find((p) => p.metadata.labels?.app === "nginx") as PodJson;
  const described = await kubectl(sim, "describe", "pod", pod.metadata.name);
  assert.equal(described.stderr, "");
  assert.match(
    described.stdout,
    /Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned default\//,
  );
  assert.match(described.stdout, /Normal\s+Started\s+\S+\s+kubelet\s+Started container nginx/);
});

test("kubectl delete pod: the deployment replaces it and the IP goes back to the pool", async () => {
  const before = (await pods()).filter((p) => p.metadata.labels?.app === "nginx");
  const victim = before[0] as PodJson;
  await kubectl(sim, "delete", "pod", victim.metadata.name, "--wait=false");
  const terminating = await kubectl(sim, "get", "pod", victim.metadata.name);
  assert.match(terminating.stdout, /Terminating/);
  await runFor(sim, 30_000);
  const afterPods = (await pods()).filter((p) => p.metadata.labels?.app === "nginx");
  assert.equal(afterPods.length, 2);
  assert.ok(!afterPods.some((p) => p.metadata.name === victim.metadata.name));
  assert.ok(afterPods.every((p) => p.status.phase === "Running"));
  const missing = await kubectl(sim, "get", "pod", victim.metadata.name).catch(
    (err: { stderr: string }) => err,
  );
  assert.match(
    (missing as { stderr: string }).stderr,
    /Error from server \(NotFound\): pods "nginx-deployment-\S+" not found/,
  );
});
