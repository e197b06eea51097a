import assert from "node:assert/strict";
import { test } from "node:test";
import { seeded } from "../seeded.ts";
import type { PodScheduling } from "../types.ts";
import { chooseNode } from "./chooseNode.ts";
import { addToUsage, emptyUsage, type NodeUsage, type ScheduleNode } from "./nodeFit.ts";
import { podSchedulingFromSpec } from "./podScheduling.ts";

function node(name: string, pods = 17, labels: Record<string, string> = {}): ScheduleNode {
  return {
    name,
    labels,
    unschedulable: false,
    ready: true,
    pods,
    cpuMilli: 1930,
    memoryBytes: 3 * 2 ** 30,
    podEni: 0,
  };
}

const nginx: PodScheduling = podSchedulingFromSpec({ containers: [{ name: "nginx", image: "nginx" }] });

test("a pod requesting nothing scores with the scheduler's defaults of 100m and 200Mi", () => {
  assert.equal(nginx.cpuMilli, 0);
  assert.equal(nginx.cpuScoreMilli, 100);
  assert.equal(nginx.memoryScoreBytes, 200 * 2 ** 20);
  const requests = podSchedulingFromSpec({
    containers: [{ resources: { requests: { cpu: "250m", memory: "64Mi" } } }, {}],
    nodeSelector: { role: "web" },
  });
  assert.equal(requests.cpuMilli, 250);
  assert.equal(requests.cpuScoreMilli, 350);
  assert.deepEqual(requests.nodeSelector, { role: "web" });
});

test("spreads one owner's pods: the node with fewer of them wins over a less allocated one", () => {
  const nodes = [node("a"), node("b")];
  const usage = new Map<string, NodeUsage>(nodes.map((n) => [n.name, emptyUsage()]));
  addToUsage(usage.get("a") as NodeUsage, nginx, "rs-1", 1);
  addToUsage(usage.get("b") as NodeUsage, nginx, "other", 1);
  addToUsage(usage.get("b") as NodeUsage, nginx, "other", 1);
  const choice = chooseNode(nginx, "rs-1", nodes, (n) => usage.get(n.name) as NodeUsage, seeded(1));
  assert.equal(choice.node?.name, "b");
});

test("three full t3.medium nodes give kube-scheduler's Too many pods message", () => {
  const nodes = [node("a", 2), node("b", 2), node("c", 2)];
  const full = emptyUsage();
  addToUsage(full, nginx, null, 1);
  addToUsage(full, nginx, null, 1);
  const choice = chooseNode(nginx, "rs-1", nodes, () => full, seeded(1));
  assert.equal(
    choice.message,
    "0/3 nodes are available: 3 Too many pods. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
  );
});

test("a node selector no node matches is not helped by preemption", () => {
  const pod = podSchedulingFromSpec({ containers: [{}], nodeSelector: { gpu: "yes" } });
  const choice = chooseNode(pod, null, [node("a"), node("b", 17, { gpu: "no" })], emptyUsage, seeded(1));
  assert.equal(
    choice.message,
    "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
  );
});

test("equal nodes are picked by the seed, and every one can be picked", () => {
  const nodes = [node("a"), node("b"), node("c")];
  const picked = new Set<string>();
  for (let seed = 1; seed <= 20; seed++) {
    const choice = chooseNode(nginx, "rs-1", nodes, emptyUsage, seeded(seed));
    picked.add(choice.node?.name ?? "none");
    assert.equal(chooseNode(nginx, "rs-1", nodes, emptyUsage, seeded(seed)).node?.name, choice.node?.name);
  }
  assert.deepEqual([...picked].sort(), ["a", "b", "c"]);
});
