// The IPv6 lab (ENABLE_IPv6 with prefix delegation): each node's primary ENI gets one /80 at start, every
// pod's address comes from its node's /80, no second ENI is attached, and nodes allow 110 pods (EKS's
// prefix-delegation max pods for a t3.medium: fewer than 30 vCPUs, so 110). Checked with kubectl and the aws CLI.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { awsEc2, kubectl, kubectlJson, type NodeJson, type PodJson, runFor } from "./clientsForTests.ts";
import { ipv6Value } from "./ec2/ipv6.ts";
import { type Sim, startSim } from "./index.ts";

let sim: Sim;
before(async () => {
  sim = await startSim({
    scenario: "ipv6-lab",
    clock: "manual",
    stateDir: mkdtempSync(join(tmpdir(), "ipv6-lab-")),
  });
});
after(() => sim.stop());

interface Eni {
  NetworkInterfaceId: string;
  Attachment?: { InstanceId: string; DeviceIndex: number };
  PrivateIpAddresses: { PrivateIpAddress: string }[];
  Ipv6Addresses?: { Ipv6Address: string }[];
  Ipv6Prefixes?: { Ipv6Prefix: string }[];
  Ipv4Prefixes?: { Ipv4Prefix: string }[];
}

const inSlash80 = (ip: string, prefix: string) =>
  ipv6Value(ip)! >> 48n === ipv6Value(prefix.split("/")[0]!)! >> 48n;

test("dual-stack subnets: each has its /64, and new ENIs get an IPv6 address on creation", async () => {
  const { Subnets } = await awsEc2<{
    Subnets: {
      Ipv6CidrBlockAssociationSet: { Ipv6CidrBlock: string }[];
      AssignIpv6AddressOnCreation: boolean;
    }[];
  }>(sim, "describe-subnets");
  assert.deepEqual(Subnets.map((s) => s.Ipv6CidrBlockAssociationSet.map((a) => a.Ipv6CidrBlock)).sort(), [
    ["2406:da12:abc:1201::/64"],
    ["2406:da12:abc:1202::/64"],
  ]);
  assert.ok(Subnets.every((s) => s.AssignIpv6AddressOnCreation));
});

test("scaled to 50, every nginx pod runs with an IPv6 address from its node's one /80 on the primary ENI", async () => {
  await kubectl(sim, "scale", "deployment", "nginx-deployment", "--replicas=50");
  await runFor(sim, 90_000);
  const nodes = (
    await kubectlJson<{
      items: (NodeJson & { status: { addresses: { type: string; address: string }[] } })[];
    }>(sim, "get", "nodes")
  ).items;
  assert.deepEqual(
    nodes.map((n) => n.status.allocatable.pods),
    ["110", "110"],
  );
  const pods = (await kubectlJson<{ items: PodJson[] }>(sim, "get", "pods", "-A")).items;
  const nginx = pods.filter((p) => p.metadata.labels?.app === "nginx");
  assert.equal(nginx.filter((p) => p.status.phase === "Running").length, 50);

  const { NetworkInterfaces } = await awsEc2<{ NetworkInterfaces: Eni[] }>(
    sim,
    "describe-network-interfaces",
  );
  // One ENI per node: IPv6 mode never attaches a second one, and asks for no IPv4 addresses or /28s.
  assert.equal(NetworkInterfaces.length, 2);
  for (const node of nodes) {
    const instanceId = node.spec.providerID.split("/").pop();
    const eni = NetworkInterfaces.find((e) => e.Attachment?.InstanceId === instanceId)!;
    assert.equal(eni.Attachment?.DeviceIndex, 0);
    assert.equal(eni.PrivateIpAddresses.length, 1);
    assert.deepEqual(eni.Ipv4Prefixes ?? [], []);
    const prefixes = (eni.Ipv6Prefixes ?? []).map((p) => p.Ipv6Prefix);
    assert.equal(prefixes.length, 1);
    assert.match(prefixes[0]!, /^2406:da12:abc:120[12]:[0-9a-f]{1,4}::\/80$/);
    // The node's InternalIP is the primary ENI's own IPv6 address, outside the /80.
    const internal = node.status.addresses.find((a) => a.type === "InternalIP")?.address;
    assert.deepEqual(
      eni.Ipv6Addresses?.map((a) => a.Ipv6Address),
      [internal],
    );
    assert.ok(!inSlash80(internal!, prefixes[0]!));
    const onNode = pods.filter((p) => p.spec.nodeName === node.metadata.name && !p.spec.hostNetwork);
    assert.ok(onNode.length > 0);
    for (const p of onNode)
      assert.ok(inSlash80(p.status.podIP!, prefixes[0]!), `${p.status.podIP} in ${prefixes[0]}`);
  }
  const ips = pods.filter((p) => !p.spec.hostNetwork).map((p) => p.status.podIP);
  assert.equal(new Set(ips).size, ips.length, "no two pods share an address");
});
