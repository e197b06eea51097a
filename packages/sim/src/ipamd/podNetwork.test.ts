// The simulated VPC CNI on the scale lab (domain page sections 0 and 3): 3 x t3.medium, default settings,
// driven by a manual clock. ENIs and IPs are read back from the EC2 state, as `aws ec2` would see them.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseIpv4, parseIpv4Cidr } from "@eni-view/model";
import type { PodRef } from "../contracts.ts";
import { subnetAddresses } from "../ec2/subnetAddresses.ts";
import { cniDefaults, enisOf, secondaryIpsOf, type TestCluster, testCluster } from "./testCluster.ts";

const pod = (node: number, i: number): PodRef => ({ namespace: "default", name: `nginx-${node}-${i}` });

/** Kubelet's loop: try CNI ADD, and when the pool is empty retry after the next IPAMD cycle. */
function runPods(c: TestCluster, perNode: number, from = 0): void {
  c.nodes.forEach((node, n) => {
    for (let i = from; i < perNode; i++) {
      let tries = 0;
      while (c.network.assign(node.nodeName, pod(n, i)) === null) {
        if (++tries > 20) throw new Error(`pod ${i} on ${node.nodeName} never got an IP`);
        c.clock.advance(5_000);
      }
    }
  });
  c.clock.advance(60_000);
}

function perNode(c: TestCluster) {
  return c.nodes.map((n) => ({
    enis: enisOf(c.state, n.instanceId).length,
    ips: secondaryIpsOf(c.state, n.instanceId),
  }));
}

