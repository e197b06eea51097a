import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { SubnetReport } from "@eni-view/model";
import { cellAt, cellOrigin, columnsFor, gridGeometry, mappedSubnets, subnetOfIp } from "./subnetGrid.ts";

const subnet = (id: string, cidr: string, zone: string, used = true): SubnetReport =>
  ({ id, cidr, zone, used, ...(used ? { space: { free: 1 } } : {}) }) as unknown as SubnetReport;

describe("subnet grid", () => {
  test("rows are whole /28s: a /28 is one row, a /24 16 rows of 16, a /16 256 of 256", () => {
    assert.deepEqual([16, 256, 1024, 4096, 65536].map(columnsFor), [16, 16, 32, 64, 256]);
    const g = gridGeometry(65_536, 1000);
    assert.deepEqual([g.cols, g.rows, g.cell], [256, 256, 3]);
    assert.ok(g.width <= 1000);
  });

  test("a point maps back to the address whose cell it is in, and a gap to none", () => {
    const g = gridGeometry(256, 500);
    for (const index of [0, 15, 16, 37, 255]) {
      const { x, y } = cellOrigin(g, index);
      assert.equal(cellAt(g, x, y), index);
      assert.equal(cellAt(g, x + g.cell - 1, y + g.cell - 1), index);
    }
    const g2 = gridGeometry(1024, 800);
    assert.ok(g2.blockGap > 0);
    const after15 = cellOrigin(g2, 15);
    assert.equal(cellAt(g2, after15.x + g2.cell, after15.y), null, "the gap between two /28s");
    assert.equal(cellAt(g2, -1, 0), null);
    assert.equal(cellAt(g2, g2.width, 0), null);
  });

  test("the subnets drawn are those in use with a map, by zone then address; an IP finds its subnet", () => {
    const list = [
      subnet("c", "10.0.3.0/24", "b"),
      subnet("a", "10.0.10.0/24", "a"),
      subnet("b", "10.0.2.0/24", "a"),
      subnet("x", "10.0.9.0/24", "a", false),
    ];
    assert.deepEqual(
      mappedSubnets(list).map((s) => s.id),
      ["b", "a", "c"],
    );
    assert.equal(subnetOfIp(list, "10.0.3.77")?.id, "c");
    assert.equal(subnetOfIp(list, "172.16.0.1"), null);
    assert.equal(subnetOfIp(list, "not an ip"), null);
  });
});
