// How long one plan takes on a big cluster, and what its answer costs to send: by default 5,000 m5.xlarge
// nodes with 28 pods each, one Deployment scaled up by 1,000 pods, 5 seeds; or a ClusterInput kept by
// `node bench/run.ts --only model --keep-input DIR` (the simulator's `large` scenario, its biggest
// Deployment scaled). Prints per run the wall and CPU time of the planner, of the answer as the page gets
// it (the changes against the cluster it holds) and of the whole planned cluster, with their sizes.
//   node bench/tools/planSpeed.ts [nodes] [podsPerNode] [morePods] [runs] [--input DIR/input-5000.json] [--stages]
// --stages: the planner's CPU time step by step (context, each seed, the planned input and report, the
// summaries) instead of the answers.
// For a profile: node --cpu-prof --cpu-prof-dir=DIR bench/tools/planSpeed.ts ...
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import {
  buildReport,
  type ClusterInput,
  encodeTopology,
  type PlanChange,
  planCluster,
  planDelta,
  type Topology,
} from "@eni-view/model";
import { planContext } from "../../packages/model/src/plan/planCluster.ts";
import { plannedInput } from "../../packages/model/src/plan/plannedInput.ts";
import { runSeed } from "../../packages/model/src/plan/runSeed.ts";
import {
  firstLimit,
  planEc2,
  planNodes,
  planPending,
  planSettle,
  planSubnets,
} from "../../packages/model/src/plan/summarise.ts";
import { eksCluster } from "../../packages/model/src/testing/eksCluster.ts";

const { values, positionals } = parseArgs({
  options: { input: { type: "string" }, stages: { type: "boolean", default: false } },
  allowPositionals: true,
});
const [nodes = 5000, perNode = 28, more = 1000, runs = 3] = positionals.map(Number);
const cluster: ClusterInput = values.input
  ? (JSON.parse(readFileSync(values.input, "utf8")) as ClusterInput)
  : eksCluster(nodes, perNode);

/** The Deployment with the most pods. */
function biggest(input: ClusterInput): { namespace: string; name: string; pods: number } {
  const counts = new Map<string, number>();
  for (const p of input.pods) {
    const [kind, name] = (p.owner ?? "").split("/");
    if (kind !== "Deployment" || !name || p.deleting) continue;
    const key = `${p.namespace}/${name}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const [key, pods] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? ["", 0];
  const [namespace = "", name = ""] = key.split("/");
  return { namespace, name, pods };
}

// A server plans on the topology it already built: the planned report reuses what the change leaves alone.
const t = performance.now();
const previous = buildReport(cluster);
const base: Topology = { ...previous, seq: 1, generatedAt: "", source: "plan", sources: {} };
const target = biggest(cluster);
const change: PlanChange = {
  kind: "scale",
  workload: { kind: "Deployment", namespace: target.namespace, name: target.name },
  replicas: target.pods + more,
};
console.log(
  `${cluster.nodes.length} nodes, ${cluster.pods.length} pods (report as is ${(performance.now() - t).toFixed(0)} ms); ` +
    `Deployment ${target.namespace}/${target.name} ${target.pods} -> ${target.pods + more}, 5 seeds`,
);
const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
const timed = <T>(f: () => T): { value: T; ms: number; cpu: number } => {
  const t0 = performance.now();
  const c0 = process.threadCpuUsage();
  const value = f();
  return { value, ms: performance.now() - t0, cpu: cpuMs(process.threadCpuUsage(c0)) };
};
const mb = (s: string) => `${(s.length / 1048576).toFixed(2)} MB`;
/** planCluster's steps one by one, as it runs them, each with its CPU time. */
function stages(): string {
  const parts: string[] = [];
  const step = <T>(name: string, f: () => T): T => {
    const r = timed(f);
    parts.push(`${name} ${r.cpu.toFixed(0)}`);
    return r.value;
  };
  const ctx = step("context", () => planContext({ cluster, previous, changes: [change] }));
  const seeds = [1, 2, 3, 4, 5].map((s) => step(`seed ${s}`, () => runSeed(ctx, s)));
  const input = step("planned input", () => plannedInput(ctx.index, ctx.plan, seeds[0]!));
  step("planned report", () => buildReport(input, previous));
  step("summaries", () => {
    const settle = planSettle(ctx, seeds);
    planNodes(ctx, seeds);
    planPending(ctx.index, seeds);
    planSubnets(ctx, seeds);
    planEc2(seeds, settle, undefined);
    firstLimit(ctx, seeds[0]!);
  });
  return `ms CPU: ${parts.join(", ")}`;
}

for (let i = 0; i < runs; i++) {
  if (values.stages) {
    console.log(`run ${i + 1}: ${stages()}`);
    continue;
  }
  const plan = timed(() => planCluster({ cluster, previous, changes: [change] }));
  const { report, ...rest } = plan.value;
  // What the page is sent: the changes against the topology it holds, beside the planner's figures.
  const changes = timed(() => JSON.stringify({ ...rest, delta: planDelta(previous, report) }));
  const whole = timed(() => JSON.stringify({ ...rest, report: encodeTopology({ ...base, ...report }) }));
  // CPU time beside wall time: on a shared machine the wall clock also counts other processes' turns.
  console.log(
    `run ${i + 1}: planner ${plan.ms.toFixed(0)} ms wall, ${plan.cpu.toFixed(0)} ms CPU; ` +
      `answer with the changes ${changes.ms.toFixed(0)} ms (${changes.cpu.toFixed(0)} ms CPU), ${mb(changes.value)}; ` +
      `with the whole planned cluster ${whole.ms.toFixed(0)} ms (${whole.cpu.toFixed(0)} ms CPU), ${mb(whole.value)}; ` +
      `${plan.value.pending.length} Pending; ${plan.value.ec2.summary}`,
  );
}
