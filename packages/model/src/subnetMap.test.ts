import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { addressAt, foreignEniLabel, subnetAddressMap, summariseAddressMap } from "./subnetMap.ts";
import type { CidrReservationReport, EniReport, ForeignEniReport, SlotReport } from "./types.ts";

function nodeEni(
  id: string,
  primaryIp: string,
  slots: SlotReport[],
  more: Partial<EniReport> = {},
): EniReport {
  return {
    id,
    deviceIndex: 1,
    networkCardIndex: 0,
    onDefaultCard: true,
    subnetId: "subnet-a",
    role: "secondary",
    interfaceType: "interface",
    primaryIp,
    slots,
    prefixes: [],
    podCapacity: true,
    slotLimit: 5,
    ipsAssigned: slots.length,
    ipsUsed: slots.filter((s) => s.pod !== null).length,
    ipsWarm: slots.filter((s) => s.pod === null).length,
    attachTime: null,
    ...more,
  };
}

function other(id: string, ips: string[], more: Partial<ForeignEniReport> = {}): ForeignEniReport {
  return {
    id,
    interfaceType: "load_balancer",
    description: "ELB net/web/1a2b3c",
    requesterId: "amazon-elb",
    instanceId: null,
    status: "in-use",
    ips,
    prefixes: [],
    ...more,
  };
}

const range = (from: number, to: number, step = 1): string[] => {
  const out: string[] = [];
  for (let i = from; i <= to; i += step) out.push(`10.0.0.${i}`);
  return out;
};

