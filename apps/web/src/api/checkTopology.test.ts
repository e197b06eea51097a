import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeTopology } from "@eni-view/model";
import { syntheticTopology } from "../dev/synthetic.ts";
import { checkTopology, readTopology } from "./checkTopology.ts";

describe("checkTopology", () => {
  it("accepts a topology", () => {
    const t = syntheticTopology({ nodes: 3, podsPerNode: 5 });
    assert.equal(checkTopology(JSON.parse(JSON.stringify(t)), "snapshot").nodes.length, 3);
  });

  it("names what is missing", () => {
    const t = syntheticTopology({ nodes: 1, podsPerNode: 1 }) as unknown as Record<string, unknown>;
    assert.throws(
      () => checkTopology({ ...t, pods: undefined }, "/api/topology"),
      /\/api\/topology has no "pods" list/,
    );
    assert.throws(() => checkTopology([], "snapshot"), /snapshot is not a topology object/);
    assert.throws(
      () => checkTopology({ ...t, nodes: [{ name: "n" }] }, "snapshot"),
      /a node lacks its name, enis, hostNetworkPods or capacity/,
    );
  });

  it("reads the compact form the page asks for, and plain JSON, to the same topology", () => {
    const t = syntheticTopology({ nodes: 4, podsPerNode: 6, prefixDelegation: true, pending: 2 });
    const plain = JSON.parse(JSON.stringify(t));
    const compact = JSON.parse(JSON.stringify(encodeTopology(t)));
    assert.deepEqual(readTopology(compact, "the stream's snapshot"), plain);
    assert.deepEqual(readTopology(plain, "/api/topology"), plain);
  });

  it("names the source of a compact form that does not decode", () => {
    const t = syntheticTopology({ nodes: 2, podsPerNode: 2 });
    const compact = JSON.parse(JSON.stringify(encodeTopology(t)));
    compact.slotPods = [];
    assert.throws(
      () => readTopology(compact, "the stream's snapshot"),
      /^ApiError: the stream's snapshot: compact topology: slotPods does not match the slots/,
    );
  });
});
