// How each node kind's box is laid out: branch ENIs under their trunk, other cards' interfaces apart, pods
// on no ENI still drawn, "ENIs unknown" instead of "not attached".
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { eniCaption } from "../draw/nodeBox.ts";
import { layoutNode } from "./nodeLayout.ts";
import { eni, slots, t3medium } from "./testNodes.ts";

describe("node boxes of every kind", () => {
  test("security groups for pods: the trunk at eth1 and its branches under it, never above eth0", () => {
    const node = t3medium("sgp", [
      eni("eni-p", 0, slots(20, 5, 2)),
      eni("eni-b1", -1, [{ ip: "192.168.1.90", pod: "default/sg-0" }], {
        role: "branch",
        interfaceType: "branch",
        podCapacity: false,
        slotLimit: 1,
      }),
      eni("eni-t", 1, [], { role: "trunk", interfaceType: "trunk", podCapacity: false }),
      eni("eni-b2", -1, [{ ip: "192.168.1.91", pod: "default/sg-1" }], {
        role: "branch",
        interfaceType: "branch",
        podCapacity: false,
        slotLimit: 1,
      }),
    ]);
    const l = layoutNode({ ...node, eniSlotsFree: 1 });
    assert.deepEqual(
      l.rows.map((r) => [r.kind, r.eni?.id ?? null, r.deviceIndex]),
      [
        ["eni", "eni-p", 0],
        ["eni", "eni-t", 1],
        ["eni", "eni-b1", -1],
        ["eni", "eni-b2", -1],
        ["placeholder", null, 2],
      ],
    );
    const branchRow = l.rows[2]!;
    assert.match(eniCaption(branchRow.eni, branchRow.deviceIndex, 0), /^└ branch /);
    // A branch ENI's one IP is its pod's: one pod cell, no node-address cell.
    assert.deepEqual(
      branchRow.cells.map((c) => c.kind),
      ["pod"],
    );
  });

  test("other network cards: EFA-only interfaces as one row of cells, never slots", () => {
    const efa = Array.from({ length: 31 }, (_, k) =>
      eni(`eni-efa-${k}`, 0, [], {
        networkCardIndex: k + 1,
        onDefaultCard: false,
        role: "efa",
        interfaceType: "efa-only",
        primaryIp: null,
        podCapacity: false,
      }),
    );
    const l = layoutNode(t3medium("gpu", [eni("eni-p", 0, slots(20, 5, 1)), ...efa], { eniSlotsFree: 1 }));
    assert.deepEqual(
      l.rows.map((r) => r.kind),
      ["eni", "placeholder", "interfaces"],
    );
    const row = l.rows[2]!;
    assert.equal(row.caption, "31 efa-only interfaces on 31 other cards · no pod IPs");
    assert.equal(row.cells.length, 31);
    assert.ok(row.cells.every((c) => c.kind === "interface" && c.pod === null));
    assert.match(row.cells[4]!.prefix ?? "", /^card 5 · eth0 · efa-only · eni-efa-4$/);
  });

  test("ENIs unknown: the node's pods are still drawn, and no 'not attached' row", () => {
    const l = layoutNode(
      t3medium("no-ec2", [], {
        enisKnown: false,
        eniSlotsFree: 0,
        podsOffEni: ["default/a", "default/b"],
      }),
    );
    assert.deepEqual(
      l.rows.map((r) => [r.kind, r.caption]),
      [["off-eni", "ENIs unknown: no EC2 data for this node · 2 pods"]],
    );
    assert.deepEqual(
      l.rows[0]!.cells.map((c) => c.pod),
      ["default/a", "default/b"],
    );
    assert.equal(l.podCells, 2);
  });

  test("hybrid: the pod CIDR row holds the pods", () => {
    const l = layoutNode(
      t3medium("mi-1", [], {
        kind: "hybrid",
        enisKnown: false,
        eniSlotsFree: 0,
        podCidrs: ["10.86.1.0/24"],
        podsOffEni: ["default/edge-0"],
      }),
    );
    assert.equal(l.rows.length, 1);
    assert.equal(l.rows[0]!.caption, "pod CIDR 10.86.1.0/24 · 1 pod · no ENIs (hybrid)");
    assert.equal(l.podCells, 1);
  });
});
