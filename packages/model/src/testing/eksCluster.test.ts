import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseIpv4, parseIpv4Cidr, subnetUsableIps } from "../ipv4.ts";
import { eksCluster } from "./eksCluster.ts";

describe("eksCluster", () => {
  it("gives a zone more /16 subnets when its nodes' addresses outgrow one, every address inside its ENI's subnet", () => {
    // 2 ENIs of 15 addresses a node, 2,500 nodes a zone: 75,000 addresses, more than a /16's 65,531.
    const cluster = eksCluster(10_000, 1);
    assert.equal(cluster.subnets.length, 8);
    const byId = new Map(cluster.subnets.map((s) => [s.id, s]));
    const seen = new Set<string>();
    const used = new Map<string, number>();
    for (const eni of cluster.enis) {
      const subnet = byId.get(eni.subnetId)!;
      const block = parseIpv4Cidr(subnet.cidr)!;
      assert.ok(block.prefixLength >= 16, `${subnet.cidr} is at most a /16`);
      assert.equal(eni.zone, subnet.zone);
      for (const ip of [eni.primaryIp!, ...eni.secondaryIps]) {
        const at = parseIpv4(ip)! - block.base;
        assert.ok(at >= 4 && at < block.size - 1, `${ip} is a usable address of ${subnet.cidr}`);
        assert.ok(!seen.has(ip), `${ip} is taken once`);
        seen.add(ip);
      }
      used.set(subnet.id, (used.get(subnet.id) ?? 0) + 1 + eni.secondaryIps.length);
    }
    for (const s of cluster.subnets)
      assert.equal(s.availableIps, subnetUsableIps(s.cidr)! - (used.get(s.id) ?? 0), `${s.id} free count`);
    const primary = new Map(cluster.enis.filter((e) => e.deviceIndex === 0).map((e) => [e.instanceId, e]));
    for (const node of cluster.nodes) assert.equal(node.internalIp, primary.get(node.instanceId)?.primaryIp);
  });

  it("keeps one subnet a zone while a /16 holds the zone's nodes", () => {
    assert.deepEqual(
      eksCluster(40, 30).subnets.map((s) => s.cidr),
      ["10.0.0.0/16", "10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16"],
    );
  });

  it("refuses a cluster whose addresses a VPC's 50 CIDR blocks cannot hold", () => {
    assert.throws(() => eksCluster(200_000, 30), /need 184 \/16 subnets; a VPC holds 50/);
  });
});