describe("subnet address map", () => {
  test("an empty /24: AWS's five at both ends, 251 free in one run, 14 free /28s", () => {
    const map = subnetAddressMap("10.0.0.0/24", [], [], [])!;
    const s = summariseAddressMap(map);
    assert.deepEqual(
      [s.size, s.awsReserved, s.free, s.largestFreeRun, s.freeBlocks28],
      [256, 5, 251, 251, 14],
    );
    for (const ip of ["10.0.0.0", "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.255"])
      assert.equal(addressAt(map, ip)?.kind, "aws-reserved", ip);
    assert.equal(addressAt(map, "10.0.0.4")?.kind, "free");
    assert.equal(addressAt(map, "10.0.0.254")?.kind, "free");
    assert.equal(addressAt(map, "10.0.1.0"), null, "outside the CIDR");
  });

  test("the smallest subnet, a /28: 11 free addresses and no free /28", () => {
    const s = summariseAddressMap(subnetAddressMap("10.0.0.16/28", [], [], [])!);
    assert.deepEqual([s.size, s.free, s.largestFreeRun, s.freeBlocks28], [16, 11, 11, 0]);
  });

  test("a /24 checkerboard of single IPs has 125 free addresses but no free /28", () => {
    // Every even address from .4 to .254 (126 of them) held by one ENI no node holds.
    const map = subnetAddressMap("10.0.0.0/24", [], [other("eni-lb", range(4, 254, 2))], [])!;
    const s = summariseAddressMap(map);
    assert.equal(s.otherIps, 126);
    assert.equal(s.free, 125);
    assert.equal(s.largestFreeRun, 1);
    assert.equal(s.freeBlocks28, 0);
    assert.equal(
      addressAt(map, "10.0.0.6")?.holder?.label,
      "load_balancer ELB net/web/1a2b3c (amazon-elb) eni-lb",
    );
  });

  test("CIDR reservations: a prefix reservation counts towards free /28s, an explicit one does not", () => {
    const reservations: CidrReservationReport[] = [
      { id: "scr-p", cidr: "10.0.0.64/27", type: "prefix", description: "for PD" },
      { id: "scr-e", cidr: "10.0.0.128/28", type: "explicit", description: "" },
    ];
    // A node's ENI took the reservation's first /28 as a prefix; one pod holds .65.
    const slots: SlotReport[] = range(64, 79).map((ip) => ({
      ip,
      pod: ip === "10.0.0.65" ? "default/web-1" : null,
      prefix: "10.0.0.64/28",
    }));
    const eni = nodeEni("eni-pd", "10.0.0.10", slots, { prefixes: ["10.0.0.64/28"] });
    const map = subnetAddressMap("10.0.0.0/24", [{ node: "n1", eni }], [], reservations)!;
    const s = summariseAddressMap(map);
    assert.deepEqual(
      [s.nodeIps, s.podIps, s.prefixIps, s.reservedPrefixIps, s.reservedExplicitIps],
      [1, 1, 15, 16, 16],
    );
    assert.equal(s.free, 256 - 5 - 1 - 16 - 16 - 16);
    // 16 blocks less .0 and .240 (AWS's), .64 (the prefix) and .128 (explicit); .80 is reserved for prefixes.
    assert.equal(s.freeBlocks28, 12);
    // .144-.254 is the longest free stretch (.10 breaks .4-.63).
    assert.equal(s.largestFreeRun, 111);
    assert.equal(addressAt(map, "10.0.0.65")?.holder?.pod, "default/web-1");
    assert.equal(addressAt(map, "10.0.0.66")?.kind, "prefix");
    assert.equal(addressAt(map, "10.0.0.80")?.kind, "reserved-prefix");
    assert.equal(addressAt(map, "10.0.0.130")?.holder?.label, "explicit reservation 10.0.0.128/28 scr-e");
  });

  test("node primary IPs, pods and warm IPs; a trunk ENI's addresses are the node's, not warm", () => {
    const eni = nodeEni("eni-1", "10.0.0.10", [
      { ip: "10.0.0.11", pod: "default/a" },
      { ip: "10.0.0.12", pod: null },
    ]);
    const trunk = nodeEni("eni-t", "10.0.0.20", [{ ip: "10.0.0.21", pod: null }], {
      role: "trunk",
      interfaceType: "trunk",
      podCapacity: false,
    });
    const map = subnetAddressMap(
      "10.0.0.0/24",
      [
        { node: "n1", eni },
        { node: "n1", eni: trunk },
      ],
      [],
      [],
    )!;
    const s = summariseAddressMap(map);
    assert.deepEqual([s.nodeIps, s.podIps, s.warmIps], [3, 1, 1]);
    assert.equal(s.podShare, 1 / 251);
    assert.equal(addressAt(map, "10.0.0.12")?.holder?.label, "warm IP on eni-1 of n1");
    assert.equal(addressAt(map, "10.0.0.21")?.kind, "node");
  });

  test("counts without holders are the same counts", () => {
    const eni = nodeEni("eni-1", "10.0.0.10", [{ ip: "10.0.0.11", pod: "default/a" }]);
    const args = ["10.0.0.0/24", [{ node: "n1", eni }], [other("eni-x", ["10.0.0.30"])], []] as const;
    const full = subnetAddressMap(...args)!;
    const bare = subnetAddressMap(...args, false)!;
    assert.deepEqual(summariseAddressMap(bare), summariseAddressMap(full));
    assert.equal(bare.holders.length, 0);
  });

  test("refuses what is not a subnet: bad text, or larger than a /16", () => {
    assert.equal(subnetAddressMap("10.0.0.0/15", [], [], []), null);
    assert.equal(subnetAddressMap("not-a-cidr", [], [], []), null);
    assert.equal(subnetAddressMap("10.0.0.0/16", [], [], [])?.size, 65_536);
  });

  test("names an ENI no node holds by type, description, requester, instance and state", () => {
    assert.equal(
      foreignEniLabel(
        other("eni-9", [], {
          interfaceType: "interface",
          description: "aws-K8S-i-0abc",
          requesterId: null,
          status: "available",
        }),
      ),
      "interface aws-K8S-i-0abc [detached] eni-9",
    );
    assert.equal(
      foreignEniLabel(
        other("eni-8", [], { interfaceType: "vpc_endpoint", description: "VPC Endpoint Interface vpce-1" }),
      ),
      "vpc_endpoint VPC Endpoint Interface vpce-1 (amazon-elb) eni-8",
    );
  });
});
