import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PlanBusyError, PlanQueue } from "./planQueue.ts";

/** A task that ends when its `finish` is called, recording when it started. */
function gate(log: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return {
    task: async () => {
      log.push(`start ${name}`);
      await done;
      log.push(`end ${name}`);
      return name;
    },
    finish: () => finish(),
  };
}

describe("PlanQueue", () => {
  it("runs plans one at a time, in the order they came", async () => {
    const log: string[] = [];
    const q = new PlanQueue();
    const a = gate(log, "a");
    const b = gate(log, "b");
    const pa = q.run("10.0.0.1", a.task);
    const pb = q.run("10.0.0.2", b.task);
    await Promise.resolve();
    assert.deepEqual(log, ["start a"]);
    assert.equal(q.size, 2);
    a.finish();
    assert.equal(await pa, "a");
    b.finish();
    assert.equal(await pb, "b");
    assert.deepEqual(log, ["start a", "end a", "start b", "end b"]);
    assert.equal(q.size, 0);
  });

  it("refuses a second plan from a client whose first is under way, and takes it once that one is done", async () => {
    const q = new PlanQueue();
    const a = gate([], "a");
    const pa = q.run("10.0.0.1", a.task);
    await assert.rejects(
      q.run("10.0.0.1", async () => "again"),
      (e: unknown) => {
        assert.ok(e instanceof PlanBusyError);
        assert.equal(e.status, 429);
        assert.match(e.message, /a plan from this client is still running/);
        return true;
      },
    );
    a.finish();
    await pa;
    assert.equal(await q.run("10.0.0.1", async () => "next"), "next");
  });

  it("refuses newcomers once the waiting list is full, and keeps going after a failed plan", async () => {
    const q = new PlanQueue({ maxWaiting: 1 });
    const a = gate([], "a");
    const pa = q.run("a", async () => {
      await a.task();
      throw new Error("planner failed");
    });
    const pb = q.run("b", async () => "b");
    await assert.rejects(
      q.run("c", async () => "c"),
      /the planner is busy \(2 plans under way\)/,
    );
    a.finish();
    await assert.rejects(pa, /planner failed/);
    assert.equal(await pb, "b");
  });
});
