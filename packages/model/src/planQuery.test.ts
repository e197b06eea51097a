import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatPlanQuery, PlanQueryError, parsePlanQuery } from "./planQuery.ts";

function refused(query: string): PlanQueryError {
  try {
    parsePlanQuery(query);
  } catch (e) {
    assert.ok(e instanceof PlanQueryError, `${query}: ${(e as Error).message}`);
    return e;
  }
  assert.fail(`${query} was accepted`);
}

describe("parsePlanQuery", () => {
  it("reads the scale lab's plan: 50 nginx replicas with prefix delegation on rolled nodes, over 3 seeds", () => {
    const plan = parsePlanQuery(
      "scale=default/nginx-deployment=50&set=ENABLE_PREFIX_DELEGATION=true&set=WARM_PREFIX_TARGET=1&roll=*&seeds=3",
    );
    assert.deepEqual(plan.seeds, [1, 2, 3]);
    assert.deepEqual(plan.changes, [
      {
        kind: "scale",
        workload: { kind: "Deployment", namespace: "default", name: "nginx-deployment" },
        replicas: 50,
      },
      { kind: "roll-nodes" },
      { kind: "set", settings: { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1" } },
    ]);
  });

  it("reads node changes, a StatefulSet and an ENIConfig", () => {
    const plan = parsePlanQuery(
      "scale=statefulset/db/pg=3&add=ng-1=2:m5.large&remove=ng-2=1&type=ng-1=c5d.large&newgroup=big=3:m5.xlarge&eniconfig=ap-northeast-2a=subnet-0abc12345&roll=ng-1",
    );
    assert.deepEqual(plan.changes, [
      { kind: "scale", workload: { kind: "StatefulSet", namespace: "db", name: "pg" }, replicas: 3 },
      { kind: "add-nodes", nodeGroup: "ng-1", count: 2, instanceType: "m5.large" },
      { kind: "remove-nodes", nodeGroup: "ng-2", count: 1 },
      { kind: "instance-type", nodeGroup: "ng-1", instanceType: "c5d.large" },
      { kind: "new-node-group", name: "big", nodes: 3, instanceType: "m5.xlarge" },
      { kind: "eni-config", name: "ap-northeast-2a", subnetId: "subnet-0abc12345" },
      { kind: "roll-nodes", nodeGroup: "ng-1" },
    ]);
    assert.deepEqual(plan.seeds, [1, 2, 3, 4, 5]);
  });

  it("gives back the query it was read from", () => {
    const query = "scale=default/web=40&more=default/web-abc=3&add=ng-1=2&set=WARM_IP_TARGET=5&seeds=2";
    assert.equal(formatPlanQuery(parsePlanQuery(query)), query);
  });

  it("names the field of each bad value", () => {
    assert.deepEqual(
      [
        "scale=default/web=-3",
        "add=ng-1=many",
        "set=WARM_BANANA_TARGET=1",
        "frobnicate=1",
        "type=ng-1=not a type",
        "seeds=11",
        "seeds=0",
        "",
      ].map((q) => refused(q).field),
      ["scale", "add", "WARM_BANANA_TARGET", "frobnicate", "type", "seeds", "seeds", "plan"],
    );
    assert.match(refused("scale=default/web=-3").message, /the count -3 is negative/);
    assert.match(refused("remove=ng-1=9999999").message, /more than 5,000/);
    assert.match(refused("set=WARM_IP_TARGET=1&set=WARM_IP_TARGET=2").message, /set twice/);
  });

  it("refuses a plan longer than a link can carry, or with too many changes", () => {
    assert.match(refused(`scale=default/${"a".repeat(1600)}=1`).message, /limited to 1500/);
    const many = Array.from({ length: 17 }, (_, i) => `add=ng-${i}=1`).join("&");
    assert.match(refused(many).message, /at most 16 changes/);
  });
});
