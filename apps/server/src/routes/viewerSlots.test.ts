import assert from "node:assert/strict";
import { test } from "node:test";
import { type Viewer, ViewerSlots } from "./viewerSlots.ts";

let clock = 0;
const now = () => clock;

class FakeViewer implements Viewer {
  readonly address: string;
  readonly token: string | null;
  stuck: number | null = null;
  dropped: string | null = null;
  constructor(address: string, token: string | null = null) {
    this.address = address;
    this.token = token;
  }
  stuckSince() {
    return this.stuck;
  }
  drop(reason: { text: string }) {
    this.dropped = reason.text;
  }
}

function fill(slots: ViewerSlots, n: number, address: string, token: string | null = null): FakeViewer[] {
  const out: FakeViewer[] = [];
  for (let i = 0; i < n; i++) {
    assert.equal(slots.admit(address, token).ok, true);
    const v = new FakeViewer(address, token);
    slots.add(v);
    out.push(v);
  }
  return out;
}

test("one address gets at most perAddress streams, with a reason; others still get in", () => {
  clock = 0;
  const slots = new ViewerSlots({ max: 10, perAddress: 3 }, now);
  fill(slots, 3, "10.0.0.1");
  const refused = slots.admit("10.0.0.1");
  assert.deepEqual(refused.ok, false);
  if (!refused.ok) {
    assert.equal(refused.status, 429);
    assert.match(refused.reason, /at most 3 live streams from one address \(10\.0\.0\.1\)/);
  }
  assert.equal(slots.admit("10.0.0.2").ok, true);
});

test("a full server with every viewer reading refuses a newcomer with 503", () => {
  clock = 0;
  const slots = new ViewerSlots({ max: 4, perAddress: 4 }, now);
  fill(slots, 4, "10.0.0.1");
  const refused = slots.admit("10.0.0.9");
  assert.equal(refused.ok, false);
  if (!refused.ok) assert.equal(refused.status, 503);
});

test("when full of streams that read nothing, a real viewer takes the place of the one stuck longest", () => {
  clock = 100_000;
  const slots = new ViewerSlots({ max: 200, perAddress: 200, stalledYieldMs: 5_000 }, now);
  const hogs = fill(slots, 200, "10.6.6.6");
  hogs.forEach((h, i) => {
    h.stuck = 90_000 + i; // stuck 10 s or so, the first longest
  });
  hogs[0]!.stuck = null; // this one reads
  assert.equal(slots.admit("10.0.0.2").ok, true);
  assert.equal(hogs[0]!.dropped, null);
  assert.match(hogs[1]!.dropped ?? "", /server was full and this stream took no data/);
  assert.equal(slots.size, 199);
  assert.ok(hogs.slice(2).every((h) => h.dropped === null));
});

test("a stream stuck only briefly keeps its place", () => {
  clock = 10_000;
  const slots = new ViewerSlots({ max: 1, perAddress: 1, stalledYieldMs: 5_000 }, now);
  const [v] = fill(slots, 1, "10.0.0.1");
  v!.stuck = 8_000;
  assert.equal(slots.admit("10.0.0.2").ok, false);
  assert.equal(v!.dropped, null);
});

test("sweep drops streams stuck past stalledDropMs, saying how long", () => {
  clock = 0;
  const slots = new ViewerSlots({ stalledDropMs: 60_000 }, now);
  const [reading, stuck] = fill(slots, 2, "10.0.0.1");
  stuck!.stuck = 0;
  clock = 59_999;
  assert.equal(slots.sweep(), 0);
  clock = 60_000;
  assert.equal(slots.sweep(), 1);
  assert.match(stuck!.dropped ?? "", /took no data for 60 s/);
  assert.equal(reading!.dropped, null);
  assert.equal(slots.size, 1);
});

test("one access token gets at most perToken streams from any number of addresses; another token still gets in", () => {
  clock = 0;
  const slots = new ViewerSlots({ max: 10, perAddress: 10, perToken: 4, stalledYieldMs: 5_000 }, now);
  const leaked = [...fill(slots, 2, "10.0.0.1", "token 1"), ...fill(slots, 2, "10.0.0.2", "token 1")];
  const refused = slots.admit("10.0.0.3", "token 1");
  assert.equal(refused.ok, false);
  if (!refused.ok) {
    assert.equal(refused.status, 429);
    assert.equal(refused.error, "too-many-streams-for-token");
    assert.match(refused.reason, /at most 4 live streams share one access token \(token 1\)/);
  }
  // The other team's token, from the same address as a refused one, is let in.
  fill(slots, 1, "10.0.0.3", "token 2");
  // A stream of the full token that took no data for 5 s gives its place to a newcomer with that token.
  leaked[1]!.stuck = 0;
  clock = 5_000;
  assert.equal(slots.admit("10.0.0.4", "token 1").ok, true);
  assert.match(leaked[1]!.dropped ?? "", /same access token took the place/);
  assert.equal(leaked[0]!.dropped, null);
});
