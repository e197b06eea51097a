// The node-group gauges count ENIs as the report does, on a capture of every kind of node.
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildReport } from "@eni-view/model";
import { readCaptureFolder } from "../sources/dump/readCaptureFolder.ts";
import { nodeGroupFigures } from "./clusterMetrics.ts";

const mixed = new URL("../sources/dump/fixtures/mixed-cluster", import.meta.url).pathname;

test("per node group: the default card's ENIs of those the kind allows, not branches or other cards' EFAs", async () => {
  const figures = nodeGroupFigures(buildReport(await readCaptureFolder(mixed)).nodes);
  const enis = (group: string) => {
    const g = figures.get(group)!;
    return [g.enisAttached, g.enisPossible];
  };
  // p5.48xlarge: the ENA primary and the EFA-only interface fill card 0's 2 slots; 31 EFA-only elsewhere.
  assert.deepEqual(enis("gpu"), [2, 2]);
  // Windows pods use the primary ENI alone: 1 of 1, not 1 of m5.large's 3.
  assert.deepEqual(enis("windows"), [1, 1]);
  assert.deepEqual(enis("ng-general"), [4, 6]);
  // The two Fargate nodes, one ENI each.
  assert.deepEqual(enis("none"), [2, 2]);
});
