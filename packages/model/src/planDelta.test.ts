import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Topology } from "./api.ts";
import { applyDelta, DeltaSequenceError, diffTopology } from "./delta.ts";
import { planCluster } from "./plan/planCluster.ts";
import type { PlanChange } from "./plan/types.ts";
import { applyPlanDelta, planDelta } from "./planDelta.ts";
import { buildReport } from "./report.ts";
import { eksCluster } from "./testing/eksCluster.ts";
import { decodeTopology, encodeTopology } from "./wire.ts";

// 8 m5.xlarge nodes in node group ng-1 over 4 zones, 12 pods each.
const cluster = eksCluster(8, 12);
const report = buildReport(cluster);
const plannedAt = "2026-12-06T12:00:00.000Z";
// The live topology as the page holds it: the server's seq, and subnets with their exhaustion forecasts.
const live: Topology = {
  ...report,
  subnets: report.subnets.map((s) => ({
    ...s,
    forecast: {
      windowSeconds: 600,
      freePerHour: -40,
      emptyInSeconds: 9000,
      blocksPerHour: -3,
      noBlockInSeconds: 8000,
    },
  })),
  seq: 41,
  generatedAt: "2026-12-06T11:59:58.000Z",
  source: "sim",
  sources: {},
};

/** The planned topology both ways: whole, as GET /api/plan sends it, and as the delta applied to `live`,
 * each through JSON as it travels. */
function bothWays(changes: PlanChange[]) {
  const planned = planCluster({ cluster, previous: report, changes }).report;
  const wire = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
  const whole = decodeTopology(
    wire(encodeTopology({ ...planned, seq: 41, generatedAt: plannedAt, source: "plan", sources: {} })),
  );
  const delta = wire(planDelta(report, planned));
  const viaDelta = applyPlanDelta(live, { delta, basedOn: { seq: 41 }, plannedAt });
  return { planned, whole, delta, viaDelta };
}

const webPods = cluster.pods.filter((p) => p.owner === "Deployment/web").length;

describe("a plan sent as what it changes in the live topology", () => {
  test("scaling a workload: the page builds the same planned cluster as the whole form, and is sent less", () => {
    const { whole, delta, viaDelta } = bothWays([
      {
        kind: "scale",
        workload: { kind: "Deployment", namespace: "default", name: "web" },
        replicas: webPods + 5,
      },
    ]);
    assert.deepEqual(viaDelta, whole);
    assert.equal(viaDelta.pods.length, live.pods.length + 5);
    // Nodes the plan leaves alone are the live topology's own objects, so their drawings are reused.
    const touched = new Set(delta.nodes?.patch?.map((p) => p.key));
    assert.ok(touched.size > 0 && touched.size < live.nodes.length);
    for (const n of viaDelta.nodes) if (!touched.has(n.name)) assert.ok(live.nodes.includes(n));
    assert.ok(JSON.stringify(delta).length < JSON.stringify(encodeTopology(whole)).length / 2);
  });

  test("a roll-over to another instance type: replaced nodes go, new ones come, forecasts do not stay", () => {
    const { whole, viaDelta } = bothWays([
      { kind: "instance-type", nodeGroup: "ng-1", instanceType: "m5.2xlarge" },
    ]);
    assert.deepEqual(viaDelta, whole);
    assert.ok(viaDelta.nodes.every((n) => !live.nodes.some((l) => l.name === n.name)));
    assert.ok(viaDelta.subnets.every((s) => s.forecast === undefined));
  });

  test("keying only the pods not shared by both lists gives the stream's own delta", () => {
    const asTopology = (pods: Topology["pods"], seq: number): Topology => ({ ...live, pods, seq });
    const pods = report.pods;
    // A report lists pods node by node, not in key order: the case the quick walk is for.
    const key = (p: { namespace: string; name: string }) => `${p.namespace}/${p.name}`;
    assert.ok(pods.some((p, i) => i > 0 && key(pods[i - 1] as typeof p) > key(p)));
    const at = (i: number) => pods[i] as (typeof pods)[number];
    const cases: [string, Topology["pods"]][] = [
      [
        "one gone, one changed, one new",
        [...pods.slice(1, 5), { ...at(5), ip: "10.9.9.9" }, ...pods.slice(6), { ...at(0), name: "new-pod" }],
      ],
      ["two swapped", [at(1), at(0), ...pods.slice(2)]],
      ["a new pod in the middle", [...pods.slice(0, 7), { ...at(7), name: "zz-new" }, ...pods.slice(7)]],
    ];
    for (const [what, next] of cases) {
      const quick = diffTopology(asTopology(pods, 1), asTopology(next, 2), true);
      assert.deepEqual(quick, diffTopology(asTopology(pods, 1), asTopology(next, 2)), what);
      assert.deepEqual(applyDelta(asTopology(pods, 1), quick!).pods, next, what);
    }
  });

  test("the delta applies only to the topology it was planned on", () => {
    const { delta } = bothWays([{ kind: "set", settings: { WARM_IP_TARGET: "5" } }]);
    assert.throws(
      () => applyPlanDelta({ ...live, seq: 42 }, { delta, basedOn: { seq: 41 }, plannedAt }),
      DeltaSequenceError,
    );
  });
});
