import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PITCH } from "./metrics.ts";
import { layoutNode, nodeLayoutOf } from "./nodeLayout.ts";
import { eni, slots, t3medium } from "./testNodes.ts";

describe("layoutNode", () => {
  it("draws a full t3.medium as 3 ENI rows in device-index order, each a primary cell and 5 pod cells", () => {
    const node = t3medium("ip-192-168-1-10.ap-northeast-2.compute.internal", [
      eni("eni-c", 2, slots(30, 5, 5)),
      eni("eni-a", 0, slots(11, 5, 5)),
      eni("eni-b", 1, slots(20, 5, 5)),
    ]);
    const l = layoutNode(node);
    assert.deepEqual(
      l.rows.map((r) => r.eni?.id),
      ["eni-a", "eni-b", "eni-c"],
    );
    for (const row of l.rows) {
      assert.deepEqual(
        row.cells.map((c) => c.kind),
        ["primary", "pod", "pod", "pod", "pod", "pod"],
      );
      assert.equal(row.cells[0]!.ip, row.eni!.primaryIp);
      assert.equal(row.cells[0]!.pod, null);
    }
    assert.equal(l.podCells, 15);
    // Rows stack downwards without overlapping.
    for (let i = 1; i < l.rows.length; i++)
      assert.ok(l.rows[i]!.y >= l.rows[i - 1]!.y + l.rows[i - 1]!.height);
  });

  it("shows an idle t3.medium's two unattached ENIs as dimmed placeholder rows of 5 pod slots", () => {
    const l = layoutNode(t3medium("idle", [eni("eni-a", 0, slots(11, 5, 0))]));
    assert.equal(l.rows.length, 3);
    assert.deepEqual(
      l.rows[0]!.cells.map((c) => c.kind),
      ["primary", "warm", "warm", "warm", "warm", "warm"],
    );
    for (const row of l.rows.slice(1)) {
      assert.equal(row.eni, null);
      assert.equal(row.cells.length, 6);
      assert.ok(row.cells.every((c) => c.kind === "placeholder"));
    }
    assert.deepEqual(
      l.rows.map((r) => r.deviceIndex),
      [0, 1, 2],
    );
  });

  it("keeps the box the same size when the second ENI attaches, so boxes do not jump", () => {
    const before = layoutNode(t3medium("n", [eni("eni-a", 0, slots(11, 5, 1))]));
    const after = layoutNode(
      t3medium("n", [eni("eni-a", 0, slots(11, 5, 1)), eni("eni-b", 1, slots(20, 5, 0))]),
    );
    assert.equal(after.height, before.height);
    assert.equal(after.width, before.width);
  });

  it("marks IPs without a pod as warm and keeps pod keys on pod cells", () => {
    const l = layoutNode(t3medium("n", [eni("eni-a", 0, slots(11, 5, 2))]));
    const cells = l.rows[0]!.cells;
    assert.deepEqual(
      cells.map((c) => [c.kind, c.ip, c.pod]),
      [
        ["primary", "192.168.1.10", null],
        ["pod", "192.168.1.11", "default/nginx-0"],
        ["pod", "192.168.1.12", "default/nginx-1"],
        ["warm", "192.168.1.13", null],
        ["warm", "192.168.1.14", null],
        ["warm", "192.168.1.15", null],
      ],
    );
  });

  it("shows room an attached ENI could still take as free cells", () => {
    const l = layoutNode(t3medium("n", [eni("eni-a", 0, slots(11, 3, 1))]));
    assert.deepEqual(
      l.rows[0]!.cells.map((c) => c.kind),
      ["primary", "pod", "warm", "warm", "free", "free"],
    );
  });

  it("lists hostNetwork pods apart from the ENI rows, since they hold no VPC IP", () => {
    const l = layoutNode(t3medium("n", [eni("eni-a", 0, slots(11, 5, 0))]));
    assert.deepEqual(
      l.hostPods.map((h) => h.pod.name),
      ["aws-node-abcde", "kube-proxy-fghij"],
    );
    const lastRow = l.rows.at(-1)!;
    assert.ok(l.hostY >= lastRow.y + lastRow.height);
    for (const row of l.rows) for (const c of row.cells) assert.ok(!c.pod?.includes("aws-node"));
    assert.ok(l.height > l.hostPods[0]!.y);
  });

  it("draws each delegated /28 as its own line of 16 cells", () => {
    const prefixA = "192.168.1.16/28";
    const prefixB = "192.168.1.32/28";
    const pdSlots = [
      ...Array.from({ length: 16 }, (_, i) => ({
        ip: `192.168.1.${16 + i}`,
        pod: i < 3 ? `web/api-${i}` : null,
        prefix: prefixA,
      })),
      ...Array.from({ length: 16 }, (_, i) => ({ ip: `192.168.1.${32 + i}`, pod: null, prefix: prefixB })),
    ];
    const node = t3medium("pd", [eni("eni-a", 0, pdSlots, { prefixes: [prefixA, prefixB], slotLimit: 80 })], {
      capacity: {
        instanceType: "t3.medium",
        known: true,
        vcpus: 2,
        maxEnis: 3,
        ipv4PerEni: 6,
        podEnis: 3,
        podIpsPerEni: 80,
        podIps: 240,
        maxPods: 110,
        maxPodsUncapped: 242,
        mode: "prefix-delegation",
      },
      maxPods: 110,
      maxPodsByEni: 110,
    });
    const l = layoutNode(node);
    assert.equal(l.cols, 16);
    const cells = l.rows[0]!.cells.filter((c) => c.kind !== "primary");
    assert.equal(cells.length, 32);
    const lineA = cells.filter((c) => c.prefix === prefixA);
    const lineB = cells.filter((c) => c.prefix === prefixB);
    assert.equal(new Set(lineA.map((c) => c.y)).size, 1);
    assert.equal(new Set(lineB.map((c) => c.y)).size, 1);
    assert.equal(lineB[0]!.y - lineA[0]!.y, PITCH);
    assert.equal(new Set(lineA.map((c) => c.x)).size, 16);
    // 48 more addresses fit on this ENI (80 - 32): too many to draw one by one, shown as a count.
    assert.equal(l.rows[0]!.hiddenSlots, 48);
    // The unattached ENIs would hold 80 pod IPs each: counted, not drawn as 80 cells.
    assert.equal(l.rows[1]!.hiddenSlots, 80);
  });

  it("wraps c5.4xlarge's 29 pod IPs per ENI into two balanced lines", () => {
    const node = t3medium("big", [eni("eni-a", 0, slots(11, 29, 29), { slotLimit: 29 })], {
      instanceType: "c5.4xlarge",
      capacity: {
        instanceType: "c5.4xlarge",
        known: true,
        vcpus: 16,
        maxEnis: 8,
        ipv4PerEni: 30,
        podEnis: 8,
        podIpsPerEni: 29,
        podIps: 232,
        maxPods: 234,
        maxPodsUncapped: null,
        mode: "secondary-ip",
      },
      eniSlotsFree: 7,
    });
    const l = layoutNode(node);
    assert.equal(l.cols, 15);
    const ys = l.rows[0]!.cells.filter((c) => c.kind === "pod").map((c) => c.y);
    assert.equal(new Set(ys).size, 2);
    assert.equal(l.rows.length, 8);
  });

  it("gives trunk ENIs no headroom cells: their IPs are not pod capacity", () => {
    const node = t3medium("sgp", [
      eni("eni-a", 0, slots(11, 5, 0)),
      eni("eni-t", 1, [], { role: "trunk", interfaceType: "trunk", podCapacity: false }),
    ]);
    const trunk = layoutNode(node).rows[1]!;
    assert.equal(trunk.eni?.role, "trunk");
    assert.deepEqual(
      trunk.cells.map((c) => c.kind),
      ["primary"],
    );
  });

  it("reuses the layout of an unchanged node report", () => {
    const node = t3medium("n", [eni("eni-a", 0, slots(11, 5, 0))]);
    assert.equal(nodeLayoutOf(node), nodeLayoutOf(node));
    assert.notEqual(nodeLayoutOf(node), nodeLayoutOf({ ...node }));
  });
});
