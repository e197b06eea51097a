import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LeaderElector, timingProblem } from "./leaderElector.ts";
import { MemoryLeaseStore } from "./memoryLeaseStore.ts";

const timing = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };

function setup() {
  const store = new MemoryLeaseStore();
  let t = Date.parse("2026-12-06T14:00:00Z");
  const clock = { now: () => t, advance: (ms: number) => (t += ms) };
  const log: string[] = [];
  const elector = (identity: string) =>
    new LeaderElector({
      ...timing,
      store,
      identity,
      annotations: { "eni-view.io/peer-url": `http://${identity}:8080` },
      now: clock.now,
      onStartedLeading: () => log.push(`${identity} leads`),
      onStoppedLeading: () => log.push(`${identity} stops`),
    });
  return { store, clock, log, elector };
}

describe("leader election over a Lease (client-go's rules)", () => {
  it("the first candidate creates the Lease and leads; the second follows while it is renewed", async () => {
    const { store, clock, log, elector } = setup();
    const a = elector("a");
    const b = elector("b");
    await a.step();
    await b.step();
    assert.deepEqual(log, ["a leads"]);
    const lease = store.current!.record;
    assert.equal(lease.holderIdentity, "a");
    assert.equal(lease.leaseDurationSeconds, 15);
    assert.equal(lease.leaseTransitions, 0);
    assert.match(lease.renewTime!, /^2026-12-06T14:00:00\.000000Z$/);
    for (let i = 0; i < 20; i++) {
      clock.advance(2_000);
      await a.step();
      await b.step();
    }
    assert.deepEqual(log, ["a leads"]);
    assert.equal(store.current!.record.acquireTime, lease.acquireTime, "a renewal keeps the acquire time");
    assert.equal(
      b.lease()?.annotations["eni-view.io/peer-url"],
      "http://a:8080",
      "the follower knows where the leader is",
    );
  });

  it("a follower takes the Lease one lease duration after the last renewal it saw, counting a transition", async () => {
    const { store, clock, log, elector } = setup();
    const a = elector("a");
    const b = elector("b");
    await a.step();
    await b.step();
    // a dies: b still waits out the lease as measured from when it saw the last renewal.
    clock.advance(14_000);
    await b.step();
    assert.equal(b.isLeader(), false);
    clock.advance(1_000);
    await b.step();
    assert.equal(b.isLeader(), true);
    assert.deepEqual(log, ["a leads", "b leads"]);
    assert.equal(store.current!.record.holderIdentity, "b");
    assert.equal(store.current!.record.leaseTransitions, 1);
    assert.equal(store.current!.record.acquireTime, store.current!.record.renewTime);
    // a comes back (it was paused, not dead): it sees b's Lease and steps down at once.
    await a.step();
    assert.equal(a.isLeader(), false);
    assert.deepEqual(log, ["a leads", "b leads", "a stops"]);
  });

  it("a leader that cannot renew steps down after the renew deadline, before anyone may take over", async () => {
    const { store, clock, log, elector } = setup();
    const a = elector("a");
    await a.step();
    store.down = true;
    clock.advance(8_000);
    await a.step();
    assert.equal(a.isLeader(), true, "still within the renew deadline");
    clock.advance(2_000);
    await a.step();
    assert.equal(a.isLeader(), false);
    assert.deepEqual(log, ["a leads", "a stops"]);
  });

  it("of two candidates writing from the same read, one wins (409 for the other)", async () => {
    const { store, elector } = setup();
    const a = elector("a");
    const b = elector("b");
    await Promise.all([a.step(), b.step()]);
    assert.equal([a.isLeader(), b.isLeader()].filter(Boolean).length, 1);
    assert.equal(store.current!.record.holderIdentity, a.isLeader() ? "a" : "b");
  });

  it("a leader that stops releases the Lease, and a follower takes it at its next try", async () => {
    const { store, clock, elector } = setup();
    const a = elector("a");
    const b = elector("b");
    await a.step();
    await b.step();
    await a.stop();
    assert.equal(store.current!.record.holderIdentity, "");
    clock.advance(2_000);
    await b.step();
    assert.equal(b.isLeader(), true);
    assert.equal(store.current!.record.leaseTransitions, 1);
  });

  it("refuses timings client-go refuses", () => {
    assert.match(
      timingProblem({ ...timing, renewDeadlineMs: 15_000 }) ?? "",
      /lease duration must be greater/,
    );
    assert.match(timingProblem({ ...timing, retryPeriodMs: 9_000 }) ?? "", /renew deadline must be greater/);
    assert.equal(timingProblem(timing), null);
  });
});
