// The capture-folder fixtures read end to end (file -> mapping -> model), checked against the labs of
// the VPC CNI study groups: t3.medium holds 3 ENIs x 5 pod IPs and 17 pods, c5d.large 29.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { buildReport, type Report } from "@eni-view/model";
import { readCaptureFolder } from "./readCaptureFolder.ts";

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url).pathname;
const report = async (name: string): Promise<Report> => buildReport(await readCaptureFolder(fixture(name)));
const byZone = (r: Report) => [...r.nodes].sort((a, b) => (a.zone ?? "").localeCompare(b.zone ?? ""));

test("no two pods of a fixture share a namespace and name, as in any cluster", async () => {
  // (The generator's pod names once came round every 27 pods: scale-lab-50 had 27 names for 50 pods, and a
  // plan scaling it to 2 deleted all of them.)
  for (const name of [
    "scale-lab-2",
    "scale-lab-50",
    "prefix-delegation",
    "c5d-large",
    "mixed-cluster",
    "node-kinds",
  ]) {
    const pods = (await readCaptureFolder(fixture(name))).pods.map((p) => `${p.namespace}/${p.name}`);
    assert.equal(new Set(pods).size, pods.length, name);
  }
});

describe("scale lab (3 x t3.medium, one per AZ)", () => {
  test("2 replicas: the nodes running a pod have 2 ENIs, the idle node 1 (WARM_ENI_TARGET=1)", async () => {
    const r = await report("scale-lab-2");
    const nodes = byZone(r);
    assert.deepEqual(
      nodes.map((n) => [n.zone, n.enis.length, n.ipsAssigned, n.ipsUsed, n.ipsWarm]),
      [
        // CoreDNS + one nginx on 2a and 2b; nothing that takes an IP on 2c.
        ["ap-northeast-2a", 2, 10, 2, 8],
        ["ap-northeast-2b", 2, 10, 2, 8],
        ["ap-northeast-2c", 1, 5, 0, 5],
      ],
    );
    assert.deepEqual(
      nodes.map((n) => n.hostNetworkPods.map((p) => p.name.replace(/-[a-z0-9]+$/, ""))),
      [
        ["aws-node", "kube-proxy"],
        ["aws-node", "kube-proxy"],
        ["aws-node", "kube-proxy"],
      ],
    );
    assert.equal(r.pending.length, 0);
    assert.equal(r.pods.filter((p) => p.owner === "Deployment/nginx-deployment").length, 2);
  });

  test("50 replicas: 3 ENIs and 15 IPs per node, 43 nginx Running, 7 Pending with Too many pods", async () => {
    const r = await report("scale-lab-50");
    for (const n of r.nodes) {
      assert.equal(n.instanceType, "t3.medium");
      assert.equal(n.enis.length, 3);
      assert.deepEqual(
        n.enis.map((e) => e.ipsAssigned),
        [5, 5, 5],
      );
      assert.deepEqual([n.ipsAssigned, n.ipsUsed, n.ipsWarm], [15, 15, 0]);
      assert.deepEqual([n.pods, n.maxPods, n.maxPodsByEni], [17, 17, 17]);
      assert.equal(n.eniSlotsFree, 0);
    }
    const nginx = r.pods.filter((p) => p.owner === "Deployment/nginx-deployment");
    assert.equal(nginx.length, 43);
    assert.ok(nginx.every((p) => p.phase === "Running" && p.eni !== null));
    assert.equal(r.pods.filter((p) => p.owner === "Deployment/coredns").length, 2);
    assert.equal(r.summary.pendingPods, 7);
    for (const p of r.pending) {
      assert.equal(p.reason, "too-many-pods");
      assert.match(p.message, /^0\/3 nodes are available: 3 Too many pods\./);
    }
    assert.deepEqual(
      [r.summary.nodes, r.summary.ipsAssigned, r.summary.ipsUsed, r.summary.ipsWarm],
      [3, 45, 45, 0],
    );
    // Every subnet /24: 251 usable, minus node IP, 2 more ENI primaries and 15 secondaries.
    assert.deepEqual(
      r.subnets.map((s) => [s.cidr, s.availableIps, s.totalIps]),
      [
        ["192.168.1.0/24", 233, 251],
        ["192.168.2.0/24", 233, 251],
        ["192.168.3.0/24", 233, 251],
      ],
    );
  });
});

test("c5d.large: max pods 29 by ENI and by kubelet, 9 pod IPs per ENI", async () => {
  const r = await report("c5d-large");
  for (const n of r.nodes) {
    assert.deepEqual([n.maxPods, n.maxPodsByEni], [29, 29]);
    for (const e of n.enis) assert.equal(e.ipsAssigned, 9);
  }
});

