import assert from "node:assert/strict";
import { test } from "node:test";
import { scaleInVictims } from "./scaleIn.ts";

const node = (name: string, zone: string, createdAt: string) => ({ name, zone, createdAt });

test("the zone with the most nodes loses one first, even when the newest node is elsewhere", () => {
  const nodes = [
    node("a1", "2a", "2026-12-01T00:00:00Z"),
    node("a2", "2a", "2026-12-02T00:00:00Z"),
    node("b1", "2b", "2026-12-05T00:00:00Z"),
  ];
  assert.deepEqual(
    scaleInVictims(nodes, 1).map((n) => n.name),
    ["a2"],
  );
  // Then the zones are even: the newest of them goes.
  assert.deepEqual(
    scaleInVictims(nodes, 2).map((n) => n.name),
    ["a2", "b1"],
  );
});

test("balanced zones: the newest node goes, and never more than the group holds", () => {
  const nodes = [
    node("a1", "2a", "2026-12-01T00:00:00Z"),
    node("b1", "2b", "2026-12-03T00:00:00Z"),
    node("c1", "2c", "2026-12-02T00:00:00Z"),
  ];
  assert.deepEqual(
    scaleInVictims(nodes, 5).map((n) => n.name),
    ["b1", "c1", "a1"],
  );
});
