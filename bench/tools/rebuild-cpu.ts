// What one pod change costs the model at a size the simulator cannot hold: a generated cluster (the
// eksCluster the scale benchmark's generated streams hand over, pods in namespace/name order), then pods
// removed one at a time, as a watch's DELETED would, each input rebuilt with the previous report and
// diffed against it. Prints this thread's CPU for each rebuild and diff (process.threadCpuUsage, so the
// load other work puts on the machine counts less than in wall time).
//   node bench/tools/rebuild-cpu.ts NODES [PODS_PER_NODE] [CHANGES]
import { buildReport, type ClusterInput, diffTopology, type Report, type Topology } from "@eni-view/model";
import { eksCluster } from "../../packages/model/src/testing/eksCluster.ts";

const [nodesArg, perNodeArg, changesArg] = process.argv.slice(2);
const nodes = Number(nodesArg);
const changes = Number(changesArg ?? 10);
if (!(nodes > 0)) throw new Error("usage: node bench/tools/rebuild-cpu.ts NODES [PODS_PER_NODE] [CHANGES]");

const cpuMs = (): number => {
  const used = process.threadCpuUsage();
  return (used.user + used.system) / 1000;
};
const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const topology = (report: Report, seq: number): Topology => ({
  ...report,
  seq,
  generatedAt: "",
  source: "generated",
  sources: {},
});

const generated = eksCluster(nodes, Number(perNodeArg ?? 30));
const key = (p: { namespace: string; name: string }) => `${p.namespace}/${p.name}`;
let input: ClusterInput = {
  ...generated,
  pods: [...generated.pods].sort((a, b) => (key(a) < key(b) ? -1 : 1)),
};
let started = cpuMs();
let report = buildReport(input);
console.log(
  `${nodes} nodes, ${input.pods.length} pods: first build ${(cpuMs() - started).toFixed(0)} ms of CPU`,
);
const withIp = input.pods.filter((p) => !p.hostNetwork && p.podIp !== null);
const rebuild: number[] = [];
const diff: number[] = [];
for (let i = 0; i < changes; i++) {
  const gone = withIp[(i * 7919) % withIp.length]!;
  const pods = input.pods.slice();
  pods.splice(pods.indexOf(gone), 1);
  input = { ...input, pods };
  started = cpuMs();
  const next = buildReport(input, report);
  const built = cpuMs();
  const delta = diffTopology(topology(report, i), topology(next, i + 1));
  diff.push(cpuMs() - built);
  rebuild.push(built - started);
  if (delta === null || !JSON.stringify(delta).includes(gone.name))
    throw new Error(`no delta for ${gone.name}`);
  report = next;
}
const list = (values: number[]) => values.map((v) => v.toFixed(1)).join(" ");
console.log(
  `rebuild with the previous report, ms of CPU: median ${median(rebuild).toFixed(1)} (${list(rebuild)})`,
);
console.log(`diff, ms of CPU: median ${median(diff).toFixed(1)} (${list(diff)})`);
