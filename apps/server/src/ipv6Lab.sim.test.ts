// `eni-view report` on a capture of the simulator's IPv6 lab, taken as from a live cluster (its kubeconfig and
// EC2 endpoint, through the AWS SDK):
// each node is drawn by prefix capacity (its /80, not an empty board), with every pod placed in it.
// Expected by hand: ENABLE_IPv6 gives each node one /80 on its primary ENI and no other ENI, so 2 ENIs of 2
// possible; kubelet's max pods for a t3.medium with prefix delegation is 110 (fewer than 30 vCPUs); 50 nginx
// + 2 CoreDNS take addresses, aws-node and kube-proxy (hostNetwork) take none.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Report } from "@eni-view/model";
import { type Sim, startSim } from "@eni-view/sim";
import { captureSim, eniView } from "./testing/cli.ts";

let sim: Sim;
let dir = "";
before(async () => {
  sim = await startSim({
    scenario: "ipv6-lab",
    clock: "manual",
    stateDir: mkdtempSync(join(tmpdir(), "ipv6-rep-")),
  });
  sim.store.update("deployments", "default", "nginx-deployment", (d) => {
    (d.spec as { replicas: number }).replicas = 50;
  });
  for (let t = 0; t < 90; t++) {
    sim.clock.advance(1_000);
    await new Promise((resolve) => setImmediate(resolve));
  }
  dir = mkdtempSync(join(tmpdir(), "ipv6-capture-"));
  await captureSim(sim, dir);
});
after(() => sim.stop());

test("report --json: prefix capacity per node, 52 pods placed in their node's /80, no warnings", async () => {
  const { stdout } = await eniView("report", "--dump", dir, "--json");
  const r = JSON.parse(stdout) as Report;
  assert.deepEqual(
    r.nodes.map((n) => [
      n.ipFamily,
      n.capacity.mode,
      n.maxPods,
      n.maxPodsByEni,
      n.eniSlotsFree,
      n.enis.length,
    ]),
    [
      ["ipv6", "ipv6-prefix", 110, null, 0, 1],
      ["ipv6", "ipv6-prefix", 110, null, 0, 1],
    ],
  );
  for (const n of r.nodes) {
    assert.match(n.enis[0]!.prefixes[0]!, /^2406:da12:abc:120[12]:[0-9a-f]{1,4}::\/80$/);
    assert.deepEqual(n.podsOffEni, []);
    assert.equal(n.overcommitted, false);
    assert.equal(n.hostNetworkPods.length, 2); // aws-node, kube-proxy
  }
  assert.equal(
    r.nodes.reduce((s, n) => s + n.ipsUsed, 0),
    52,
  );
  assert.equal(r.pods.filter((p) => p.eni !== null).length, 52);
  assert.deepEqual([r.summary.enisAttached, r.summary.enisPossible], [2, 2]);
  assert.deepEqual(r.warnings, []);
});
