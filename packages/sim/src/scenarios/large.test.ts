// The generated "large" scenario at a small size: real clients see a consistent big-cluster shape
// (every pod IP on an ENI, Pending pods of the full batch group, pods without IPs on overcommitted nodes).
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { EC2Client, paginateDescribeNetworkInterfaces } from "@aws-sdk/client-ec2";
import { CoreV1Api, KubeConfig, Watch } from "@kubernetes/client-node";
import { runFor } from "../clientsForTests.ts";
import { type Sim, startSim } from "../index.ts";

let sim: Sim;
let core: CoreV1Api;
let kc: KubeConfig;
before(async () => {
  sim = await startSim({
    scenario: "large",
    nodes: 40,
    podsPerNode: 30,
    clock: "manual",
    stateDir: mkdtempSync(join(tmpdir(), "large-")),
  });
  kc = new KubeConfig();
  kc.loadFromFile(sim.kubeconfigPath);
  core = kc.makeApiClient(CoreV1Api);
  await runFor(sim, 10_000);
});
after(() => sim.stop());

test("40 nodes of the declared groups across 3 AZs, about 30 pods per node", async () => {
  const nodes = (await core.listNode()).items;
  assert.equal(nodes.length, 40);
  const groups = new Map<string, number>();
  for (const n of nodes) {
    const g = n.metadata?.labels?.["eks.amazonaws.com/nodegroup"] as string;
    groups.set(g, (groups.get(g) ?? 0) + 1);
  }
  assert.deepEqual(Object.fromEntries(groups), { general: 20, compute: 12, batch: 6, dense: 2 });
  const zones = new Set(nodes.map((n) => n.metadata?.labels?.["topology.kubernetes.io/zone"]));
  assert.deepEqual([...zones].sort(), ["us-west-2a", "us-west-2b", "us-west-2c"]);
  const pods = (await core.listPodForAllNamespaces()).items;
  // --pods-per-node is an average over all nodes, system pods included.
  assert.ok(pods.length >= 40 * 30 && pods.length < 40 * 32, `${pods.length} pods`);
});

test("every running pod's IP is a secondary IP of an ENI on its node (paginated DescribeNetworkInterfaces)", async () => {
  const ec2 = new EC2Client({
    endpoint: sim.ec2Url,
    region: sim.region,
    credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "sim" },
  });
  const owner = new Map<string, string>();
  let pages = 0;
  for await (const page of paginateDescribeNetworkInterfaces({ client: ec2, pageSize: 50 }, {})) {
    pages++;
    for (const eni of page.NetworkInterfaces ?? []) {
      for (const a of eni.PrivateIpAddresses ?? []) {
        if (!a.Primary) owner.set(a.PrivateIpAddress as string, eni.Attachment?.InstanceId as string);
      }
    }
  }
  ec2.destroy();
  assert.ok(pages > 1, "more ENIs than one page of 50");
  const instanceOf = new Map(
    (await core.listNode()).items.map((n) => [
      n.metadata?.name as string,
      String(n.spec?.providerID).split("/").pop(),
    ]),
  );
  const running = (await core.listPodForAllNamespaces({ fieldSelector: "status.phase=Running" })).items;
  for (const pod of running.filter((p) => !p.spec?.hostNetwork)) {
    assert.equal(
      owner.get(pod.status?.podIP as string),
      instanceOf.get(pod.spec?.nodeName as string),
      pod.metadata?.name,
    );
  }
});

test("the full batch group leaves Pending pods with the scheduler's words", async () => {
  const pending = (await core.listPodForAllNamespaces({ fieldSelector: "spec.nodeName=" })).items;
  assert.ok(pending.length > 0);
  for (const pod of pending) {
    const message = pod.status?.conditions?.find((c) => c.type === "PodScheduled")?.message ?? "";
    assert.equal(
      message,
      "0/40 nodes are available: 34 node(s) didn't match Pod's node affinity/selector, 6 Too many pods. preemption: 0/40 nodes are available: 34 Preemption is not helpful for scheduling, 6 No preemption victims found for incoming pod.",
    );
  }
});

test("overcommitted nodes (max pods 110 on m5.large, 27 pod IPs) hold pods in ContainerCreating", async () => {
  const dense = (await core.listNode({ labelSelector: "eks.amazonaws.com/nodegroup=dense" })).items;
  assert.equal(dense[0]?.status?.allocatable?.pods, "110");
  for (const node of dense) {
    const pods = (
      await core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${node.metadata?.name}` })
    ).items;
    const withIp = pods.filter((p) => !p.spec?.hostNetwork && p.status?.podIP);
    const waiting = pods.filter(
      (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === "ContainerCreating",
    );
    // m5.large: 3 ENIs x (10 - 1) = 27 pod IPs.
    assert.equal(withIp.length, 27);
    assert.ok(waiting.length > 0);
  }
  const events = await core.listEventForAllNamespaces({ fieldSelector: "reason=FailedCreatePodSandBox" });
  assert.ok(events.items.length > 0);
});

test("the pods that predate every watch are gone from the watch history: resourceVersion 1 gets 410", async () => {
  const event = await new Promise<{ type: string; object: { code?: number; reason?: string } }>((resolve) => {
    void new Watch(kc).watch(
      "/api/v1/pods",
      { resourceVersion: "1" },
      (type, object) => resolve({ type, object }),
      () => {},
    );
  });
  assert.equal(event.type, "ERROR");
  assert.equal(event.object.code, 410);
  assert.equal(event.object.reason, "Expired");
});
