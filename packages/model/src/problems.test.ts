import assert from "node:assert/strict";
import { test } from "node:test";
import { indexProblems, problemEntry } from "./problems.ts";
import { randomTopology, seeded } from "./testing/randomTopology.ts";
import type { NodeReport } from "./types.ts";

const base = (): NodeReport => randomTopology(seeded(7), { nodes: 1 }).nodes[0]!;

test("a NotReady or cordoned node's line says how many pods stand on it, not pods waiting for an IP", () => {
  const node: NodeReport = { ...base(), ready: false, cordoned: true, pods: 12, podsWaitingForIp: 0 };
  for (const kind of ["not-ready", "cordoned"] as const) {
    const entry = problemEntry(kind, node);
    assert.equal(entry.detail, "12 pods on it", kind);
    assert.deepEqual(entry.values, { pods: 12, count: 12 }, kind);
  }
  const waiting = problemEntry("waiting-for-ip", { ...node, podsWaitingForIp: 1 });
  assert.equal(waiting.detail, "1 bound pod without an IP");
});

test("the list files each node under every problem it has, in the list's order", () => {
  const node: NodeReport = { ...base(), ready: false, cordoned: true, podsWaitingForIp: 3 };
  const index = indexProblems([node], []);
  const kinds = index.byNode.get(node.name)!;
  assert.deepEqual(kinds.slice(0, 2), ["not-ready", "waiting-for-ip"]);
  assert.ok(kinds.includes("cordoned"));
  assert.deepEqual(
    [...index.byKind.keys()].filter((k) => k === "not-ready" || k === "cordoned"),
    ["not-ready", "cordoned"],
  );
  assert.equal(index.byKind.get("waiting-for-ip")![0]!.detail, "3 bound pods without an IP");
});
