import assert from "node:assert/strict";
import { test } from "node:test";
import { distinctInput } from "./distinct.ts";
import { buildReport } from "./report.ts";
import { randomCluster } from "./testing/randomCluster.ts";

test("a cluster without repeats comes back as it was", () => {
  const input = randomCluster(7);
  const { input: same, warnings } = distinctInput(input);
  assert.equal(same, input);
  assert.deepEqual(warnings, []);
});

test("a node and a pod given twice are counted once, and said", () => {
  const input = randomCluster(7);
  const doubled = {
    ...input,
    nodes: [...input.nodes, input.nodes[0]!],
    pods: [input.pods[1]!, ...input.pods],
    enis: [...input.enis, input.enis[0]!],
  };
  const { input: once, warnings } = distinctInput(doubled);
  assert.deepEqual(warnings, [
    `1 node given more than once, counted once: ${input.nodes[0]!.name}`,
    `1 pod given more than once, counted once: ${input.pods[1]!.namespace}/${input.pods[1]!.name}`,
    `1 ENI given more than once, counted once: ${input.enis[0]!.id}`,
  ]);
  const counted = buildReport(once);
  const original = buildReport(input);
  assert.equal(counted.summary.nodes, original.summary.nodes);
  assert.equal(counted.summary.podsRunning, original.summary.podsRunning);
  assert.equal(counted.summary.ipsUsed, original.summary.ipsUsed);
});

test("a capture with a repeated node and pod is reported counted once, with the warning", () => {
  const input = { ...randomCluster(7), capturedAt: null };
  const report = buildReport({
    ...input,
    nodes: [...input.nodes, input.nodes[0]!],
    pods: [...input.pods, input.pods[0]!],
  });
  const original = buildReport(input);
  assert.equal(report.summary.nodes, original.summary.nodes);
  assert.equal(report.summary.podsRunning, original.summary.podsRunning);
  assert.ok(report.warnings.includes(`1 node given more than once, counted once: ${input.nodes[0]!.name}`));
});
