// The model benchmark, in a process of its own (run with --expose-gc): buildReport timed on a ClusterInput
// the server built from the simulator through its Kubernetes and EC2 adapters (written to a JSON file by
// bench/procs/server.ts), and the heap the finished report holds.
//   node --expose-gc bench/procs/model.ts input.json [runs] [warmup]   -> one JSON line on stdout
import { readFileSync } from "node:fs";
import { buildReport, type ClusterInput } from "@eni-view/model";

const [file, runsArg, warmupArg] = process.argv.slice(2);
if (!file) throw new Error("usage: node --expose-gc bench/procs/model.ts input.json [runs] [warmup]");
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");
const runs = Number(runsArg ?? 7);
const warmup = Number(warmupArg ?? 1);
const input = JSON.parse(readFileSync(file, "utf8")) as ClusterInput;

const times: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < warmup + runs; i++) {
  gc();
  const c = process.cpuUsage();
  const t = performance.now();
  const report = buildReport(input);
  const wall = performance.now() - t;
  const used = process.cpuUsage(c);
  if (report.nodes.length !== input.nodes.length) throw new Error("buildReport lost nodes");
  if (i >= warmup) {
    times.push(wall);
    cpu.push((used.user + used.system) / 1000);
  }
}
// The heap a finished report holds: heap with it kept, minus the heap without it.
const held: unknown[] = [];
const retained: number[] = [];
for (let i = 0; i < 3; i++) {
  held.length = 0;
  gc();
  const before = process.memoryUsage().heapUsed;
  held.push(buildReport(input));
  gc();
  retained.push(process.memoryUsage().heapUsed - before);
}
held.length = 0;
console.log(
  JSON.stringify({
    times,
    cpu,
    retained,
    nodes: input.nodes.length,
    pods: input.pods.length,
    enis: input.enis.length,
    events: input.events.length,
  }),
);