test("prefix delegation: /28s on eth0, max pods 110, every pod inside a prefix", async () => {
  const r = await report("prefix-delegation");
  assert.equal(r.cluster.cni.prefixDelegation, true);
  for (const n of r.nodes) {
    assert.equal(n.maxPodsByEni, 110);
    assert.equal(n.overcommitted, false);
    assert.equal(n.enis.length, 1);
    assert.equal(n.enis[0]!.prefixes.length, 3);
    assert.equal(n.ipsAssigned, 48);
  }
  assert.equal(r.pending.length, 0);
  assert.equal(r.summary.unplacedPods, 0);
  assert.equal(r.summary.ipsUsed, 52, "50 nginx + 2 CoreDNS");
});

describe("edge cases", async () => {
  const r = await report("edge-cases");
  const node = (type: string) => r.nodes.find((n) => n.instanceType === type)!;

  test("hostNetwork pods take no slot; finished pods hold no IP, the running pod that reused one does", () => {
    const sgp = node("m5.large");
    assert.deepEqual(sgp.hostNetworkPods.map((p) => p.name.split("-")[0]).sort(), ["aws", "kube", "node"]);
    assert.ok(!r.pods.some((p) => p.namespace === "batch"), "Succeeded/Failed pods are not in pods[]");
    const web = r.pods.find((p) => p.name.startsWith("web-"))!;
    const slot = sgp.enis.flatMap((e) => e.slots).find((s) => s.ip === web.ip);
    assert.equal(slot?.pod, `default/${web.name}`);
    // 5 pods on the node: 3 hostNetwork, web, payments; the finished job pods do not count.
    assert.equal(sgp.pods, 5);
  });

  test("trunk and branch ENIs are shown as such; the branch pod sits on its branch ENI", () => {
    const sgp = node("m5.large");
    assert.deepEqual(
      sgp.enis.map((e) => e.role),
      ["primary", "trunk", "branch"],
    );
    const payments = r.pods.find((p) => p.name === "payments-0")!;
    assert.equal(payments.eni, sgp.enis[2]!.id);
  });

  test("a no_manage ENI is not pod capacity and lowers max pods by ENI", () => {
    const c5d = node("c5d.large");
    const unmanaged = c5d.enis.find((e) => e.role === "unmanaged");
    assert.equal(unmanaged?.podCapacity, false);
    assert.equal(c5d.maxPodsByEni, 2 * 9 + 2);
  });

  test("a pod IP on no ENI is reported and counted", () => {
    const ghost = r.pods.find((p) => p.name.endsWith("-ghost"))!;
    assert.equal(ghost.eni, null);
    assert.equal(r.summary.unplacedPods, 1);
    assert.ok(r.warnings.some((w) => w.includes("192.168.3.250")));
  });

  test("kubelet max pods above max by ENI: flagged, and the pod past it waits for an IP", () => {
    const t3 = node("t3.medium");
    assert.deepEqual([t3.maxPods, t3.maxPodsByEni, t3.overcommitted], [110, 17, true]);
    assert.equal(t3.podsWaitingForIp, 1);
    const waiting = r.pending.find((p) => p.node === t3.name)!;
    assert.equal(waiting.reason, "ip-exhausted");
    assert.equal(waiting.status, "ContainerCreating");
    assert.match(waiting.message, /failed to assign an IP address to container$/);
  });

  test("scheduler reasons: insufficient cpu and any other reason", () => {
    const reasons = Object.fromEntries(r.pending.map((p) => [p.name.split("-")[0], p.reason]));
    assert.equal(reasons.bigjob, "insufficient-resources");
    assert.equal(reasons.gpu, "unschedulable");
  });

  test("the leaked CNI ENI is detached; load balancer and endpoint ENIs and the other VPC are left out", () => {
    assert.deepEqual(
      r.detachedEnis.map((e) => [e.instanceId, e.ips]),
      [["i-0d1e2a3d4b5e6e7f8", 6]],
    );
    const attached = r.nodes.flatMap((n) => n.enis.map((e) => e.id));
    assert.equal(new Set(attached).size, attached.length);
    // m5.large eth0 + trunk, t3.medium 3, c5d.large eth0 + no_manage, m9i.large eth0: no ELB/NLB/endpoint ENI.
    assert.equal(r.summary.enisAttached, 2 + 3 + 2 + 1);
    assert.deepEqual(
      r.subnets.map((s) => s.cidr),
      ["192.168.1.0/24", "192.168.2.0/24", "192.168.3.0/24"],
    );
  });

  test("an unknown instance type is said, not guessed", () => {
    const future = node("m9i.large");
    assert.equal(future.maxPodsByEni, null);
    assert.ok(r.warnings.some((w) => w.includes("m9i.large is not in the built-in table")));
  });

  test("the report carries no env values, annotations or other secrets from the capture", () => {
    const json = JSON.stringify(r);
    assert.ok(!json.includes("s3cr3t"), "aws-node env value leaked");
    assert.ok(!json.includes("restartedAt"), "pod annotation leaked");
    assert.ok(!json.includes("provided-node-ip"), "node annotation leaked");
    assert.ok(!json.includes("pod-template-hash"), "labels are limited to the few the view filters on");
  });
});
