// The "raise the limit" lab of the domain page (section 0), start to end on one running simulator, in its
// EKS form (set env, then the node group's rolling update gives new nodes max pods 110) and its kOps form
// (delete the `limits` LimitRange, set the env, kubelet maxPods 110 on the instance group, rolling-update).
// Also: a drained and deleted node is replaced.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import {
  awsEc2,
  type EniJson,
  kubectl,
  kubectlJson,
  type NodeJson,
  type PodJson,
  runFor,
  whileRunning,
} from "./clientsForTests.ts";
import type { NodeGroupView } from "./controllers/nodeGroups.ts";
import { type Sim, startSim } from "./index.ts";

const sims: Sim[] = [];
after(() => Promise.all(sims.map((s) => s.stop())));

async function start(scenario: string): Promise<Sim> {
  const sim = await startSim({
    scenario,
    clock: "manual",
    stateDir: mkdtempSync(join(tmpdir(), `${scenario}-`)),
  });
  sims.push(sim);
  return sim;
}

async function admin<T>(sim: Sim, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${sim.adminUrl}${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as T;
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function nginx(sim: Sim): Promise<{ running: number; pending: number }> {
  const pods = (await kubectlJson<{ items: PodJson[] }>(sim, "get", "pods", "-l", "app=nginx")).items;
  return {
    running: pods.filter((p) => p.status.phase === "Running").length,
    pending: pods.filter((p) => p.status.phase === "Pending").length,
  };
}

async function nodes(sim: Sim): Promise<NodeJson[]> {
  return (await kubectlJson<{ items: NodeJson[] }>(sim, "get", "nodes")).items;
}

/** Runs the clock until the group's rolling update is over. */
async function rollOver(sim: Sim, group: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    await runFor(sim, 10_000);
    const g = await admin<NodeGroupView>(sim, "GET", `/nodegroups/${group}`);
    if (!g.rolling && g.nodes.length === g.size && g.nodes.every((n) => !n.outdated)) return;
  }
  assert.fail(`node group ${group} did not finish its rolling update`);
}

async function scaleTo50(sim: Sim): Promise<void> {
  await kubectl(sim, "scale", "deployment", "nginx-deployment", "--replicas=50");
  await runFor(sim, 90_000);
  assert.deepEqual(
    await nginx(sim),
    { running: 43, pending: 7 },
    "17 pods per t3.medium: 43 Running, 7 Pending",
  );
}

async function enablePrefixDelegation(sim: Sim): Promise<void> {
  await kubectl(
    sim,
    "set",
    "env",
    "ds/aws-node",
    "-n",
    "kube-system",
    "ENABLE_PREFIX_DELEGATION=true",
    "WARM_PREFIX_TARGET=1",
  );
  const { stdout } = await whileRunning(
    sim,
    kubectl(sim, "rollout", "status", "ds/aws-node", "-n", "kube-system", "--timeout=300s"),
  );
  assert.match(stdout, /successfully rolled out/);
  // Kubelet's max pods only changes on new nodes.
  assert.deepEqual(
    (await nodes(sim)).map((n) => n.status.allocatable.pods),
    ["17", "17", "17"],
  );
  // Each new aws-node gets back the slot its old one freed, even when a Pending nginx pod took it first
  // (kubelet's critical pod admission preempts it): no node runs more than its 17, and the 7 still wait
  // for "Too many pods", none for an IP.
  assert.deepEqual(await nginx(sim), { running: 43, pending: 7 });
  const pods = (await kubectlJson<{ items: PodJson[] }>(sim, "get", "pods", "-A")).items;
  const perNode = new Map<string, number>();
  for (const p of pods)
    if (p.spec.nodeName && p.status.phase !== "Failed" && p.status.phase !== "Succeeded")
      perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
  assert.deepEqual([...perNode.values()], [17, 17, 17]);
  const waiting = pods.filter((p) => p.metadata.labels?.app === "nginx" && p.status.phase === "Pending");
  assert.ok(
    waiting.every((p) => p.spec.nodeName === undefined),
    "the Pending nginx pods wait for the scheduler",
  );
  // A preempted pod is Failed, its containers ended: kubectl does not show it as still being created.
  const table = (await kubectl(sim, "get", "pods", "-l", "app=nginx", "--no-headers")).stdout;
  assert.doesNotMatch(table, /ContainerCreating/);
}

async function assertRaised(sim: Sim): Promise<void> {
  const after = await nodes(sim);
  assert.deepEqual(
    after.map((n) => n.status.allocatable.pods),
    ["110", "110", "110"],
  );
  assert.deepEqual(after.map((n) => n.metadata.labels["topology.kubernetes.io/zone"]).sort(), [
    "ap-northeast-2a",
    "ap-northeast-2b",
    "ap-northeast-2c",
  ]);
  await runFor(sim, 60_000);
  assert.deepEqual(await nginx(sim), { running: 50, pending: 0 });
  // Every new node's ENIs hold /28 prefixes and the pods' IPs come from them.
  const { NetworkInterfaces } = await awsEc2<{ NetworkInterfaces: EniJson[] }>(
    sim,
    "describe-network-interfaces",
  );
  const prefixes = NetworkInterfaces.flatMap((e) => e.Ipv4Prefixes ?? []).map((p) => p.Ipv4Prefix);
  assert.ok(prefixes.length >= 3, `prefixes: ${prefixes.join(", ")}`);
  const inPrefix = (ip: string) =>
    prefixes.some((p) => {
      const [base, bits] = p.split("/") as [string, string];
      const toInt = (a: string) => a.split(".").reduce((n, o) => n * 256 + Number(o), 0);
      return toInt(ip) >>> (32 - Number(bits)) === toInt(base) >>> (32 - Number(bits));
    });
  const pods = (await kubectlJson<{ items: PodJson[] }>(sim, "get", "pods", "-l", "app=nginx")).items;
  for (const p of pods)
    assert.ok(inPrefix(p.status.podIP ?? ""), `${p.metadata.name} ${p.status.podIP} in a /28`);
}

test("EKS: scale to 50, set env ENABLE_PREFIX_DELEGATION, roll the node group: all 50 Running on max pods 110", async () => {
  const sim = await start("scale-lab");
  await scaleTo50(sim);
  await enablePrefixDelegation(sim);
  const group = await admin<NodeGroupView>(sim, "GET", "/nodegroups/ng1");
  assert.equal(
    group.newNodeMaxPods,
    110,
    "the max-pods calculator with prefix delegation: 110 on a t3.medium",
  );
  assert.ok(group.nodes.every((n) => n.outdated));
  await admin(sim, "POST", "/nodegroups/ng1/rolling-update");
  await rollOver(sim, "ng1");
  await assertRaised(sim);
});

test("kOps: delete limitranges limits, scale to 50, set env, kubelet maxPods 110, rolling-update: all 50 Running", async () => {
  const sim = await start("kops-lab");
  assert.match((await kubectl(sim, "get", "limitranges")).stdout, /^limits\s/m);
  assert.match((await kubectl(sim, "delete", "limitranges", "limits")).stdout, /limitrange "limits" deleted/);
  const before = await nodes(sim);
  assert.ok(before.every((n) => n.metadata.labels["kops.k8s.io/instancegroup"] === "nodes"));
  await scaleTo50(sim);
  await enablePrefixDelegation(sim);
  // kOps's nodeup ignores prefix delegation: min(110, 3 x (6 - 1) + 2) until kubelet maxPods is set.
  assert.equal((await admin<NodeGroupView>(sim, "GET", "/nodegroups/nodes")).newNodeMaxPods, 17);
  const changed = await admin<NodeGroupView>(sim, "PUT", "/nodegroups/nodes", { maxPods: 110 });
  assert.equal(changed.newNodeMaxPods, 110);
  await admin(sim, "POST", "/rolling-update");
  await rollOver(sim, "nodes");
  await assertRaised(sim);
});

test("kubectl drain then kubectl delete node: the group launches a replacement in the same AZ", async () => {
  const sim = await start("scale-lab");
  const [victim] = await nodes(sim);
  const name = victim?.metadata.name as string;
  const zone = victim?.metadata.labels["topology.kubernetes.io/zone"];
  await whileRunning(sim, kubectl(sim, "drain", name, "--ignore-daemonsets", "--timeout=120s"));
  assert.match((await kubectl(sim, "delete", "node", name)).stdout, /node ".*" deleted/);
  await runFor(sim, 90_000);
  const after = await nodes(sim);
  assert.equal(after.length, 3);
  assert.ok(!after.some((n) => n.metadata.name === name));
  assert.equal(after.filter((n) => n.metadata.labels["topology.kubernetes.io/zone"] === zone).length, 1);
  const { Reservations } = await awsEc2<{
    Reservations: { Instances: { InstanceId: string; State: { Name: string } }[] }[];
  }>(sim, "describe-instances");
  const states = Reservations.flatMap((r) => r.Instances.map((i) => i.State.Name));
  assert.deepEqual(
    states.filter((s) => s === "terminated").length,
    1,
    "the deleted node's instance is terminated",
  );
  assert.deepEqual((await nginx(sim)).running, 2);
});
