import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { SubnetReport } from "@eni-view/model";
import { summarySubnets } from "./summarySubnets.ts";

const subnet = (i: number, free: number): SubnetReport => ({
  id: `subnet-${i}`,
  name: null,
  cidr: `10.${i}.0.0/16`,
  zone: "ap-northeast-2a",
  availableIps: free,
  totalIps: 65_531,
  enis: 0,
  ipsAssigned: 0,
  ipsUsed: 0,
  ipsWarm: 0,
});

describe("the summary bar's subnets", () => {
  it("draws every subnet while they are few", () => {
    const few = [1, 2, 3].map((i) => subnet(i, 1000 * i));
    assert.deepEqual(summarySubnets(few), { shown: few, more: null });
  });

  it("past nine, draws the six with the least room in their order and counts the rest with their least room", () => {
    const many = Array.from({ length: 60 }, (_, i) => subnet(i, 13_000 + i * 100));
    many[40] = subnet(40, 200);
    many[7] = subnet(7, 5_000);
    const { shown, more } = summarySubnets(many);
    assert.deepEqual(
      shown.map((s) => s.id),
      ["subnet-0", "subnet-1", "subnet-2", "subnet-3", "subnet-7", "subnet-40"],
    );
    assert.equal(more?.count, 54);
    assert.equal(more?.leastFree, (13_000 + 4 * 100) / 65_531);
  });
});
