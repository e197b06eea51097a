import assert from "node:assert/strict";
import { test } from "node:test";
import { parseScenario } from "../scenarios/scenario.ts";
import { addressInSlash80, formatIpv6, ipv6Value, parseIpv6Slash64 } from "./ipv6.ts";

test("IPv6 text round-trips in RFC 5952 form: lower case, the longest zero run as ::", () => {
  for (const [input, out] of [
    ["2406:DA12:0abc:1201:0:0:0:10", "2406:da12:abc:1201::10"],
    ["2406:da12:abc:1201:7a2b::", "2406:da12:abc:1201:7a2b::"],
    ["1:0:0:2:0:0:0:3", "1:0:0:2::3"],
    ["1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"],
  ] as const)
    assert.equal(formatIpv6(ipv6Value(input)!), out);
  assert.equal(ipv6Value("1::2::3"), null);
  assert.equal(addressInSlash80("2406:da12:abc:1201:7a2b::/80", 3n), "2406:da12:abc:1201:7a2b::3");
});

test("a subnet's ipv6Cidr must be an IPv6 /64 network, else the scenario names the field", () => {
  assert.notEqual(parseIpv6Slash64("2406:da12:abc:1201::/64"), null);
  for (const bad of ["2406:da12:abc:1201::/56", "2406:da12:abc:1201::1/64", "192.168.1.0/24"])
    assert.equal(parseIpv6Slash64(bad), null);
  const doc = (ipv6Cidr: string) => ({
    name: "x",
    description: "x",
    region: "ap-northeast-2",
    clusterName: "c",
    vpcCidr: "192.168.0.0/16",
    subnets: [{ zone: "ap-northeast-2a", zoneId: "apne2-az1", cidr: "192.168.1.0/24", name: "s", ipv6Cidr }],
    cni: { version: "v1.19.2" },
    nodeGroups: [{ name: "ng", instanceType: "t3.medium", perSubnet: 1 }],
  });
  assert.equal(
    parseScenario(doc("2406:da12:abc:1201::/64"), "f").subnets[0]!.ipv6Cidr,
    "2406:da12:abc:1201::/64",
  );
  assert.throws(
    () => parseScenario(doc("2406:da12::/48"), "f"),
    /f: subnets\[0\]\.ipv6Cidr: "2406:da12::\/48" is not an IPv6 \/64/,
  );
});
