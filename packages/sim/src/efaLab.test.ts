// The EFA lab: a p4d.24xlarge (4 network cards, 15 ENIs x 50 IPv4 on card 0) launched with an EFA interface
// on each of cards 1-3. IPAMD manages card 0 only: its warm pool grows there, the EFA interfaces keep their one
// address and are never given pod IPs. Checked with the aws CLI and kubectl.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { awsEc2, kubectl, kubectlJson, type PodJson, runFor } from "./clientsForTests.ts";
import { type Sim, startSim } from "./index.ts";

let sim: Sim;
before(async () => {
  sim = await startSim({
    scenario: "efa-lab",
    clock: "manual",
    stateDir: mkdtempSync(join(tmpdir(), "efa-lab-")),
  });
});
after(() => sim.stop());

interface Eni {
  InterfaceType: string;
  Attachment?: { DeviceIndex: number; NetworkCardIndex: number };
  PrivateIpAddresses: { PrivateIpAddress: string; Primary: boolean }[];
}

test("card 0 holds the CNI's ENIs and the pods; cards 1-3 one EFA interface each, no pod IPs", async () => {
  await runFor(sim, 60_000);
  const { stdout } = await kubectl(sim, "get", "nodes", "-o", "custom-columns=PODS:.status.allocatable.pods");
  // 15 x (50 - 1) + 2 = 737 (AWS's max-pods table for p4d.24xlarge).
  assert.equal(stdout.trim().split("\n")[1], "737");
  const pods = (await kubectlJson<{ items: PodJson[] }>(sim, "get", "pods", "-A")).items;
  const ipPods = pods.filter((p) => !p.spec.hostNetwork);
  assert.equal(ipPods.length, 6); // 4 trainer + 2 CoreDNS
  assert.ok(ipPods.every((p) => p.status.phase === "Running"));

  const { NetworkInterfaces } = await awsEc2<{ NetworkInterfaces: Eni[] }>(
    sim,
    "describe-network-interfaces",
  );
  const attached = NetworkInterfaces.filter((e) => e.Attachment);
  const efa = attached
    .filter((e) => e.InterfaceType === "efa")
    .sort((a, b) => a.Attachment!.NetworkCardIndex - b.Attachment!.NetworkCardIndex);
  assert.deepEqual(
    efa.map((e) => [e.Attachment!.NetworkCardIndex, e.Attachment!.DeviceIndex, e.PrivateIpAddresses.length]),
    [
      [1, 1, 1],
      [2, 1, 1],
      [3, 1, 1],
    ],
  );
  const card0 = attached.filter((e) => e.Attachment!.NetworkCardIndex === 0);
  // 6 pods take IPs, so IPAMD keeps one more ENI's worth warm (WARM_ENI_TARGET=1): 2 ENIs on card 0.
  assert.equal(card0.length, 2);
  const podIps = new Set(ipPods.map((p) => p.status.podIP));
  const efaIps = efa.flatMap((e) => e.PrivateIpAddresses.map((a) => a.PrivateIpAddress));
  assert.ok(efaIps.every((ip) => !podIps.has(ip)));
});
