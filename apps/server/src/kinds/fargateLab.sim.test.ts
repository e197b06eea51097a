// eni-view on the simulator's Fargate lab, read as the server reads a live cluster (Kubernetes and EC2
// APIs): the two Fargate nodes are the Fargate kind, each holding its one pod on the requester-managed ENI
// Fargate made for it; nothing is warned about as missing EC2 data or as an IP on no ENI; the totals add up.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { buildReport, nodeEniText } from "@eni-view/model";
import { type Sim, startSim } from "@eni-view/sim";
import { readSimInput } from "../testing/simInput.ts";

let sim: Sim;
before(async () => {
  sim = await startSim({
    scenario: "fargate-lab",
    clock: "manual",
    stateDir: mkdtempSync(join(tmpdir(), "fargate-report-")),
  });
});
after(() => sim.stop());

test("the report counts Fargate nodes as Fargate: one pod, one ENI, no warnings", async () => {
  const report = buildReport(await readSimInput(sim));
  const kinds = report.nodes.map((n) => n.kind).sort();
  assert.deepEqual(kinds, ["ec2", "ec2", "fargate", "fargate"]);
  for (const node of report.nodes.filter((n) => n.kind === "fargate")) {
    assert.equal(node.pods, 1);
    assert.equal(node.maxPods, 1);
    assert.equal(node.enis.length, 1);
    assert.equal(node.enis[0]!.role, "fargate");
    assert.equal(nodeEniText(node), "1/1");
  }
  assert.deepEqual(
    report.warnings.filter((w) => /no EC2 instance data|on no ENI/i.test(w)),
    [],
  );
  const t = report.summary;
  assert.deepEqual(t.kinds, { ec2: 2, fargate: 2 });
  // Pods: 2 nginx, 2 aws-node and 2 kube-proxy (these 4 hostNetwork) on the EC2 nodes, 2 CoreDNS on
  // Fargate; aws-node and kube-proxy never run on Fargate nodes.
  assert.equal(t.nodes, 4);
  assert.equal(t.pods, 8);
  assert.equal(t.hostNetworkPods, 4);
  assert.equal(t.podsOnUnknownNodes, 0);
  assert.equal(t.unplacedPods, 0);
  // Max pods: t3.medium 3 x (6 - 1) + 2 = 17 each; a Fargate node holds 1.
  assert.equal(t.maxPods, 17 + 17 + 1 + 1);
  // ENIs possible: 3 per t3.medium, 1 per Fargate node.
  assert.equal(t.enisPossible, 3 + 3 + 1 + 1);
  const ec2Enis = report.nodes.filter((n) => n.kind === "ec2").reduce((s, n) => s + n.enis.length, 0);
  assert.equal(t.enisAttached, ec2Enis + 2);
  // The pod list holds the pods with their own IPs: all but the hostNetwork ones.
  assert.equal(report.pods.length, t.pods - t.hostNetworkPods);
  // Fargate pods' IPs are their ENIs' primary IPs, never the EC2 nodes' warm pool.
  const fargateIps = report.nodes.filter((n) => n.kind === "fargate").map((n) => n.enis[0]!.primaryIp);
  assert.equal(new Set(fargateIps).size, 2);
});
