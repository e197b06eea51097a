import assert from "node:assert/strict";
import { test } from "node:test";
import { parseIpv4 } from "./ipv4.ts";
import { SlotIndex } from "./slotIndex.ts";

const ip = (text: string) => parseIpv4(text)!;

for (const [label, limit] of [
  ["packed", undefined],
  ["map fallback", 2],
] as const) {
  test(`finds the slot of an address, the first when two hold it (${label})`, () => {
    const index = new SlotIndex(5, limit);
    const a = index.add(ip("192.168.1.20"));
    const b = index.add(ip("10.0.0.1"));
    const c = index.add(ip("255.255.255.255"));
    index.add(ip("10.0.0.1"));
    assert.equal(index.find(ip("192.168.1.20")), a);
    assert.equal(index.find(ip("10.0.0.1")), b);
    assert.equal(index.find(ip("255.255.255.255")), c);
    assert.equal(index.find(ip("192.168.1.21")), undefined);
    assert.equal(index.find(ip("0.0.0.0")), undefined);
    const d = index.add(ip("192.168.1.21"));
    assert.equal(index.find(ip("192.168.1.21")), d, "adding after a lookup re-sorts");
    assert.equal(index.find(ip("10.0.0.1")), b);
  });
}
