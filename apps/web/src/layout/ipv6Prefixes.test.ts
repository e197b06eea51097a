import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ipv6PrefixUse } from "./ipv6Prefixes.ts";
import { eni, t3medium } from "./testNodes.ts";

const prefixed = (name: string, prefix: string, pods: number, subnetId = "subnet-6") =>
  t3medium(
    name,
    [
      eni(
        `eni-${name}`,
        0,
        Array.from({ length: pods + 1 }, (_, i) => ({
          ip: `${prefix.split("::")[0]}::${i + 1}`,
          pod: i < pods ? `default/web-${name}-${i}` : null,
          prefix,
        })),
        { subnetId, prefixes: [prefix] },
      ),
    ],
    { maxPods: 110 },
  );

describe("ipv6PrefixUse", () => {
  it("lists each node's /80 in the subnet by its /64, with the pods in it against max pods", () => {
    const nodes = [
      prefixed("a", "2406:da12:abc:1201:1a2b::/80", 3),
      prefixed("b", "2406:da12:abc:1201:9f00::/80", 0),
      prefixed("c", "2406:da12:abc:1202:77::/80", 5, "subnet-other"),
    ];
    assert.deepEqual(ipv6PrefixUse(nodes, "subnet-6"), [
      {
        block: "2406:da12:abc:1201::/64",
        capacity: 65_536,
        prefixBits: 80,
        prefixes: [
          { prefix: "2406:da12:abc:1201:1a2b::/80", node: "a", eniId: "eni-a", pods: 3, maxPods: 110 },
          { prefix: "2406:da12:abc:1201:9f00::/80", node: "b", eniId: "eni-b", pods: 0, maxPods: 110 },
        ],
      },
    ]);
  });

  it("gives nothing for a subnet whose ENIs hold IPv4 /28 prefixes only", () => {
    const v4 = t3medium("d", [eni("eni-d", 0, [], { subnetId: "subnet-6", prefixes: ["10.0.1.16/28"] })]);
    assert.deepEqual(ipv6PrefixUse([v4], "subnet-6"), []);
  });
});
