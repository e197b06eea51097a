// The fragmented-subnet lab: prefix delegation in subnets shared with AWS services. Checked with the aws
// CLI (the services' ENIs, the CIDR reservation) and kubectl (the node whose subnet has free addresses but
// no free /28 cannot start pods; its IPAMD met InsufficientCidrBlocks).
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { awsEc2, kubectlJson, type PodJson, runFor } from "./clientsForTests.ts";
import { type Sim, startSim } from "./index.ts";

let sim: Sim;
before(async () => {
  sim = await startSim({
    scenario: "fragmented-lab",
    clock: "manual",
    stateDir: mkdtempSync(join(tmpdir(), "fragmented-lab-")),
  });
  await runFor(sim, 60_000);
});
after(() => sim.stop());

interface SubnetJson {
  SubnetId: string;
  CidrBlock: string;
  AvailableIpAddressCount: number;
}

async function subnet(cidr: string): Promise<SubnetJson> {
  const { Subnets } = await awsEc2<{ Subnets: SubnetJson[] }>(sim, "describe-subnets");
  const found = Subnets.find((s) => s.CidrBlock === cidr);
  assert.ok(found, `subnet ${cidr}`);
  return found;
}

test("the services' ENIs carry their InterfaceType, description and RequesterId", async () => {
  const { NetworkInterfaces } = await awsEc2<{
    NetworkInterfaces: {
      InterfaceType: string;
      RequesterId?: string;
      Description: string;
      SubnetId: string;
    }[];
  }>(
    sim,
    "describe-network-interfaces",
    "--filters",
    "Name=interface-type,Values=lambda,network_load_balancer,vpc_endpoint",
  );
  const count = (type: string) => NetworkInterfaces.filter((e) => e.InterfaceType === type).length;
  // One Lambda ENI every 16 addresses of a /24 (.8, .24, ... .248), one NLB, two endpoints.
  assert.deepEqual([count("lambda"), count("network_load_balancer"), count("vpc_endpoint")], [16, 1, 2]);
  const nlb = NetworkInterfaces.find((e) => e.InterfaceType === "network_load_balancer");
  assert.equal(nlb?.RequesterId, "amazon-elb");
  assert.match(nlb?.Description ?? "", /^ELB net\//);
});

test("get-subnet-cidr-reservations lists 2a's prefix reservation, and its pods' prefixes come from it", async () => {
  const a = await subnet("192.168.1.0/24");
  const out = await awsEc2<{
    SubnetIpv4CidrReservations: { Cidr: string; ReservationType: string; Description: string }[];
  }>(sim, "get-subnet-cidr-reservations", "--subnet-id", a.SubnetId);
  assert.deepEqual(
    out.SubnetIpv4CidrReservations.map((r) => [r.Cidr, r.ReservationType, r.Description]),
    [["192.168.1.128/26", "prefix", "kept for pod prefixes"]],
  );
  const { NetworkInterfaces } = await awsEc2<{
    NetworkInterfaces: { Ipv4Prefixes?: { Ipv4Prefix: string }[] }[];
  }>(sim, "describe-network-interfaces", "--filters", `Name=subnet-id,Values=${a.SubnetId}`);
  const prefixes = NetworkInterfaces.flatMap((e) => (e.Ipv4Prefixes ?? []).map((p) => p.Ipv4Prefix));
  assert.ok(prefixes.length > 0);
  for (const p of prefixes) assert.match(p, /^192\.168\.1\.(128|144|160|176)\/28$/);
});

test("with free addresses but no free /28, 2c's node gets no prefix: InsufficientCidrBlocks, pods ContainerCreating", async () => {
  const c = await subnet("192.168.3.0/24");
  assert.ok(c.AvailableIpAddressCount > 200, `${c.AvailableIpAddressCount} free addresses`);
  const nodeName = [...sim.store.all("nodes")]
    .map((n) => n.metadata.name)
    .find((n) => n.startsWith("ip-192-168-3-"));
  assert.ok(nodeName);
  const events = sim.network.ipamd(nodeName)?.events ?? [];
  assert.ok(
    events.some((e) => /InsufficientCidrBlocks/.test(e)),
    `IPAMD of ${nodeName} says: ${events.slice(-3).join(" | ")}`,
  );
  type Waiting = { status: { containerStatuses?: { state?: { waiting?: { reason?: string } } }[] } };
  const pods = await kubectlJson<{ items: (PodJson & Waiting)[] }>(
    sim,
    "get",
    "pods",
    "-n",
    "default",
    "-o",
    "json",
  );
  const there = pods.items.filter((p) => p.spec.nodeName === nodeName);
  assert.ok(there.length > 0, "the scheduler put nginx pods on that node");
  for (const p of there) {
    assert.equal(p.status.podIP, undefined, p.metadata.name);
    assert.equal(p.status.containerStatuses?.[0]?.state?.waiting?.reason, "ContainerCreating");
  }
});
