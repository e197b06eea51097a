// eni-view on the simulator's Windows lab, captured as from a live cluster (its kubeconfig and EC2 endpoint):
// the two m5.large Windows nodes are the Windows kind, counted by the primary ENI alone, and `report` text,
// `report --json`, /api/topology of `serve --dump` and a live read all agree on every count.
//
// Expected by hand (EKS user guide, Windows support; the VPC resource controller's secondary IP mode):
// - m5.large: 3 ENIs x 10 IPv4. A Windows node uses its primary ENI only: max pods = 10 - 1 = 9, ENIs 1 of 1.
// - Its pool: the IIS pods' addresses + 3 warm (windows-warm-ip-target 3, minimum 3). 3 IIS pods spread 2 + 1,
//   so 5 and 4 secondary IPs assigned, 2 and 1 used, 3 and 3 warm. No aws-node, no kube-proxy: 0 hostNetwork.
// - t3.medium (Linux): 3 x (6 - 1) + 2 = 17 max pods, 3 ENIs possible.
// - Cluster: 2 aws-node + 2 kube-proxy (hostNetwork) + 2 CoreDNS + 2 nginx + 3 IIS = 11 pods; max pods
//   17 + 17 + 9 + 9 = 52; ENIs possible 3 + 3 + 1 + 1 = 8. aws-node runs where it should: no warning.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { buildReport, nodeEniText, type Report } from "@eni-view/model";
import { type Sim, startSim } from "@eni-view/sim";
import { captureSim, eniView } from "../testing/cli.ts";
import { assertTextRow, nodeCounts } from "../testing/reportRows.ts";
import { servedTopology } from "../testing/servedDump.ts";
import { readSimInput, simRunFor } from "../testing/simInput.ts";

let sim: Sim;
let dir = "";
before(async () => {
  sim = await startSim({
    scenario: "windows-lab",
    clock: "manual",
    stateDir: mkdtempSync(join(tmpdir(), "windows-report-")),
  });
  await simRunFor(sim, 30_000);
  dir = mkdtempSync(join(tmpdir(), "windows-capture-"));
  await captureSim(sim, dir);
});
after(() => sim.stop());

test("the report counts the Windows nodes by their primary ENI: 9 pods, 1 of 1 ENIs, pods + 3 warm IPs", async () => {
  const r = JSON.parse((await eniView("report", "--dump", dir, "--json")).stdout) as Report;
  assert.deepEqual(r.summary.kinds, { ec2: 2, windows: 2 });
  const windows = r.nodes.filter((n) => n.kind === "windows");
  const byPods = windows
    .map((n) => [n.pods, n.maxPods, n.maxPodsByEni, nodeEniText(n), n.ipsAssigned, n.ipsUsed, n.ipsWarm])
    .sort();
  assert.deepEqual(byPods, [
    [1, 9, 9, "1/1", 4, 1, 3],
    [2, 9, 9, "1/1", 5, 2, 3],
  ]);
  for (const n of windows) {
    assert.deepEqual(n.hostNetworkPods, []);
    assert.deepEqual(n.podsOffEni, []);
    assert.equal(n.overcommitted, false);
    assert.deepEqual(
      n.enis.map((e) => e.role),
      ["primary"],
    );
  }
  const t = r.summary;
  assert.equal(t.nodes, 4);
  assert.equal(t.pods, 11);
  assert.equal(t.hostNetworkPods, 4);
  assert.equal(t.maxPods, 52);
  assert.equal(t.enisPossible, 8);
  assert.deepEqual(r.warnings, []);
});

test("report text, report --json, /api/topology and a live read agree on every count", async () => {
  const text = (await eniView("report", "--dump", dir)).stdout;
  const json = JSON.parse((await eniView("report", "--dump", dir, "--json")).stdout) as Report;
  const topo = await servedTopology(dir);
  const live = buildReport(await readSimInput(sim));
  assert.deepEqual(nodeCounts(topo), nodeCounts(json));
  assert.deepEqual(topo.summary, json.summary);
  assert.deepEqual(topo.warnings, json.warnings);
  const byName = (x: { nodes: Report["nodes"] }) =>
    nodeCounts({ nodes: [...x.nodes].sort((a, b) => a.name.localeCompare(b.name)) });
  assert.deepEqual(byName(live), byName(json));
  for (const n of json.nodes) assertTextRow(text, n);
  assert.match(text, /4 nodes \(2 ec2, 2 windows\) · ENIs \d+ of 8/);
});
