import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { historyPoints } from "./queries.ts";

const point = {
  t: "2026-11-23T11:33:56.274Z",
  nodes: 3,
  enis: 6,
  ipsAssigned: 30,
  ipsUsed: 4,
  ipsWarm: 26,
  podsRunning: 10,
  podsPending: 0,
};

describe("historyPoints", () => {
  it("reads the server's { minutes, points } answer and a bare list", () => {
    assert.deepEqual(historyPoints({ minutes: 360, points: [point] }), [point]);
    assert.deepEqual(historyPoints([point]), [point]);
  });

  it("says so when the answer holds no points", () => {
    assert.throws(() => historyPoints({ minutes: 360 }), /without a list of points/);
    assert.throws(() => historyPoints(null), /without a list of points/);
  });
});
