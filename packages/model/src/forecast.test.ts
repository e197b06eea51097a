import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { describeForecast, forecastExhaustion, formatDuration, type SpaceSample } from "./forecast.ts";

const minute = 60_000;
/** One sample a minute for `minutes`, free addresses from `free` changing by `perMinute`. */
function line(
  minutes: number,
  free: number,
  perMinute: number,
  blocks = 10,
  blocksPerMinute = 0,
): SpaceSample[] {
  return Array.from({ length: minutes + 1 }, (_, i) => ({
    t: 1_700_000_000_000 + i * minute,
    free: free + perMinute * i,
    freeBlocks28: Math.max(0, blocks + blocksPerMinute * i),
  }));
}

describe("subnet exhaustion forecast", () => {
  test("a steady fall of 2 addresses a minute from 520 to 460 leaves 3 h 50 min", () => {
    const f = forecastExhaustion(line(30, 520, -2))!;
    assert.equal(f.windowSeconds, 1800);
    assert.equal(f.freePerHour, -120);
    // 460 left at 2 a minute: 230 minutes.
    assert.equal(f.emptyInSeconds, 230 * 60);
    assert.equal(f.noBlockInSeconds, null);
    assert.equal(
      describeForecast("10.0.32.0/19", f),
      "at this rate 10.0.32.0/19 is empty in about 3 h 50 min (rate over the last 30 min, 120 addresses/h)",
    );
  });

  test("free /28s falling on their own have their own time", () => {
    const f = forecastExhaustion(line(10, 300, 0, 12, -1))!;
    assert.equal(f.emptyInSeconds, null);
    assert.equal(f.blocksPerHour, -60);
    assert.equal(f.noBlockInSeconds, 2 * 60);
  });

  test("rising or flat is not falling; noise around a level is not a fall", () => {
    assert.equal(forecastExhaustion(line(20, 100, 1))!.emptyInSeconds, null);
    const noisy = line(20, 100, 0).map((s, i) => ({ ...s, free: s.free + (i % 2 === 0 ? 3 : -3) }));
    assert.equal(
      describeForecast("10.0.0.0/24", forecastExhaustion(noisy)),
      "10.0.0.0/24: free addresses not falling (rate over the last 20 min)",
    );
  });

  test("too little history gives no forecast, and an empty subnet is empty now", () => {
    assert.equal(forecastExhaustion(line(1, 100, -5)), null, "two samples");
    const withinHalfAMinute = line(30, 100, -1).map((s, i) => ({ ...s, t: 1_700_000_000_000 + i * 1000 }));
    assert.equal(forecastExhaustion(withinHalfAMinute), null, "30 samples over 30 s");
    assert.match(describeForecast("10.0.0.0/24", null), /no forecast yet/);
    const gone = forecastExhaustion(line(10, 20, -2))!;
    assert.equal(gone.emptyInSeconds, 0);
    assert.equal(describeForecast("10.0.0.0/24", gone), "10.0.0.0/24 has no free address left");
  });

  test("durations read as a person says them", () => {
    assert.deepEqual([30, 60, 45 * 60, 7800, 7200, 3 * 86400 + 4 * 3600].map(formatDuration), [
      "under a minute",
      "1 min",
      "45 min",
      "2 h 10 min",
      "2 h",
      "3 d 4 h",
    ]);
  });
});
