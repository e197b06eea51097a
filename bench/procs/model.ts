// The model benchmark, in a process of its own (run with --expose-gc): buildReport timed on a ClusterInput
// the server built from the simulator through its Kubernetes and EC2 adapters (written to a JSON file by
// bench/procs/server.ts), and the heap the finished report holds. Then what the server does on a one-pod
// change: the input without one running pod (every other object the same, as the Kubernetes watcher hands
// them over), rebuilt with the previous topology and diffed against it (`rebuild`, `diff`), next to the
// same changes built from scratch (`rebuildFresh`, `diffFresh`).
//   node --expose-gc bench/procs/model.ts input.json [runs] [warmup]   -> one JSON line on stdout
import { readFileSync } from "node:fs";
import { buildReport, type ClusterInput, diffTopology, type Report, type Topology } from "@eni-view/model";

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

const topology = (report: Report, seq: number): Topology => ({
  ...report,
  seq,
  generatedAt: new Date(0).toISOString(),
  source: "bench",
  sources: {},
});
// Running pods with an IP, spread over the list: each run deletes another one.
const deletable = input.pods.flatMap((p, i) =>
  p.phase === "Running" && !p.hostNetwork && p.podIp ? [i] : [],
);
const rebuild: number[] = [];
const diff: number[] = [];
const rebuildFresh: number[] = [];
const diffFresh: number[] = [];
// Change i deletes one more pod than change i - 1, so that each delta is one pod.
const gone = new Set<number>();
const changes = Array.from({ length: warmup + runs }, (_, i): ClusterInput => {
  gone.add(deletable[Math.floor(((i + 0.5) * deletable.length) / (warmup + runs))]!);
  return { ...input, pods: input.pods.filter((_, k) => !gone.has(k)) };
});
const freshDeltas: string[] = [];
// Each change in a loop of its own, holding only the topology before it and the one after, as the server does.
for (const withPrevious of [false, true]) {
  let before = topology(buildReport(input), 1);
  for (let i = 0; i < changes.length; i++) {
    // No forced collection here: the server's builds follow each other with none either.
    let t = performance.now();
    const after = topology(
      withPrevious ? buildReport(changes[i]!, before) : buildReport(changes[i]!),
      before.seq + 1,
    );
    const built = performance.now() - t;
    t = performance.now();
    const delta = diffTopology(before, after);
    const diffed = performance.now() - t;
    if (delta?.pods === undefined) throw new Error("the change made no pod delta");
    if (!withPrevious) freshDeltas.push(JSON.stringify(delta));
    else if (JSON.stringify(delta) !== freshDeltas[i]) throw new Error("the rebuild's delta differs");
    if (i >= warmup) {
      (withPrevious ? rebuild : rebuildFresh).push(built);
      (withPrevious ? diff : diffFresh).push(diffed);
    }
    // The next change starts from this one's result.
    before = after;
  }
}
console.log(
  JSON.stringify({
    times,
    cpu,
    retained,
    rebuild,
    diff,
    rebuildFresh,
    diffFresh,
    nodes: input.nodes.length,
    pods: input.pods.length,
    enis: input.enis.length,
    events: input.events.length,
  }),
);
