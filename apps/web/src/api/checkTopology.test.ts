import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { syntheticTopology } from "../dev/synthetic.ts";
import { checkTopology } from "./checkTopology.ts";

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
});
