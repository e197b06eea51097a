// Windows prefix delegation: the windows-lab scenario with `enable-windows-prefix-delegation: "true"` in the
// amazon-vpc-cni ConfigMap and the Windows nodes' kubelet given --max-pods 110 (as the EKS user guide has Windows
// users pass it). The VPC resource controller then puts /28 prefixes on the primary ENI instead of secondary
// IPs and advertises (IPv4 per ENI - 1) x 16 addresses (m5.large: 9 x 16 = 144); with the defaults
// (warm-ip-target 1, minimum-ip-target 3) a node keeps ceil(max(pods + 1, 3) / 16) prefixes.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { enisByNode, kubectl, kubectlJson, type NodeJson, type PodJson, runFor } from "./clientsForTests.ts";
import { type Sim, startSim } from "./index.ts";

const lab = JSON.parse(readFileSync(new URL("../scenarios/windows-lab.json", import.meta.url), "utf8"));
lab.name = "windows-prefix-lab";
lab.cni.configMap["enable-windows-prefix-delegation"] = "true";
for (const g of lab.nodeGroups) if (g.os === "windows") g.maxPods = 110;
const file = join(tmpdir(), `windows-prefix-lab-${process.pid}.json`);
writeFileSync(file, JSON.stringify(lab));
let running: Sim | undefined;
before(async () => {
  running = await startSim({
    scenario: file,
    clock: "manual",
    stateDir: mkdtempSync(join(tmpdir(), "windows-prefix-lab-")),
  });
});
after(() => {
  running?.stop();
  rmSync(file, { force: true });
});
const sim = () => running as Sim;

async function windowsNodes() {
  const nodes = (await kubectlJson<{ items: NodeJson[] }>(sim(), "get", "nodes")).items;
  const pods = (await kubectlJson<{ items: PodJson[] }>(sim(), "get", "pods")).items;
  const enis = await enisByNode(sim());
  return nodes
    .filter((n) => n.metadata.labels["kubernetes.io/os"] === "windows")
    .map((n) => ({
      node: n,
      pods: pods.filter((p) => p.spec.nodeName === n.metadata.name && p.metadata.labels?.app === "iis"),
      enis: enis.get(n.metadata.name) ?? [],
    }));
}

const inPrefix = (ip: string, prefix: string) => {
  const [base, bits] = prefix.split("/");
  const last = (a: string) => Number(a.split(".")[3]);
  return (
    ip.split(".").slice(0, 3).join(".") === base!.split(".").slice(0, 3).join(".") &&
    last(ip) >= last(base!) &&
    last(ip) < last(base!) + 2 ** (32 - Number(bits))
  );
};

test("prefix delegation on Windows: 144 addresses advertised, one /28 on the primary ENI, pods in it", async () => {
  await runFor(sim(), 60_000);
  const windows = await windowsNodes();
  assert.equal(windows.length, 2);
  for (const w of windows) {
    assert.equal(w.node.status.allocatable["vpc.amazonaws.com/PrivateIPv4Address"], "144");
    assert.equal(w.node.status.allocatable.pods, "110");
    assert.equal(w.enis.length, 1);
    const primary = w.enis[0]!;
    assert.equal(primary.PrivateIpAddresses.length, 1); // its own address, no secondary IPs
    assert.equal(primary.Ipv4Prefixes?.length, 1);
    for (const p of w.pods) {
      assert.equal(p.status.phase, "Running");
      assert.ok(inPrefix(p.status.podIP as string, primary.Ipv4Prefixes![0]!.Ipv4Prefix));
    }
  }
  assert.deepEqual(windows.map((w) => w.pods.length).sort(), [1, 2]);
});

test("40 IIS replicas: 20 a node, every one Running, ceil(21 / 16) = 2 prefixes a node", async () => {
  await kubectl(sim(), "scale", "deployment", "iis", "--replicas=40");
  await runFor(sim(), 60_000);
  for (const w of await windowsNodes()) {
    assert.equal(w.pods.length, 20);
    assert.ok(w.pods.every((p) => p.status.phase === "Running"));
    assert.equal(w.enis[0]!.Ipv4Prefixes?.length, 2);
  }
});
