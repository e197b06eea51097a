import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { SubnetReport, SubnetSpace } from "@eni-view/model";
import { SubnetHistory } from "./subnetHistory.ts";

function subnet(id: string, free: number, freeBlocks28: number, mapped = true): SubnetReport {
  const space = { free, freeBlocks28 } as SubnetSpace;
  return {
    id,
    name: null,
    cidr: "10.0.0.0/22",
    zone: "z",
    availableIps: free,
    totalIps: 1019,
    enis: 0,
    ipsAssigned: 0,
    ipsUsed: 0,
    ipsWarm: 0,
    used: mapped,
    ...(mapped ? { space } : {}),
  };
}

describe("subnet history", () => {
  it("forecasts from the samples of its window and forgets older ones", () => {
    const h = new SubnetHistory(10 * 60_000);
    // 30 minutes of one sample a minute; a fall of 10 a minute only in the last 10.
    for (let m = 0; m <= 30; m++) {
      const free = m < 20 ? 600 : 600 - 10 * (m - 20);
      h.record(m * 60_000, [subnet("a", free, 20), subnet("b", 5, 0, false)]);
    }
    const f = h.forecast("a")!;
    assert.equal(f.windowSeconds, 600);
    assert.equal(f.freePerHour, -600);
    assert.equal(f.emptyInSeconds, 50 * 60, "500 left at 10 a minute");
    assert.equal(f.noBlockInSeconds, null);
    assert.equal(h.forecast("b"), null, "an unmapped subnet has no samples");
  });

  it("decorates the mapped subnets, the same array until the forecasts move", () => {
    const h = new SubnetHistory();
    const subnets = [subnet("a", 100, 3), subnet("b", 5, 0, false)];
    const first = h.withForecasts(subnets);
    assert.equal(first[0]!.forecast, null);
    assert.equal("forecast" in first[1]!, false);
    assert.equal(h.withForecasts(subnets), first);
    h.record(0, subnets);
    assert.notEqual(h.withForecasts(subnets), first);
  });
});
