// The raising-the-limit lab (domain section 0, section 3's PD paragraph): prefix delegation with
// WARM_PREFIX_TARGET=1 and kubelet max pods 110, checked with kubectl and the aws CLI.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { awsEc2, type EniJson, kubectl, kubectlJson, type PodJson, runFor } from "./clientsForTests.ts";
import { type Sim, startSim } from "./index.ts";

let sim: Sim;
before(async () => {
  sim = await startSim({
    scenario: "prefix-lab",
    clock: "manual",
    stateDir: mkdtempSync(join(tmpdir(), "prefix-lab-")),
  });
});
after(() => sim.stop());

function inPrefix(ip: string, prefix: string): boolean {
  const [base, bits] = prefix.split("/") as [string, string];
  const toInt = (a: string) => a.split(".").reduce((n, o) => n * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(bits));
  return toInt(ip) >= toInt(base) && toInt(ip) < toInt(base) + size;
}

test("prefix-lab nodes allow 110 pods and aws-node shows ENABLE_PREFIX_DELEGATION=true", async () => {
  const { stdout } = await kubectl(
    sim,
    "get",
    "nodes",
    "-o",
    "custom-columns=NAME:.metadata.name,PODS:.status.allocatable.pods",
  );
  assert.deepEqual(
    stdout
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split(/\s+/)[1]),
    ["110", "110", "110"],
  );
  const ds = await kubectlJson<{
    spec: { template: { spec: { containers: { env: { name: string; value: string }[] }[] } } };
  }>(sim, "get", "daemonset", "aws-node", "-n", "kube-system");
  const env = ds.spec.template.spec.containers[0]?.env ?? [];
  assert.equal(env.find((e) => e.name === "ENABLE_PREFIX_DELEGATION")?.value, "true");
  assert.equal(env.find((e) => e.name === "WARM_PREFIX_TARGET")?.value, "1");
});

test("scaled to 50, every nginx pod runs (no Too many pods) on /28 prefixes of the primary ENI", async () => {
  await kubectl(sim, "scale", "deployment", "nginx-deployment", "--replicas=50");
  await runFor(sim, 90_000);
  const pods = (await kubectlJson<{ items: PodJson[] }>(sim, "get", "pods", "-A")).items;
  const nginx = pods.filter((p) => p.metadata.labels?.app === "nginx");
  assert.equal(nginx.filter((p) => p.status.phase === "Running").length, 50);

  const { NetworkInterfaces } = await awsEc2<{ NetworkInterfaces: EniJson[] }>(
    sim,
    "describe-network-interfaces",
  );
  const prefixes = NetworkInterfaces.flatMap((e) => (e.Ipv4Prefixes ?? []).map((p) => p.Ipv4Prefix));
  for (const p of prefixes) assert.match(p, /^192\.168\.[123]\.\d+\/28$/);
  for (const pod of pods.filter((p) => !p.spec.hostNetwork && p.status.podIP)) {
    assert.ok(
      prefixes.some((p) => inPrefix(pod.status.podIP as string, p)),
      `${pod.status.podIP} is in a delegated /28`,
    );
  }
  // 1 ENI holds 5 prefixes = 80 IPs on a t3.medium: 20 or fewer pods per node need no second ENI.
  const perNode = new Map<string, number>();
  for (const p of pods) {
    if (!p.spec.hostNetwork && p.status.phase === "Running")
      perNode.set(p.spec.nodeName as string, (perNode.get(p.spec.nodeName as string) ?? 0) + 1);
  }
  const byInstance = new Map<string, EniJson[]>();
  for (const e of NetworkInterfaces) {
    const id = e.Attachment?.InstanceId as string;
    byInstance.set(id, [...(byInstance.get(id) ?? []), e]);
  }
  const nodes = (
    await kubectlJson<{ items: { metadata: { name: string }; spec: { providerID: string } }[] }>(
      sim,
      "get",
      "nodes",
    )
  ).items;
  for (const n of nodes) {
    const enis = byInstance.get(n.spec.providerID.split("/").pop() as string) ?? [];
    const p = perNode.get(n.metadata.name) ?? 0;
    assert.equal(enis.length, 1, `${n.metadata.name}: ${p} pods fit the primary ENI's prefixes`);
    const held = (enis[0]?.Ipv4Prefixes ?? []).length;
    // WARM_PREFIX_TARGET=1: the prefixes the pods fill plus one whole free prefix.
    assert.equal(held, Math.ceil(p / 16) + 1, `${n.metadata.name}: /28s with ${p} pods`);
  }
});

test("scaled back to 6, pods stay spread over more /28s than the tightest packing (Go map order)", async () => {
  await kubectl(sim, "scale", "deployment", "nginx-deployment", "--replicas=6");
  await runFor(sim, 180_000);
  const pods = (await kubectlJson<{ items: PodJson[] }>(sim, "get", "pods", "-A")).items.filter(
    (p) => !p.spec.hostNetwork && p.status.phase === "Running",
  );
  const { NetworkInterfaces } = await awsEc2<{ NetworkInterfaces: EniJson[] }>(
    sim,
    "describe-network-interfaces",
  );
  const prefixes = NetworkInterfaces.flatMap((e) => (e.Ipv4Prefixes ?? []).map((p) => p.Ipv4Prefix));
  const used = new Set(
    pods.map((p) => prefixes.find((prefix) => inPrefix(p.status.podIP as string, prefix))).filter(Boolean),
  );
  // The fewest /28s these pods could sit in: one per node that has any (each holds at most 16 pods).
  const nodesWithPods = new Set(pods.map((p) => p.spec.nodeName)).size;
  assert.ok(
    used.size > nodesWithPods,
    `${pods.length} pods in ${used.size} prefixes on ${nodesWithPods} nodes: upstream picks a prefix at random`,
  );
  // WARM_PREFIX_TARGET=1 still holds: wholly free prefixes beyond one are released.
  for (const eni of NetworkInterfaces) {
    const free = (eni.Ipv4Prefixes ?? []).filter(
      (p) => !pods.some((pod) => inPrefix(pod.status.podIP as string, p.Ipv4Prefix)),
    ).length;
    assert.ok(free <= 1, `${eni.NetworkInterfaceId}: ${free} wholly free prefixes`);
  }
});
