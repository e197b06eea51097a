import assert from "node:assert/strict";
import { test } from "node:test";
import { parseIpv4 } from "./ipv4.ts";
import { SlotIndex } from "./slotIndex.ts";

const ip = (text: string) => parseIpv4(text)!;

test("finds the slot and ENI of an address, the first slot when two hold it", () => {
  const index = new SlotIndex(5);
  index.add(ip("192.168.1.20"), 0, 7);
  index.add(ip("10.0.0.1"), 1, 7);
  index.add(ip("255.255.255.255"), 2, 8);
  index.add(ip("10.0.0.1"), 3, 9);
  index.add(ip("0.0.0.0"), 4, 9);
  const at = (text: string) => {
    const bucket = index.find(ip(text));
    return bucket < 0 ? null : [index.slotAt(bucket), index.eniAt(bucket)];
  };
  assert.deepEqual(at("192.168.1.20"), [0, 7]);
  assert.deepEqual(at("10.0.0.1"), [1, 7]);
  assert.deepEqual(at("255.255.255.255"), [2, 8]);
  assert.deepEqual(at("0.0.0.0"), [4, 9]);
  assert.equal(at("192.168.1.21"), null);
});

test("many addresses, neighbours and colliding ones alike", () => {
  const count = 50_000;
  const index = new SlotIndex(count);
  // Addresses in runs (as in a subnet) and far apart (different /8s), all found again.
  const addresses: number[] = [];
  for (let i = 0; i < count; i++)
    addresses.push(i % 2 === 0 ? ip("10.0.0.0") + i : (i * 2654435761) % 2 ** 32);
  addresses.forEach((a, slot) => {
    index.add(a, slot, slot >> 4);
  });
  const first = new Map<number, number>();
  addresses.forEach((a, slot) => {
    if (!first.has(a)) first.set(a, slot);
  });
  for (const [a, slot] of first) {
    const bucket = index.find(a);
    assert.equal(index.slotAt(bucket), slot);
    assert.equal(index.eniAt(bucket), slot >> 4);
  }
  assert.equal(index.find(ip("11.0.0.0")), -1);
});
