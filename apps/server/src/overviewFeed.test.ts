import assert from "node:assert/strict";
import { it } from "node:test";
import { buildReport, diffTopology, type Topology } from "@eni-view/model";
import { touchedNodes } from "./overviewFeed.ts";
import { readCaptureFolder } from "./sources/dump/index.ts";

const lab = new URL("./fixtures/lab-2-replicas", import.meta.url).pathname;

it("a change touches the nodes of the pods it changes in place or removes, and no other node", async () => {
  const report = buildReport(await readCaptureFolder(lab));
  const before: Topology = { ...report, seq: 1, generatedAt: "", source: "dump", sources: {} };
  const onNodes = report.pods.filter((p) => p.node);
  const changed = onNodes[0]!;
  const removed = onNodes.find((p) => p.node !== changed.node)!;
  assert.ok(removed, "the lab has pods on two nodes");
  const after: Topology = {
    ...before,
    seq: 2,
    pods: report.pods
      .filter((p) => p !== removed)
      .map((p) => (p === changed ? { ...p, status: "Terminating" } : p)),
  };
  const delta = diffTopology(before, after)!;
  assert.ok(delta.pods?.patch?.length, "the status travels as a patch of the pod");
  assert.deepEqual([...touchedNodes(before, delta)].sort(), [changed.node, removed.node].sort());
});
