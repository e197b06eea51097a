// kubectl cordon, drain and uncordon against the simulator: evicted pods move to the other nodes, and
// the cordoned node's IPAMD leaves its ENIs alone (domain section 2.6: no attach/detach on cordoned nodes).
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { enisByNode, kubectl, kubectlJson, type PodJson, runFor, whileRunning } from "./clientsForTests.ts";
import { type Sim, startSim } from "./index.ts";

let sim: Sim;
before(async () => {
  sim = await startSim({
    scenario: "scale-lab",
    clock: "manual",
    stateDir: mkdtempSync(join(tmpdir(), "drain-")),
  });
  await kubectl(sim, "scale", "deployment", "nginx-deployment", "--replicas=6");
  await runFor(sim, 60_000);
});
after(() => sim.stop());

async function pods(): Promise<PodJson[]> {
  return (await kubectlJson<{ items: PodJson[] }>(sim, "get", "pods", "-A")).items;
}

test("a drained node keeps only DaemonSet pods; its pods run elsewhere; its ENIs stay while cordoned", async () => {
  const all = await pods();
  const counts = new Map<string, number>();
  for (const p of all)
    if (p.metadata.labels?.app === "nginx")
      counts.set(p.spec.nodeName as string, (counts.get(p.spec.nodeName as string) ?? 0) + 1);
  const node = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] as string;
  const enisBefore = (await enisByNode(sim)).get(node)?.length;

  assert.match((await kubectl(sim, "cordon", node)).stdout, /cordoned/);
  assert.match((await kubectl(sim, "get", "node", node)).stdout, /Ready,SchedulingDisabled/);

  const drain = whileRunning(
    sim,
    kubectl(sim, "drain", node, "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=60s"),
  );
  const { stdout } = await drain;
  assert.match(stdout, /evicting pod default\/nginx-deployment-/);
  assert.match(stdout, /node\/\S+ drained/);
  await runFor(sim, 30_000);

  const afterDrain = await pods();
  const left = afterDrain.filter((p) => p.spec.nodeName === node).map((p) => p.metadata.name);
  assert.ok(
    left.every((n) => n.startsWith("aws-node-") || n.startsWith("kube-proxy-")),
    `left on ${node}: ${left}`,
  );
  const nginx = afterDrain.filter((p) => p.metadata.labels?.app === "nginx");
  assert.equal(nginx.length, 6);
  assert.ok(nginx.every((p) => p.status.phase === "Running" && p.spec.nodeName !== node));

  await runFor(sim, 5 * 60_000);
  assert.equal((await enisByNode(sim)).get(node)?.length, enisBefore, "no ENI freed on a cordoned node");

  assert.ok((enisBefore ?? 0) >= 2, "the drained node had ENIs beyond the primary to free");

  await kubectl(sim, "uncordon", node);
  assert.doesNotMatch((await kubectl(sim, "get", "node", node)).stdout, /SchedulingDisabled/);
  // Uncordoned and with no IP-using pods, the node goes back to 1 ENI (section 3: P=0 -> 1 ENI).
  await runFor(sim, 5 * 60_000);
  assert.equal((await enisByNode(sim)).get(node)?.length, 1);
});

test("node patches beyond cordon and labels are refused with 422, and unknown nodes are 404", async () => {
  const err = await kubectl(sim, "patch", "node", "nope", "-p", '{"spec":{"unschedulable":true}}').catch(
    (e: { stderr: string }) => e,
  );
  assert.match((err as { stderr: string }).stderr, /NotFound/);
  const node = (await kubectlJson<{ items: { metadata: { name: string } }[] }>(sim, "get", "nodes")).items[0]
    ?.metadata.name as string;
  const bad = await kubectl(sim, "patch", "node", node, "-p", '{"spec":{"podCIDR":"10.0.0.0/24"}}').catch(
    (e: { stderr: string }) => e,
  );
  assert.match(
    (bad as { stderr: string }).stderr,
    /spec.podCIDR: the simulator only changes spec.unschedulable/,
  );
  const labelled = await kubectl(sim, "label", "node", node, "lab=drain");
  assert.match(labelled.stdout, /labeled/);
  const shown = await kubectl(sim, "get", "nodes", "-l", "lab=drain", "--no-headers");
  assert.equal(shown.stdout.trim().split("\n").length, 1);
});