describe("scale lab: 3 x t3.medium with the CNI defaults", () => {
  it("starts each node with 1 ENI holding 5 secondary IPs, the node IP from its AZ's subnet", () => {
    const c = testCluster();
    c.clock.advance(30_000);
    assert.deepEqual(perNode(c), Array(3).fill({ enis: 1, ips: 5 }));
    for (const node of c.nodes) {
      const instance = c.state.instances.get(node.instanceId);
      const subnet = c.state.subnets.get(instance?.subnetId ?? "");
      const primary = enisOf(c.state, node.instanceId)[0];
      assert.equal(primary?.attachment?.deviceIndex, 0);
      assert.equal(primary?.primaryIp, instance?.privateIp);
      const block = parseIpv4Cidr(subnet?.cidr ?? "");
      const ip = parseIpv4(instance?.privateIp ?? "") ?? -1;
      assert.ok(block && ip >= block.base + 4 && ip < block.base + block.size - 1, instance?.privateIp);
      assert.equal(primary?.tags["node.k8s.amazonaws.com/instance_id"], node.instanceId);
    }
  });

  it("reproduces the section 3 table for 1, 3, 5, 10 and 15 pods per node", () => {
    const c = testCluster();
    c.clock.advance(30_000);
    let placed = 0;
    for (const [pods, enis, ips] of [
      [1, 2, 10],
      [3, 2, 10],
      [5, 2, 10],
      [10, 3, 15],
      [15, 3, 15],
    ] as const) {
      runPods(c, pods, placed);
      placed = pods;
      assert.deepEqual(perNode(c), Array(3).fill({ enis, ips }), `${pods} pods per node`);
    }
    // The pool is spent: a 16th pod per node would get no IP (the scheduler stops at 17 - 2 anyway).
    assert.equal(c.network.assign(c.nodes[0]?.nodeName ?? "", pod(0, 99)), null);
  });

  it("gives CNI ENIs the aws-K8S- description and the instance_id/createdAt tags", () => {
    const c = testCluster();
    c.clock.advance(30_000);
    runPods(c, 1);
    const node = c.nodes[0];
    const second = enisOf(c.state, node?.instanceId ?? "").find((e) => e.attachment?.deviceIndex === 1);
    assert.equal(second?.description, `aws-K8S-${node?.instanceId}`);
    assert.equal(second?.tags["node.k8s.amazonaws.com/instance_id"], node?.instanceId);
    assert.match(second?.tags["node.k8s.amazonaws.com/createdAt"] ?? "", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(second?.status, "in-use");
    assert.equal(second?.attachment?.status, "attached");
  });

  it("shows a new ENI as attaching until the attach delay has passed", () => {
    const c = testCluster();
    c.clock.advance(30_000);
    const node = c.nodes[0];
    c.network.assign(node?.nodeName ?? "", pod(0, 0));
    c.clock.advance(5_000); // next IPAMD cycle: CreateNetworkInterface + AttachNetworkInterface
    const fresh = enisOf(c.state, node?.instanceId ?? "").find((e) => e.attachment?.deviceIndex === 1);
    assert.equal(fresh?.status, "attaching");
    assert.equal(fresh?.attachment?.status, "attaching");
    c.clock.advance(3_000);
    assert.equal(fresh?.status, "in-use");
  });

  it("puts pods on random ENIs, not the first ENI with room", () => {
    const c = testCluster();
    c.clock.advance(30_000);
    runPods(c, 1); // every node now has its 2nd ENI, and 4 free IPs left on the primary
    runPods(c, 5, 1);
    const enisWithPods = c.nodes.map((n) => {
      const pool = c.network.ipamd(n.nodeName)?.pool;
      return pool?.enis.filter((e) => e.cidrs.some((x) => x.addresses.some((a) => a.pod !== null))).length;
    });
    // First fit would keep all 5 pods on the primary ENI of every node.
    assert.ok(
      enisWithPods.some((k) => (k ?? 0) >= 2),
      `pods on ${enisWithPods.join(",")} ENIs per node`,
    );
  });

  it("on scale-down frees only empty ENIs, one per cycle, and never releases single IPs", () => {
    const c = testCluster();
    c.clock.advance(30_000);
    runPods(c, 15);
    c.nodes.forEach((node, n) => {
      for (let i = 1; i < 15; i++) c.network.release(node.nodeName, pod(n, i));
    });
    c.clock.advance(5 * 60_000);
    for (const node of c.nodes) {
      const enis = enisOf(c.state, node.instanceId);
      // 1 pod left: 3 ENIs x 5 IPs has 14 free >= (1 + 1) x 5, so one empty ENI goes; 10 IPs, 9 free, stays.
      assert.equal(enis.length, 2, node.nodeName);
      assert.ok(
        enis.every((e) => e.secondaryIps.length === 5),
        "every remaining ENI keeps its 5 IPs",
      );
      const events = c.network.ipamd(node.nodeName)?.events ?? [];
      assert.equal(events.filter((e) => /freeing/.test(e)).length, 1);
    }
  });

  it("gives a released IP back to the subnet only when its ENI is deleted, 2 s after the detach", () => {
    const c = testCluster();
    c.clock.advance(30_000);
    const subnet = c.state.instances.get(c.nodes[0]?.instanceId ?? "")?.subnetId ?? "";
    const book = subnetAddresses(c.state, subnet);
    assert.equal(book.available(), 256 - 5 - 6);
    runPods(c, 6);
    assert.equal(book.available(), 256 - 5 - 18);
    c.nodes.forEach((node, n) => {
      for (let i = 0; i < 6; i++) c.network.release(node.nodeName, pod(n, i));
    });
    c.clock.advance(5 * 60_000);
    assert.equal(book.available(), 256 - 5 - 6);
  });
});

describe("cooldown", () => {
  it("keeps a freed IP from new pods for IP_COOLDOWN_PERIOD", () => {
    const c = testCluster();
    c.clock.advance(30_000);
    runPods(c, 15);
    const name = c.nodes[0]?.nodeName ?? "";
    const freed = c.network.assign(name, pod(0, 3));
    c.network.release(name, pod(0, 3));
    assert.equal(c.network.assign(name, { namespace: "default", name: "new" }), null);
    c.clock.advance(31_000);
    assert.equal(c.network.assign(name, { namespace: "default", name: "new" }), freed);
  });
});

describe("prefix delegation (prefix lab: WARM_PREFIX_TARGET=1, max pods 110)", () => {
  it("holds aligned /28 prefixes: 1 idle, 2 with 1-16 pods, 3 with 17", () => {
    const c = testCluster({ cni: { prefixDelegation: true, warmPrefixTarget: 1 }, maxPods: 110 });
    c.clock.advance(30_000);
    const prefixes = () =>
      c.nodes.map((n) => enisOf(c.state, n.instanceId).reduce((k, e) => k + e.prefixes.length, 0));
    assert.deepEqual(prefixes(), [1, 1, 1]);
    runPods(c, 1);
    assert.deepEqual(prefixes(), [2, 2, 2]);
    runPods(c, 17, 1);
    assert.deepEqual(prefixes(), [3, 3, 3]);
    for (const e of c.state.enis.values()) {
      for (const p of e.prefixes) {
        const block = parseIpv4Cidr(p);
        assert.equal(block?.size, 16);
        assert.equal((block?.base ?? 1) % 16, 0, p);
      }
      assert.equal(e.secondaryIps.length, 0);
    }
    const subnet = c.state.instances.get(c.nodes[0]?.instanceId ?? "")?.subnetId ?? "";
    assert.equal(subnetAddresses(c.state, subnet).available(), 256 - 5 - 1 - 3 * 16);
  });
});

describe("subnet exhaustion", () => {
  it("pauses growth 120 s after InsufficientFreeAddressesInSubnet and leaves pods without IPs", () => {
    // A /28 has 11 usable addresses: node IP + 5 warm IPs leave 5, too few for a new ENI with 1 + 5.
    const c = testCluster({ subnets: ["192.168.1.0/28", "192.168.2.0/28", "192.168.3.0/28"] });
    c.clock.advance(30_000);
    const name = c.nodes[0]?.nodeName ?? "";
    const ipamd = c.network.ipamd(name);
    for (let i = 0; i < 5; i++) assert.ok(c.network.assign(name, pod(0, i)));
    c.clock.advance(5_000);
    assert.equal(c.network.assign(name, pod(0, 5)), null);
    const failures = () =>
      (ipamd?.events ?? []).filter((e) => /InsufficientFreeAddressesInSubnet/.test(e)).length;
    assert.equal(failures(), 1);
    c.clock.advance(100_000);
    assert.equal(failures(), 1, "no retry during the 120 s pause");
    assert.match(ipamd?.lastDecision()?.reason ?? "", /paused/);
    c.clock.advance(25_000);
    assert.equal(failures(), 2, "retried after the pause");
    assert.equal(enisOf(c.state, c.nodes[0]?.instanceId ?? "").length, 1);
  });
});

describe("subnet discovery", () => {
  it("puts a new ENI in the AZ's kubernetes.io/role/cni subnet with the most free addresses", () => {
    const c = testCluster({ subnets: ["192.168.1.0/28", "192.168.2.0/28", "192.168.3.0/28"] });
    c.state.subnets.set("subnet-cni-2a", {
      id: "subnet-cni-2a",
      vpcId: c.state.vpcId,
      cidr: "192.168.101.0/24",
      zone: "ap-northeast-2a",
      zoneId: "apne2-az1",
      name: "pods-2a",
      tags: { "kubernetes.io/role/cni": "1" },
    });
    c.clock.advance(30_000);
    const node = c.nodes[0];
    if (node === undefined) throw new Error("no node");
    c.network.assign(node.nodeName, pod(0, 0));
    c.clock.advance(10_000);
    const second = enisOf(c.state, node.instanceId).find((e) => e.attachment?.deviceIndex === 1);
    assert.equal(second?.subnetId, "subnet-cni-2a");
    assert.match(second?.primaryIp ?? "", /^192\.168\.101\./);
    // Nodes in other AZs may not use it: node 2 stays in its /28 and runs dry there.
    const other = c.nodes[1];
    if (other === undefined) throw new Error("no node");
    c.network.assign(other.nodeName, pod(1, 0));
    c.clock.advance(10_000);
    assert.equal(enisOf(c.state, other.instanceId).length, 1);
  });
});

describe("EC2 throttling", () => {
  it("stalls growth while EC2 answers RequestLimitExceeded and resumes after", () => {
    const c = testCluster();
    c.clock.advance(30_000);
    c.faults.ec2ThrottleRate = 1;
    const name = c.nodes[0]?.nodeName ?? "";
    c.network.assign(name, pod(0, 0));
    c.clock.advance(30_000);
    assert.equal(enisOf(c.state, c.nodes[0]?.instanceId ?? "").length, 1);
    assert.ok(c.network.ipamd(name)?.events.some((e) => /RequestLimitExceeded/.test(e)));
    c.faults.ec2ThrottleRate = 0;
    c.clock.advance(10_000);
    assert.equal(enisOf(c.state, c.nodes[0]?.instanceId ?? "").length, 2);
  });
});

describe("settle", () => {
  it("brings a node straight to the steady state its pods need, without the clock", () => {
    const c = testCluster();
    const name = c.nodes[0]?.nodeName ?? "";
    const pods = Array.from({ length: 16 }, (_, i) => pod(0, i));
    const ips = c.network.settle(name, pods);
    assert.equal(ips.size, 15, "15 pods get IPs, the 16th does not fit t3.medium's 3 x 5");
    assert.equal(new Set(ips.values()).size, 15);
    const enis = enisOf(c.state, c.nodes[0]?.instanceId ?? "");
    assert.equal(enis.length, 3);
    assert.ok(enis.every((e) => e.status === "in-use" && e.attachment?.status === "attached"));
    // Another node with 1 pod: 2 ENIs, 10 IPs, as in the table.
    c.network.settle(c.nodes[1]?.nodeName ?? "", [pod(1, 0)]);
    assert.deepEqual(perNode(c)[1], { enis: 2, ips: 10 });
  });

  it("refuses a node that has no IPAMD", () => {
    const c = testCluster();
    assert.throws(() => c.network.settle("nope", []), /no IPAMD runs on node "nope"/);
  });
});

describe("node changes", () => {
  it("attaches no ENI on a cordoned node, and resumes once it is uncordoned", () => {
    const c = testCluster();
    c.clock.advance(30_000);
    const node = c.nodes[0];
    if (node === undefined) throw new Error("no node");
    c.network.updateNode({ ...node, cordoned: true });
    c.network.assign(node.nodeName, pod(0, 0));
    c.clock.advance(60_000);
    assert.equal(enisOf(c.state, node.instanceId).length, 1);
    assert.match(c.network.ipamd(node.nodeName)?.lastDecision()?.reason ?? "", /cordoned/);
    c.network.updateNode({ ...node, cordoned: false });
    c.clock.advance(10_000);
    assert.equal(enisOf(c.state, node.instanceId).length, 2);
  });

  it("stops the IPAMD loop with stopNode", () => {
    const c = testCluster();
    const node = c.nodes[0];
    if (node === undefined) throw new Error("no node");
    c.network.stopNode(node.nodeName);
    c.clock.advance(60_000);
    assert.equal(secondaryIpsOf(c.state, node.instanceId), 5, "only nodeInit's IPs, nothing after");
    assert.throws(() => c.network.assign(node.nodeName, pod(0, 0)), /no IPAMD runs on node/);
    c.network.release(node.nodeName, pod(0, 0)); // a late CNI DEL is harmless
  });
});

describe("bad input", () => {
  it("refuses an unknown instance type and a subnet in another AZ", () => {
    const c = testCluster();
    const subnet = [...c.state.subnets.values()][0];
    assert.throws(
      () =>
        c.network.launchInstance({
          instanceType: "t9.huge",
          zone: subnet?.zone ?? "",
          subnetId: subnet?.id ?? "",
          tags: {},
        }),
      /unknown instance type "t9.huge"/,
    );
    assert.throws(
      () =>
        c.network.launchInstance({
          instanceType: "t3.medium",
          zone: "ap-northeast-2c",
          subnetId: subnet?.id ?? "",
          tags: {},
        }),
      /is in ap-northeast-2a, not in ap-northeast-2c/,
    );
  });
});

describe("custom networking switched on a live node (aws-node restarted with the new env)", () => {
  it("sends the ENIs attached from then on to the ENIConfig's subnet, keeps the ENIs and IPs it had, and stops refilling the primary ENI; switched off, new ENIs return to the node's subnet", () => {
    // A fourth subnet in ap-northeast-2a stands for the ENIConfig's pod subnet (a secondary CIDR).
    const c = testCluster({
      subnets: ["192.168.1.0/24", "192.168.2.0/24", "192.168.3.0/24", "100.64.0.0/24"],
    });
    c.clock.advance(30_000);
    const node = c.nodes[0]!;
    const own = c.state.instances.get(node.instanceId)!.subnetId;
    const podSubnet = [...c.state.subnets.values()].find((s) => s.cidr === "100.64.0.0/24")!.id;
    const primary = () => enisOf(c.state, node.instanceId).find((e) => e.attachment?.deviceIndex === 0)!;
    assert.equal(primary().secondaryIps.length, 5);

    c.network.pauseNode(node.nodeName);
    c.network.resumeNode(node.nodeName, { ...cniDefaults, customNetworking: true }, podSubnet);
    runPods(c, 1);
    const second = enisOf(c.state, node.instanceId).find((e) => e.attachment?.deviceIndex === 1)!;
    assert.equal(second.subnetId, podSubnet, "the new ENI is in the ENIConfig's subnet");
    assert.equal(primary().secondaryIps.length, 5, "the primary ENI keeps its IPs and gets no more");
    // The other nodes, whose aws-node did not restart, carry on in their own subnets.
    const other = c.nodes[1]!;
    const otherSecond = enisOf(c.state, other.instanceId).find((e) => e.attachment?.deviceIndex === 1)!;
    assert.equal(otherSecond.subnetId, c.state.instances.get(other.instanceId)!.subnetId);

    c.network.pauseNode(node.nodeName);
    c.network.resumeNode(node.nodeName, cniDefaults, null);
    runPods(c, 10, 1);
    const third = enisOf(c.state, node.instanceId).find((e) => e.attachment?.deviceIndex === 2)!;
    assert.equal(third.subnetId, own, "switched off: the next ENI is in the node's own subnet");
    assert.equal(
      enisOf(c.state, node.instanceId).find((e) => e.attachment?.deviceIndex === 1)!.subnetId,
      podSubnet,
      "the ENI attached meanwhile stays in the pod subnet",
    );
  });

  it("takes an ENIConfig's new subnet for the next ENI without a restart (IPAMD reads it at each ENI it creates)", () => {
    // Subnets 4 and 7 are both in ap-northeast-2a: the ENIConfig's pod subnet, then the one it is moved to.
    const c = testCluster({
      subnets: [
        "192.168.1.0/24",
        "192.168.2.0/24",
        "192.168.3.0/24",
        "100.64.0.0/24",
        "100.64.1.0/24",
        "100.64.2.0/24",
        "100.64.3.0/24",
      ],
    });
    c.clock.advance(30_000);
    const node = c.nodes[0]!;
    const subnet = (cidr: string) => [...c.state.subnets.values()].find((s) => s.cidr === cidr)!.id;
    c.network.pauseNode(node.nodeName);
    c.network.resumeNode(node.nodeName, { ...cniDefaults, customNetworking: true }, subnet("100.64.0.0/24"));
    runPods(c, 1);
    c.network.useEniSubnet(node.nodeName, subnet("100.64.3.0/24"));
    runPods(c, 10, 1);
    const byDevice = (d: number) =>
      enisOf(c.state, node.instanceId).find((e) => e.attachment?.deviceIndex === d)!.subnetId;
    assert.equal(byDevice(1), subnet("100.64.0.0/24"), "the ENI attached before stays where it is");
    assert.equal(byDevice(2), subnet("100.64.3.0/24"), "the next ENI is in the ENIConfig's new subnet");
  });
});
