// Rows build their cells on demand and the overview paints from a walk over them; both must give exactly the
// cells the plain construction gives: every cell, in order, at the same place, for any node.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EniReport, NodeReport } from "@eni-view/model";
import { syntheticTopology } from "../dev/synthetic.ts";
import { HEADROOM_CELLS_MAX, PAD, PITCH, ROW_LABEL_H } from "./metrics.ts";
import { type Cell, type EniRow, layoutNode } from "./nodeLayout.ts";
import { eni, slots, t3medium } from "./testNodes.ts";

/** The cells of one attached ENI, built one object at a time the plain way. */
function plainEniCells(e: EniReport, cols: number, top: number): Cell[] {
  const cells: Cell[] = [{ kind: "primary", x: PAD, y: top, ip: e.primaryIp, pod: null, prefix: null }];
  let line = 0;
  let col = 0;
  let prefix: string | undefined;
  for (const s of e.slots) {
    if (s.prefix !== undefined && s.prefix !== prefix && col > 0) {
      line++;
      col = 0;
    }
    prefix = s.prefix;
    if (col === cols) {
      line++;
      col = 0;
    }
    cells.push({
      kind: s.pod ? "pod" : "warm",
      x: PAD + PITCH + col * PITCH,
      y: top + line * PITCH,
      ip: s.ip,
      pod: s.pod,
      prefix: s.prefix ?? null,
    });
    col++;
  }
  const room = e.podCapacity ? Math.max(0, e.slotLimit - e.slots.length) : 0;
  if (room > 0 && e.slotLimit <= HEADROOM_CELLS_MAX)
    for (let i = 0; i < room; i++) {
      if (col === cols) {
        line++;
        col = 0;
      }
      cells.push({
        kind: "free",
        x: PAD + PITCH + col * PITCH,
        y: top + line * PITCH,
        ip: null,
        pod: null,
        prefix: null,
      });
      col++;
    }
  return cells;
}

function plainPlaceholderCells(perEni: number | null, cols: number, top: number): Cell[] {
  const cells: Cell[] = [{ kind: "placeholder", x: PAD, y: top, ip: null, pod: null, prefix: null }];
  if (perEni === null || perEni > HEADROOM_CELLS_MAX) return cells;
  for (let i = 0; i < perEni; i++)
    cells.push({
      kind: "placeholder",
      x: PAD + PITCH + (i % cols) * PITCH,
      y: top + Math.floor(i / cols) * PITCH,
      ip: null,
      pod: null,
      prefix: null,
    });
  return cells;
}

function walked(row: Pick<EniRow, "forEachCell">): Cell[] {
  const out: Cell[] = [];
  row.forEachCell((kind, x, y, ip, pod, prefix) => out.push({ kind, x, y, ip, pod, prefix }));
  return out;
}

const kindsSeen = new Set<string>();

function checkNode(node: NodeReport): void {
  const l = layoutNode(node);
  let pods = 0;
  for (const row of l.rows) {
    const top = row.y + ROW_LABEL_H;
    const plain = row.eni
      ? plainEniCells(row.eni, l.cols, top)
      : plainPlaceholderCells(node.capacity.podIpsPerEni, l.cols, top);
    // The walk before any cell object exists, the objects, then the walk over the objects.
    assert.deepEqual(walked(row), plain, `${node.name} ${row.eni?.id ?? `placeholder ${row.deviceIndex}`}`);
    assert.deepEqual([...row.cells], plain);
    assert.deepEqual(walked(row), plain);
    const lastY = Math.max(...plain.map((c) => c.y));
    assert.equal(row.height, ROW_LABEL_H + (lastY - top + PITCH), `${node.name} row height`);
    pods += plain.filter((c) => c.kind === "pod").length;
    for (const c of plain) kindsSeen.add(c.kind);
  }
  assert.equal(l.podCells, pods);
}

describe("a node's cells, built on demand", () => {
  it("are the plain construction's cells on every node of a synthetic cluster", () => {
    for (const n of syntheticTopology({ nodes: 60, podsPerNode: 25, seed: 5, pending: 3 }).nodes)
      checkNode(n);
  });

  it("are the plain construction's cells under prefix delegation", () => {
    for (const n of syntheticTopology({ nodes: 30, podsPerNode: 40, seed: 9, prefixDelegation: true }).nodes)
      checkNode(n);
  });

  it("are the plain construction's cells for wrapped lines, trunk ENIs and an idle node", () => {
    checkNode(t3medium("idle", [eni("eni-a", 0, slots(11, 5, 0))]));
    checkNode(t3medium("room", [eni("eni-a", 0, slots(11, 3, 1)), eni("eni-b", 1, slots(20, 1, 1))]));
    checkNode(
      t3medium("sgp", [
        eni("eni-a", 0, slots(11, 5, 3)),
        eni("eni-t", 1, [], { role: "trunk", interfaceType: "trunk", podCapacity: false }),
      ]),
    );
    checkNode(
      t3medium("big", [eni("eni-a", 0, slots(11, 29, 20), { slotLimit: 29 })], {
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
      }),
    );
  });

  it("cover every kind of cell", () => {
    assert.deepEqual([...kindsSeen].sort(), ["free", "placeholder", "pod", "primary", "warm"]);
  });
});
