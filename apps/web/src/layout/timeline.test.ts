import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { TimelinePoint } from "@eni-view/model";
import { advance, frameIndex, nextChange, previousChange, stepPath, tOf, xOf } from "./timeline.ts";

const point = (t: number, running: number, pending = 0): TimelinePoint => ({
  t,
  running,
  pending,
  ipsAssigned: running + 5,
  ipsUsed: running,
  ipsWarm: 5,
  enis: 3,
  subnetFree: 4000 - running,
});
const points = [point(1000, 2), point(2000, 8), point(2000, 9), point(5000, 30, 4), point(9000, 30)];

describe("the recording timeline", () => {
  it("shows the last change at or before a moment, none before the first", () => {
    assert.equal(frameIndex(points, 999), -1);
    assert.equal(frameIndex(points, 1000), 0);
    assert.equal(frameIndex(points, 4999), 2);
    assert.equal(frameIndex(points, 1e12), 4);
  });

  it("steps from change to change, a shared millisecond counting as one change", () => {
    assert.equal(nextChange(points, 1500), 2000);
    assert.equal(nextChange(points, 2000), 5000);
    assert.equal(nextChange(points, 9000), null);
    assert.equal(previousChange(points, 5000), 2000);
    assert.equal(previousChange(points, 2500), 1000);
    assert.equal(previousChange(points, 1000), null);
  });

  it("maps moments to pixels and back", () => {
    const f = { from: 1000, to: 9000, width: 800, height: 60 };
    assert.equal(xOf(5000, f), 400);
    assert.equal(tOf(400, f), 5000);
    assert.equal(tOf(-20, f), 1000);
    assert.equal(tOf(900, f), 9000);
  });

  it("draws a total as a step line scaled to its own maximum", () => {
    const f = { from: 1000, to: 9000, width: 800, height: 60 };
    const { d, max } = stepPath(points, "pending", f);
    assert.equal(max, 4);
    // Flat at 0 until 5000 (x 400), up to the top, back down at 9000 (x 800).
    assert.equal(d, "M0,58.0H400V2.0H800V58.0H800");
  });

  it("plays at a speed and stops at the end", () => {
    assert.deepEqual(advance(1000, 100, 10, 9000), { at: 2000, ended: false });
    assert.deepEqual(advance(8500, 100, 60, 9000), { at: 9000, ended: true });
  });
});
