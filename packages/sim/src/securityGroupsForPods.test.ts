// Security groups for pods on the live cluster: `kubectl set env ds/aws-node ENABLE_POD_ENI=true` on a
// trunking-compatible type gives each node a trunk ENI (one ENI slot), `vpc.amazonaws.com/pod-eni` and the
// SecurityGroupsForPods CNINode feature; a SecurityGroupPolicy's pods get branch ENIs. t3 types are not
// trunking-compatible and keep all their slots.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import {
  awsEc2,
  type EniJson,
  enisByNode,
  kubectl,
  kubectlJson,
  manifestFile,
  type NodeJson,
  type PodJson,
  runFor,
  whileRunning,
} from "./clientsForTests.ts";
import { type Sim, startSim } from "./index.ts";

const sims: Sim[] = [];
after(() => Promise.all(sims.map((s) => s.stop())));

async function start(instanceType: string): Promise<Sim> {
  const dir = mkdtempSync(join(tmpdir(), "sgp-"));
  const scenario = JSON.parse(readFileSync(new URL("../scenarios/scale-lab.json", import.meta.url), "utf8"));
  scenario.nodeGroups[0].instanceType = instanceType;
  writeFileSync(join(dir, "scenario.json"), JSON.stringify(scenario));
  const sim = await startSim({ scenario: join(dir, "scenario.json"), clock: "manual", stateDir: dir });
  sims.push(sim);
  await kubectl(sim, "set", "env", "ds/aws-node", "-n", "kube-system", "ENABLE_POD_ENI=true");
  await whileRunning(
    sim,
    kubectl(sim, "rollout", "status", "ds/aws-node", "-n", "kube-system", "--timeout=300s"),
  );
  await runFor(sim, 30_000);
  return sim;
}

interface TypedEni extends EniJson {
  InterfaceType: string;
  TagSet?: { Key: string; Value: string }[];
}

