// The node-kind capture folders (generateKinds.ts) read end to end, and the three outputs agreeing on every
// count: `eni-view report` text, `eni-view report --json`, and /api/topology of `serve --dump`. The expected
// numbers are derived in generateKinds.ts's comments from the public instance facts and AWS's rules.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { buildReport, nodeEniText, planCluster, type Report } from "@eni-view/model";
import { englishEnv } from "../../testing/cli.ts";
import { assertTextRow, nodeCounts } from "../../testing/reportRows.ts";
import { servedTopology } from "../../testing/servedDump.ts";
import { readCaptureFolder } from "./readCaptureFolder.ts";

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url).pathname;
const bin = new URL("../../../bin/eni-view.js", import.meta.url).pathname;

function cli(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const options = {
      maxBuffer: 16 * 1024 * 1024,
      timeout: 20_000,
      killSignal: "SIGKILL" as const,
      env: englishEnv(),
    };
    execFile(process.execPath, [bin, ...args], options, (err, stdout, stderr) => {
      if (err) reject(new Error(`${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

const served = (name: string) => servedTopology(fixture(name));

const kindOf = (r: Report, prefix: string) => r.nodes.find((n) => n.name.startsWith(prefix))!;

describe("node-kinds capture", async () => {
  const r = buildReport(await readCaptureFolder(fixture("node-kinds")));
  const sgp = r.nodes.find((n) => n.nodeGroup === "sgp")!;
  const efa = r.nodes.find((n) => n.instanceType === "p5.48xlarge")!;
  const win = r.nodes.find((n) => n.kind === "windows")!;
  const auto = r.nodes.find((n) => n.kind === "auto-mode")!;
  const fargate = r.nodes.filter((n) => n.kind === "fargate");
  const hybrid = r.nodes.find((n) => n.kind === "hybrid")!;

  test("each node is of its kind", () => {
    assert.deepEqual(r.summary.kinds, { ec2: 2, windows: 1, "auto-mode": 1, fargate: 2, hybrid: 1 });
    assert.equal(kindOf(r, "mi-").kind, "hybrid");
  });

  test("security groups for pods: trunk at eth1, 3 branches under it, 20 + 9 branch ENIs = kubelet's 29", () => {
    assert.deepEqual(
      sgp.enis.map((e) => [e.role, e.role === "branch" ? null : e.deviceIndex]),
      [
        ["primary", 0],
        ["trunk", 1],
        ["secondary", 2],
        ["branch", null],
        ["branch", null],
        ["branch", null],
      ],
    );
    assert.deepEqual([sgp.maxPodsByEni, sgp.branchEnis, sgp.maxPods, sgp.overcommitted], [20, 9, 29, false]);
    // 4 shop pods on secondary IPs, 3 payments pods on branch ENIs, aws-node and kube-proxy.
    assert.equal(sgp.pods, 9);
    assert.equal(sgp.ipsUsed, 4);
    assert.ok(
      sgp.enis.filter((e) => e.role === "branch").every((e) => e.slots[0]!.pod?.includes("payments")),
    );
  });

  test("EFA: 1 of 2 ENIs on card 0, 31 EFA-only interfaces apart, max pods 100", () => {
    assert.equal(nodeEniText(efa), "1/2 +31 other cards");
    assert.equal(efa.maxPodsByEni, 100);
    assert.equal(efa.enis.filter((e) => !e.onDefaultCard && e.role === "efa" && !e.podCapacity).length, 31);
  });

  test("Windows 9, Auto Mode 110, Fargate 1, hybrid by pod CIDR", () => {
    assert.deepEqual([win.maxPodsByEni, win.eniSlotsFree, win.ipsUsed, win.ipsWarm], [9, 0, 2, 7]);
    assert.deepEqual(
      [auto.capacity.mode, auto.maxPodsByEni, auto.ipsAssigned, auto.ipsUsed],
      ["prefix-delegation", 110, 16, 3],
    );
    assert.deepEqual(
      fargate.map((n) => [n.enisKnown, n.maxPodsByEni, n.pods, n.podsOffEni.length]),
      [
        [true, 1, 1, 0],
        [false, 1, 1, 1],
      ],
    );
    assert.deepEqual(
      [hybrid.capacity.podIps, hybrid.podCidrs, hybrid.podsOffEni.length],
      [256, ["10.86.1.0/24"], 2],
    );
  });

  test("totals: ENIs 7 of 10+? on default cards, 31 on others; the pod on a gone node counted apart", () => {
    // The Fargate node whose ENI the capture lacks is left out of the ENIs possible, and counted as unknown.
    assert.deepEqual(
      [r.summary.enisAttached, r.summary.enisPossible, r.summary.nodesEnisUnknown, r.summary.enisOtherCards],
      [7, 10, 1, 31],
    );
    // Assigned: 18 (sgp) + 10 (efa) + 9 (win) + 16 (auto) + 1 (Fargate) = 54; used 4 + 2 + 2 + 3 + 1 = 12.
    assert.deepEqual([r.summary.ipsAssigned, r.summary.ipsUsed], [54, 12]);
    assert.equal(r.summary.podsOnUnknownNodes, 1);
    assert.equal(
      r.summary.pods,
      r.nodes.reduce((s, n) => s + n.pods, 0),
    );
    assert.deepEqual(r.warnings.length, 1);
    assert.match(r.warnings[0]!, /1 pod\(s\) on node\(s\) not in the node list.*batch-3c2b1a0f9-zz/);
  });

  test("report text, report --json and /api/topology agree on every node's counts", async () => {
    const text = await cli("report", "--dump", fixture("node-kinds"));
    const json = JSON.parse(await cli("report", "--dump", fixture("node-kinds"), "--json")) as Report;
    const topo = await served("node-kinds");
    assert.deepEqual(nodeCounts(json), nodeCounts(r));
    assert.deepEqual(nodeCounts(topo), nodeCounts(r));
    assert.deepEqual(topo.summary, json.summary);
    assert.deepEqual(topo.warnings, json.warnings);
    for (const n of r.nodes) assertTextRow(text, n);
    assert.match(
      text,
      /7 nodes \(2 ec2, 1 windows, 1 auto-mode, 2 fargate, 1 hybrid\) · ENIs 7 of 10\+\? \(\+31 on other network cards\)/,
    );
    assert.match(text, /Capture: .*node-kinds \(taken \d{4}-\d\d-\d\dT/);
  });
});

describe("ipv6 capture", async () => {
  const r = buildReport(await readCaptureFolder(fixture("ipv6")));

  test("prefix capacity: each node's /80 on its primary ENI, pods placed in it, no ENI placeholders", () => {
    assert.deepEqual(
      r.nodes.map((n) => [
        n.ipFamily,
        n.capacity.mode,
        n.maxPodsByEni,
        n.eniSlotsFree,
        n.enis[0]!.prefixes[0],
        n.ipsUsed,
      ]),
      [
        ["ipv6", "ipv6-prefix", null, 0, "2600:1f14:abc:1201:7a2b::/80", 3],
        ["ipv6", "ipv6-prefix", null, 0, "2600:1f14:abc:1202:91c4::/80", 2],
      ],
    );
    // One ENI per node is all an IPv6 node uses: 2 of 2.
    assert.deepEqual([r.summary.enisAttached, r.summary.enisPossible], [2, 2]);
    assert.ok(r.nodes.every((n) => !n.overcommitted));
    assert.deepEqual(r.nodes[1]!.podsOffEni, ["default/web-5c4b3a2d1-stray"]);
    assert.deepEqual(r.warnings, [
      "1 pod IPv6 address(es) in no /80 prefix of their node's ENIs: default/web-5c4b3a2d1-stray",
    ]);
  });

  test("report --json and /api/topology agree", async () => {
    const json = JSON.parse(await cli("report", "--dump", fixture("ipv6"), "--json")) as Report;
    const topo = await served("ipv6");
    assert.deepEqual(topo.nodes, json.nodes);
    assert.deepEqual(topo.summary, json.summary);
  });
});

describe("a capture read mid-change", async () => {
  const r = buildReport(await readCaptureFolder(fixture("inconsistent")));

  test("each inconsistency is warned by name, none dropped", () => {
    const all = r.warnings.join("\n");
    assert.match(all, /1 instance\(s\) with the VPC CNI's ENIs but no node .*: i-0\w+ \(1 ENI\)/);
    assert.match(all, /1 CNI ENI\(s\) attached to an instance that is in neither .*: eni-0\w+ on i-0\w+/);
    assert.match(all, /1 pod\(s\) on node\(s\) not in the node list .*default\/web-7f6e5d4c3-orphan on ip-/);
    assert.match(all, /1 pod IP\(s\) found on no ENI: default\/web-7f6e5d4c3-ghost \(192\.168\.1\.251\)/);
    assert.equal(r.warnings.length, 4);
    // The ghost pod is on its node's box too, and counted there.
    const home = r.nodes.find((n) => n.podsOffEni.length > 0)!;
    assert.deepEqual(home.podsOffEni, ["default/web-7f6e5d4c3-ghost"]);
    assert.match(home.warnings.join(" "), /web-7f6e5d4c3-ghost/);
    assert.equal(r.summary.podsOnUnknownNodes, 1);
  });
});

describe("a mixed EKS cluster: managed node groups, Karpenter, Fargate CoreDNS, Windows", async () => {
  const r = buildReport(await readCaptureFolder(fixture("mixed-cluster")));
  const byGroup = (g: string) => r.nodes.filter((n) => n.nodeGroup === g);
  const gpu = byGroup("gpu")[0]!;

  test("every node of its kind and group; Karpenter's NodePool is the node group", () => {
    assert.deepEqual(r.summary.kinds, { ec2: 4, windows: 1, fargate: 2 });
    assert.deepEqual(
      ["ng-general", "default", "gpu", "windows"].map((g) => byGroup(g).length),
      [2, 1, 1, 1],
    );
    // m5.large 3 x 9 + 2 = 29; c5.xlarge 4 x 14 + 2 = 58; Windows m5.large 10 - 1 = 9; Fargate 1.
    assert.deepEqual(
      r.nodes.map((n) => [n.nodeGroup, n.maxPodsByEni, nodeEniText(n)]),
      [
        ["ng-general", 29, "2/3"],
        ["ng-general", 29, "2/3"],
        ["default", 58, "2/4"],
        ["gpu", 51, "2/2 +31 other cards"],
        ["windows", 9, "1/1"],
        [null, 1, "1/1"],
        [null, 1, "1/1"],
      ],
    );
  });

  test("the p5.48xlarge's EFA-only interface on card 0 leaves the CNI one ENI: 51 by ENI, kubelet's 100 warned", () => {
    assert.equal(gpu.overcommitted, true);
    assert.ok(r.warnings.some((w) => /ip-192-168-1-26\S* 100 > 51/.test(w)));
    // The ENI-limit problem counts card 0's slots, not the 31 EFA-only interfaces elsewhere.
    const text = r.warnings.join("\n");
    assert.doesNotMatch(text, /33 ENIs/);
  });

  test("totals: ENIs 11 of 15 on default cards, 31 on others; IPs 85 assigned, 14 used; the gone node's pod apart", () => {
    assert.deepEqual(
      [r.summary.enisAttached, r.summary.enisPossible, r.summary.enisOtherCards],
      [11, 15, 31],
    );
    assert.deepEqual([r.summary.ipsAssigned, r.summary.ipsUsed], [85, 14]);
    assert.equal(r.summary.podsOnUnknownNodes, 1);
    assert.ok(r.nodes.every((n) => n.podsOffEni.length === 0));
    assert.equal(r.warnings.length, 2);
  });

  test("report text, report --json and /api/topology agree; the problems line counts card 0's 2 ENIs", async () => {
    const text = await cli("report", "--dump", fixture("mixed-cluster"));
    const json = JSON.parse(await cli("report", "--dump", fixture("mixed-cluster"), "--json")) as Report;
    const topo = await served("mixed-cluster");
    assert.deepEqual(nodeCounts(json), nodeCounts(r));
    assert.deepEqual(nodeCounts(topo), nodeCounts(r));
    assert.deepEqual(topo.summary, json.summary);
    for (const n of r.nodes) assertTextRow(text, n);
    assert.match(
      text,
      /every ENI the type allows attached \(1\): ip-192-168-1-26 \(2 ENIs, 8 warm IPs left\)/,
    );
    assert.match(
      text,
      /7 nodes \(4 ec2, 1 windows, 2 fargate\) · ENIs 11 of 15 \(\+31 on other network cards\)/,
    );
  });
});

describe("the mixed cluster captured without EC2 data and without aws-node", async () => {
  // The same kubectl files, the aws CLI's answers empty (another account or region) and no aws-node.json.
  const dir = await mkdtemp(join(tmpdir(), "eni-view-no-ec2-"));
  for (const name of ["nodes.json", "pods.json", "events.json"])
    await copyFile(join(fixture("mixed-cluster"), name), join(dir, name));
  await writeFile(join(dir, "network-interfaces.json"), '{"NetworkInterfaces": []}\n');
  await writeFile(join(dir, "instances.json"), '{"Reservations": []}\n');
  await writeFile(join(dir, "subnets.json"), '{"Subnets": []}\n');
  after(() => rm(dir, { recursive: true, force: true }));

  test("every node's ENIs unknown, never 0 of 15; the pods still counted; both gaps warned", async () => {
    const r = buildReport(await readCaptureFolder(dir));
    assert.ok(r.nodes.every((n) => nodeEniText(n) === "unknown"));
    // 7 nodes with ENIs in EC2 (4 ec2, Windows, 2 Fargate): none known, none counted possible.
    assert.deepEqual([r.summary.enisAttached, r.summary.enisPossible, r.summary.nodesEnisUnknown], [0, 0, 7]);
    assert.equal(r.summary.pods, 22);
    assert.deepEqual(
      r.warnings.map((w) => w.split(":")[0]),
      [
        "aws-node DaemonSet not seen",
        "the capture has no EC2 data (no ENIs, no instances)",
        "1 pod(s) on node(s) not in the node list (removed between two reads?), counted under no node",
      ],
    );
    assert.match(r.warnings[1]!, /ENIs unknown on 7 node\(s\)/);
    const text = await cli("report", "--dump", dir);
    assert.match(text, /· ENIs 0 of \? ·/);
    // No zone has an ENI known, so none has a subnet known: its free addresses are unknown, not 0.
    const zones = text.slice(text.indexOf("\nZones\n")).split("\n").slice(3, 5);
    assert.ok(
      zones.every((z) => / -$/.test(z.trimEnd())),
      zones.join("\n"),
    );
  });
});

test("the planner on the mixed cluster: the p5's EFA-only interface fills card 0, so its pods stay on 49 IPs", async () => {
  const cluster = await readCaptureFolder(fixture("mixed-cluster"));
  const plan = planCluster({
    cluster,
    changes: [
      {
        kind: "scale",
        workload: { kind: "Deployment", namespace: "default", name: "trainer" },
        replicas: 70,
      },
    ],
    seeds: [1],
  });
  const gpu = plan.nodes.find((n) => n.instanceType === "p5.48xlarge")!;
  // Card 0 has the ENA primary and the EFA-only interface, its 2 slots: IPAMD attaches nothing more and fills
  // the primary to its 49 secondary IPs.
  assert.deepEqual([gpu.before.enis, gpu.enis, gpu.assigned], [2, { min: 2, max: 2 }, { min: 49, max: 49 }]);
});
