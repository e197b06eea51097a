// Taints and tolerations as people type them: `kubectl taint nodes`, a Deployment without a toleration stays
// Pending with kube-scheduler's FailedScheduling text, one with the toleration runs, and removing the taint
// lets the first one run. The simulator's scheduler is the shared one of packages/model/src/schedule.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  kubectl,
  kubectlError,
  kubectlJson,
  labSim,
  manifestFile,
  type NodeJson,
  type PodJson,
  runFor,
} from "./clientsForTests.ts";

const sim = labSim("scale-lab");

const deployment = (name: string, tolerations: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: web
        image: nginx:alpine
${tolerations}`;

async function podsOf(app: string): Promise<PodJson[]> {
  return (await kubectlJson<{ items: PodJson[] }>(sim(), "get", "pods", "-l", `app=${app}`)).items;
}

test("kubectl taint keeps pods without the toleration off the nodes, with the scheduler's message", async () => {
  const nodes = (await kubectlJson<{ items: NodeJson[] }>(sim(), "get", "nodes")).items;
  const n = nodes.length;
  assert.ok(n >= 2);
  const { stdout } = await kubectl(sim(), "taint", "nodes", "--all", "dedicated=infra:NoSchedule");
  assert.match(stdout, /tainted/);
  const taints = await kubectlJson<{ spec: { taints?: unknown[] } }>(
    sim(),
    "get",
    "node",
    nodes[0]?.metadata.name as string,
  );
  assert.deepEqual(taints.spec.taints, [{ key: "dedicated", value: "infra", effect: "NoSchedule" }]);

  await kubectl(sim(), "apply", "-f", manifestFile(deployment("plain", "")));
  const tolerations = `      tolerations:
      - key: dedicated
        operator: Equal
        value: infra
        effect: NoSchedule
`;
  await kubectl(sim(), "apply", "-f", manifestFile(deployment("tolerant", tolerations)));
  await runFor(sim(), 60_000);

  const plain = await podsOf("plain");
  assert.equal(plain.length, 2);
  for (const p of plain) {
    assert.equal(p.status.phase, "Pending");
    const scheduled = p.status.conditions?.find((c) => c.type === "PodScheduled");
    assert.equal(
      scheduled?.message,
      `0/${n} nodes are available: ${n} node(s) had untolerated taint {dedicated: infra}. preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`,
    );
  }
  const tolerant = await podsOf("tolerant");
  assert.deepEqual(
    tolerant.map((p) => p.status.phase),
    ["Running", "Running"],
  );

  // The trailing "-" removes the taint; the waiting pods are retried as the nodes change.
  await kubectl(sim(), "taint", "nodes", "--all", "dedicated=infra:NoSchedule-");
  await runFor(sim(), 60_000);
  assert.deepEqual(
    (await podsOf("plain")).map((p) => p.status.phase),
    ["Running", "Running"],
  );
});

test("PreferNoSchedule only steers: pods still run when every node carries it", async () => {
  await kubectl(sim(), "taint", "nodes", "--all", "spot=true:PreferNoSchedule");
  await kubectl(sim(), "apply", "-f", manifestFile(deployment("soft", "")));
  await runFor(sim(), 60_000);
  assert.deepEqual(
    (await podsOf("soft")).map((p) => p.status.phase),
    ["Running", "Running"],
  );
});

test("a taint with an unknown effect gets the API server's answer", async () => {
  const nodes = (await kubectlJson<{ items: NodeJson[] }>(sim(), "get", "nodes")).items;
  const err = await kubectlError(
    sim(),
    "patch",
    "node",
    nodes[0]?.metadata.name as string,
    "--type=merge",
    "-p",
    '{"spec":{"taints":[{"key":"a","effect":"Sometimes"}]}}',
  );
  assert.match(
    err,
    /spec\.taints\[0\]\.effect: Unsupported value: "Sometimes": supported values: "NoExecute", "NoSchedule", "PreferNoSchedule"/,
  );
});
