import assert from "node:assert/strict";
import { test } from "node:test";
import { nodeShape } from "./nodeShape.ts";

test("a t3.medium node allows 17 pods and 1930m cpu, as kubectl describe node shows on EKS", () => {
  const shape = nodeShape("t3.medium", { prefixDelegation: false });
  assert.equal(shape.maxPods, 17);
  assert.equal(shape.vcpus, 2);
  assert.equal(shape.allocatableCpuMilli, 1930);
  // 11 x 17 + 255 MiB kube-reserved and 100 MiB eviction threshold come off capacity.
  assert.equal(shape.capacityMemoryKi - shape.allocatableMemoryKi, (11 * 17 + 355) * 1024);
});

test("c5d.large allows 29 pods; prefix delegation caps t3.medium at 110", () => {
  assert.equal(nodeShape("c5d.large", { prefixDelegation: false }).maxPods, 29);
  assert.equal(nodeShape("t3.medium", { prefixDelegation: true }).maxPods, 110);
  assert.equal(nodeShape("t3.medium", { prefixDelegation: false, maxPods: 110 }).maxPods, 110);
});

test("unknown types and types without memory facts are refused with a clear message", () => {
  assert.throws(
    () => nodeShape("x9.huge", { prefixDelegation: false }),
    /"x9.huge" is not in the model's table/,
  );
  assert.throws(() => nodeShape("p5.48xlarge", { prefixDelegation: false }), /give memoryMiB/);
  assert.equal(nodeShape("p5.48xlarge", { prefixDelegation: false, memoryMiB: 2_097_152 }).maxPods, 100);
});
