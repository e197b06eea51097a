import assert from "node:assert/strict";
import { test } from "node:test";
import { formatIpv4, parseIpv4, parseIpv4Cidr, subnetUsableIps } from "./ipv4.ts";

test("parses dotted quads and refuses anything else", () => {
  assert.equal(parseIpv4("0.0.0.0"), 0);
  assert.equal(parseIpv4("10.0.1.57"), 10 * 2 ** 24 + 1 * 2 ** 8 + 57);
  assert.equal(parseIpv4("255.255.255.255"), 2 ** 32 - 1);
  for (const bad of [
    "",
    "10.0.1",
    "10.0.1.256",
    "10.0.1.1.1",
    "10..1.1",
    "10.0.1.a",
    "fe80::1",
    "1.2.3.4 ",
    "1000.1.1.1",
  ]) {
    assert.equal(parseIpv4(bad), null, bad);
  }
  assert.equal(formatIpv4(parseIpv4("192.168.3.250")!), "192.168.3.250");
});

test("CIDRs: a /28 prefix holds 16 addresses; a /24 subnet 251 usable (AWS reserves 5)", () => {
  assert.deepEqual(parseIpv4Cidr("10.0.1.16/28"), {
    base: parseIpv4("10.0.1.16"),
    prefixLength: 28,
    size: 16,
  });
  assert.equal(parseIpv4Cidr("10.0.1.20/28")?.base, parseIpv4("10.0.1.16"), "host bits cleared");
  assert.equal(parseIpv4Cidr("10.0.1.0/33"), null);
  assert.equal(parseIpv4Cidr("10.0.1.0"), null);
  assert.equal(subnetUsableIps("192.168.1.0/24"), 251);
  assert.equal(subnetUsableIps("10.0.0.0/16"), 65531);
  assert.equal(subnetUsableIps("nonsense"), null);
});
