import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputMirror, InputSender } from "./inputSync.ts";

describe("input sync to the planner's thread", () => {
  const a = { name: "pod-a" };
  const b = { name: "pod-b" };
  const c = { name: "pod-c" };
  const node = { name: "node-1" };

  it("sends each item once and rebuilds the same input on the other side", () => {
    const sender = new InputSender();
    const mirror = new InputMirror();
    const first = sender.update({ clusterName: "lab", pods: [a, b], nodes: [node], cni: { warm: 1 } });
    assert.equal(first.lists.pods!.added.length, 2);
    assert.deepEqual(mirror.apply(structuredClone(first)), {
      clusterName: "lab",
      pods: [a, b],
      nodes: [node],
      cni: { warm: 1 },
    });
    // One pod gone, one new: only the new one crosses.
    const second = sender.update({ clusterName: "lab", pods: [b, c], nodes: [node], cni: { warm: 1 } });
    assert.deepEqual(
      second.lists.pods!.added.map(([, item]) => item),
      [c],
    );
    assert.equal(second.lists.nodes!.added.length, 0);
    assert.deepEqual(mirror.apply(structuredClone(second)).pods, [b, c]);
  });

  it("sends an item again that left the input and came back (the thread let it go)", () => {
    const sender = new InputSender();
    const mirror = new InputMirror();
    mirror.apply(structuredClone(sender.update({ pods: [a, b] })));
    mirror.apply(structuredClone(sender.update({ pods: [b] })));
    const back = sender.update({ pods: [a, b] });
    assert.deepEqual(
      back.lists.pods!.added.map(([, item]) => item),
      [a],
    );
    assert.deepEqual(mirror.apply(structuredClone(back)).pods, [a, b]);
  });

  it("sends everything again to a new thread", () => {
    const sender = new InputSender();
    sender.update({ pods: [a, b] });
    sender.forget();
    assert.equal(sender.update({ pods: [a, b] }).lists.pods!.added.length, 2);
  });
});
