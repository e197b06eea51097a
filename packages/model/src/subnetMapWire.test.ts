import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Topology } from "./api.ts";
import { formatIpv4 } from "./ipv4.ts";
import { overviewOf } from "./overview.ts";
import { buildReport } from "./report.ts";
import { search } from "./search.ts";
import { summariseAddressMap } from "./subnetMap.ts";
import {
  decodeMatches,
  decodeSubnetMap,
  decodeSubnetMapWithPods,
  encodeSubnetMap,
  subnetMapOf,
  subnetMapWireOf,
  subnetMatches,
} from "./subnetMapWire.ts";
import { eksCluster } from "./testing/eksCluster.ts";

// 24 nodes over four /16s, a load balancer's ENI and a prefix reservation in the first one.
const input = eksCluster(24, 10);
const first = input.subnets[0]!;
input.enis.push({
  id: "eni-nlb",
  subnetId: first.id,
  vpcId: "vpc-1",
  zone: first.zone,
  status: "in-use",
  interfaceType: "interface",
  typeName: "network_load_balancer",
  description: "ELB net/web/1a2b",
  requesterId: "amazon-elb",
  instanceId: null,
  deviceIndex: null,
  networkCardIndex: 0,
  attachmentStatus: null,
  attachTime: null,
  primaryIp: "10.0.200.7",
  secondaryIps: [],
  prefixes: [],
  noManage: false,
  cniManaged: false,
  requesterManaged: true,
  createdAt: null,
});
input.cidrReservations = [
  { id: "scr-1", subnetId: first.id, cidr: "10.0.128.0/24", type: "prefix", description: "for prefixes" },
];
const whole: Topology = {
  ...buildReport(input),
  seq: 7,
  generatedAt: "2026-12-06T20:00:00.000Z",
  source: "sim",
  sources: {},
};
const wire = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe("a subnet's address map for a page on the overview", () => {
  it("keeps every subnet's and zone's counts in the overview exactly as the whole topology has them", () => {
    const thin = wire(overviewOf(whole));
    assert.deepEqual(thin.subnets, wire(whole.subnets));
    assert.deepEqual(thin.zones, wire(whole.zones));
    assert.ok(
      thin.subnets.filter((s) => s.used).every((s) => s.space && s.space.podIps > 0),
      "every subnet in use has its counts, pods included, though the overview holds no pod",
    );
  });

  it("sends each subnet's map so the page gets every address's kind and holder back", () => {
    for (const s of whole.subnets.filter((x) => x.used)) {
      const sent = wire(subnetMapWireOf(whole, s.id)!);
      assert.equal(sent.seq, 7);
      const map = decodeSubnetMap(sent);
      const own = subnetMapOf(whole, s)!;
      assert.deepEqual(map, own, s.cidr);
      assert.deepEqual(summariseAddressMap(map), s.space, `${s.cidr}: the counts the overview has`);
      // Each pod's cell is coloured by its phase or owner: every pod the map holds comes with both.
      const { pods } = decodeSubnetMapWithPods(sent);
      const held = map.holders.flatMap((h) => (h.pod === null ? [] : [h.pod]));
      assert.ok(held.length > 0, s.cidr);
      assert.deepEqual(
        held.map((k) => pods.get(k)),
        held.map((k) => {
          const p = whole.pods.find((x) => `${x.namespace}/${x.name}` === k)!;
          return { phase: p.phase, owner: p.owner };
        }),
        s.cidr,
      );
    }
    const nlb = decodeSubnetMap(subnetMapWireOf(whole, first.id)!);
    assert.ok(nlb.holders.some((h) => h.kind === "other" && h.label.includes("amazon-elb")));
    assert.ok(nlb.holders.some((h) => h.kind === "reserved-prefix"));
  });

  it("sends a /16 in runs: a few hundred numbers of kinds, not one per address", () => {
    const sent = subnetMapWireOf(whole, first.id)!;
    assert.ok(sent.kinds.length < 200, `${sent.kinds.length} numbers for 65,536 kinds`);
    assert.ok(sent.holderSteps.length < 400, `${sent.holderSteps.length} numbers for 65,536 holders`);
  });

  it("answers null for a subnet the cluster does not use or that does not exist", () => {
    assert.equal(subnetMapWireOf(whole, "subnet-none"), null);
    const unused = whole.subnets.find((s) => !s.used);
    if (unused) assert.equal(subnetMapWireOf(whole, unused.id), null);
  });

  it("refuses a body that does not cover the CIDR's addresses, or names a holder it lacks", () => {
    const map = subnetMapOf(whole, whole.subnets[0]!)!;
    const good = encodeSubnetMap(map, { seq: 1, generatedAt: "", subnet: "s" });
    assert.throws(() => decodeSubnetMap({ ...good, kinds: good.kinds.slice(0, -2) }), /do not cover/);
    assert.throws(() => decodeSubnetMap({ ...good, holders: [] }), /names a holder it lacks/);
    assert.throws(() => decodeSubnetMap({ ...good, cidr: "fd00::/64" }), /not IPv4/);
  });

  it("lights, of a subnet's addresses, those of the pods, nodes and ranges a search matches in the whole cluster", () => {
    const map = subnetMapOf(whole, whole.subnets.find((s) => s.id === first.id)!)!;
    const pod = whole.pods.find((p) => p.ip.startsWith("10.0."))!;
    for (const q of [`${pod.namespace}/${pod.name}`, pod.ip, `node=${pod.node}`, "10.0.0.0/24"]) {
      const { lit, count } = subnetMatches(map, search(whole, q));
      const flags = decodeMatches(wire(lit), map.size);
      const r = search(whole, q);
      const expected = [...map.holderOf].flatMap((h, i) => {
        const holder = map.holders[h];
        const ip = formatIpv4(map.base + i);
        return (holder?.node && r.nodes.has(holder.node)) ||
          (holder?.pod && r.pods.has(holder.pod)) ||
          r.ips.has(ip)
          ? [ip]
          : [];
      });
      assert.ok(expected.length > 0, q);
      assert.equal(count, expected.length, q);
      assert.deepEqual(
        [...flags].flatMap((f, i) => (f === 1 ? [formatIpv4(map.base + i)] : [])),
        expected,
        q,
      );
    }
    assert.throws(() => decodeMatches([0, 5], map.size), /do not cover/);
  });
});
