import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatIpv6, inIpv6Block, parseIpv6, parseIpv6Cidr } from "./ipv6.ts";

describe("ipv6", () => {
  it("parses full, compressed and edge forms", () => {
    assert.equal(parseIpv6("::1"), 1n);
    assert.equal(parseIpv6("::"), 0n);
    assert.equal(parseIpv6("2600:1f14:0:0:0:0:0:1"), parseIpv6("2600:1f14::1"));
    assert.equal(parseIpv6("ffff::")! >> 112n, 0xffffn);
    assert.equal(parseIpv6("10.0.0.1"), null);
    assert.equal(parseIpv6("1::2::3"), null);
    assert.equal(parseIpv6("1:2:3:4:5:6:7"), null);
    assert.equal(parseIpv6("g::1"), null);
  });

  it("tells whether a pod address lies in a node's /80", () => {
    const block = parseIpv6Cidr("2600:1f14:abc:1200:7a2b::/80")!;
    assert.equal(block.bits, 80);
    // The /80 fixes the first five groups; anything in the last three is inside.
    assert.ok(inIpv6Block(parseIpv6("2600:1f14:abc:1200:7a2b:ffff:1:2")!, block));
    assert.ok(inIpv6Block(parseIpv6("2600:1f14:abc:1200:7a2b::")!, block));
    assert.ok(!inIpv6Block(parseIpv6("2600:1f14:abc:1200:7a2c::1")!, block));
    assert.equal(parseIpv6Cidr("2600::/129"), null);
    assert.equal(parseIpv6Cidr("2600::"), null);
  });

  it("prints an address back, the longest run of zero groups as ::", () => {
    for (const text of [
      "2406:da12:abc:1201::",
      "::1",
      "::",
      "2600:1f14:0:1::7",
      "1:0:0:2::3",
      "1:2:3:4:5:6:7:8",
    ])
      assert.equal(formatIpv6(parseIpv6(text)!), text);
    assert.equal(formatIpv6(parseIpv6("2600:1f14:0:0:0:0:0:1")!), "2600:1f14::1");
  });
});