test("m5.large: a trunk ENI per node, pod-eni 9 advertised, CNINode SecurityGroupsForPods; SGP pods get branch ENIs", async () => {
  const sim = await start("m5.large");
  const nodes = (
    await kubectlJson<{ items: (NodeJson & { status: { allocatable: Record<string, string> } })[] }>(
      sim,
      "get",
      "nodes",
    )
  ).items;
  for (const n of nodes) {
    assert.equal(n.status.allocatable["vpc.amazonaws.com/pod-eni"], "9", "m5.large: 9 branch ENIs");
    assert.equal(n.metadata.labels["vpc.amazonaws.com/has-trunk-attached"], "true");
  }
  const cnds = (
    await kubectlJson<{ items: { spec: { features: { name: string }[] } }[] }>(sim, "get", "cninodes")
  ).items;
  assert.equal(cnds.length, 3);
  for (const c of cnds) assert.deepEqual(c.spec.features, [{ name: "SecurityGroupsForPods" }]);
  const { NetworkInterfaces } = await awsEc2<{ NetworkInterfaces: TypedEni[] }>(
    sim,
    "describe-network-interfaces",
  );
  const trunks = NetworkInterfaces.filter((e) => e.InterfaceType === "trunk");
  assert.equal(trunks.length, 3);

  // IPAMD keeps the trunk's slot: with 30 pods an m5.large node still has at most 2 of its own ENIs.
  await kubectl(sim, "scale", "deployment", "nginx-deployment", "--replicas=40");
  await runFor(sim, 120_000);
  for (const [node, enis] of await enisByNode(sim)) {
    const own = (enis as TypedEni[]).filter((e) => e.InterfaceType === "interface");
    assert.ok(own.length <= 2, `${node}: ${own.length} IPAMD ENIs next to the trunk`);
  }

  await kubectl(
    sim,
    "apply",
    "-f",
    manifestFile(`apiVersion: vpcresources.k8s.aws/v1beta1
kind: SecurityGroupPolicy
metadata:
  name: sgp-pod
spec:
  podSelector:
    matchLabels:
      app: sgp-pod
  securityGroups:
    groupIds:
    - sg-0123456789abcdef0
`),
  );
  assert.match((await kubectl(sim, "get", "sgp")).stdout, /sgp-pod\s+\["sg-0123456789abcdef0"\]/);
  await kubectl(sim, "create", "deployment", "sgp-pod", "--image=nginx:alpine", "--replicas=2");
  await runFor(sim, 30_000);
  const pods = (
    await kubectlJson<{ items: (PodJson & { metadata: { annotations?: Record<string, string> } })[] }>(
      sim,
      "get",
      "pods",
      "-l",
      "app=sgp-pod",
    )
  ).items;
  assert.equal(pods.length, 2);
  const after = await awsEc2<{ NetworkInterfaces: TypedEni[] }>(sim, "describe-network-interfaces");
  for (const p of pods) {
    assert.equal(p.status.phase, "Running");
    const [branch] = JSON.parse(p.metadata.annotations?.["vpc.amazonaws.com/pod-eni"] ?? "[]");
    const eni = after.NetworkInterfaces.find((e) => e.NetworkInterfaceId === branch.eniId);
    assert.equal(eni?.InterfaceType, "branch");
    assert.equal(p.status.podIP, branch.privateIp, "the pod's IP is its branch ENI's");
    const tags = Object.fromEntries((eni?.TagSet ?? []).map((t) => [t.Key, t.Value]));
    assert.equal(tags["vpcresources.k8s.aws/vlan-id"], String(branch.vlanId));
    assert.ok(trunks.some((t) => t.NetworkInterfaceId === tags["vpcresources.k8s.aws/trunk-eni-id"]));
  }
  await kubectl(sim, "delete", "deployment", "sgp-pod");
  await runFor(sim, 30_000);
  const gone = await awsEc2<{ NetworkInterfaces: TypedEni[] }>(sim, "describe-network-interfaces");
  assert.equal(
    gone.NetworkInterfaces.filter((e) => e.InterfaceType === "branch").length,
    0,
    "branch ENIs go with their pods",
  );

  // By service account: every namespace has its "default" account; a policy's serviceAccountSelector
  // picks the pods that run as an account with matching labels, and only those.
  assert.match((await kubectl(sim, "get", "serviceaccounts")).stdout, /^default\s/m);
  await kubectl(sim, "create", "serviceaccount", "payments");
  await kubectl(sim, "label", "serviceaccount", "payments", "team=payments");
  const deployment = (name: string, account: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      serviceAccountName: ${account}
      containers:
      - name: nginx
        image: nginx:alpine
`;
  await kubectl(
    sim,
    "apply",
    "-f",
    manifestFile(`apiVersion: vpcresources.k8s.aws/v1beta1
kind: SecurityGroupPolicy
metadata:
  name: sgp-sa
spec:
  serviceAccountSelector:
    matchLabels:
      team: payments
  securityGroups:
    groupIds:
    - sg-0fedcba9876543210
---
${deployment("as-payments", "payments")}---
${deployment("as-default", "default")}`),
  );
  await runFor(sim, 30_000);
  const byAccount = (
    await kubectlJson<{ items: (PodJson & { metadata: { annotations?: Record<string, string> } })[] }>(
      sim,
      "get",
      "pods",
      "-l",
      "app in (as-payments,as-default)",
    )
  ).items;
  const branchOf = (app: string) =>
    byAccount.find((p) => p.metadata.labels?.app === app)?.metadata.annotations?.[
      "vpc.amazonaws.com/pod-eni"
    ];
  assert.ok(branchOf("as-payments"), "the payments account's pod has a branch ENI");
  assert.equal(branchOf("as-default"), undefined, "the default account's pod has none");
});

test("t3.medium is not trunking-compatible: no trunk, no pod-eni, all 3 ENI slots for pods", async () => {
  const sim = await start("t3.medium");
  const nodes = (
    await kubectlJson<{ items: (NodeJson & { status: { allocatable: Record<string, string> } })[] }>(
      sim,
      "get",
      "nodes",
    )
  ).items;
  for (const n of nodes) assert.equal(n.status.allocatable["vpc.amazonaws.com/pod-eni"], undefined);
  await kubectl(sim, "scale", "deployment", "nginx-deployment", "--replicas=30");
  await runFor(sim, 120_000);
  for (const [node, enis] of await enisByNode(sim)) {
    assert.equal(enis.length, 3, `${node}: every slot for pod IPs`);
    assert.ok((enis as TypedEni[]).every((e) => e.InterfaceType === "interface"));
  }
});
