// Where the server's bytes go, per pod: the model input the server holds (as its Kubernetes and EC2
// adapters keep it: repeated pod texts, label sets and scheduling stored once), the reflectors' indexes over it, the report built
// from it and the compact snapshot text the stream serves. Each part is built in turn in this process and
// measured as the V8 heap it adds after a full collection.
//   node --expose-gc bench/tools/memory-breakdown.ts INPUT.json
// INPUT.json: the ClusterInput a server held (BENCH_SCALE_INPUT=FILE node bench/run.ts --only scale ...).
import { readFileSync } from "node:fs";
import {
  buildReport,
  type ClusterInput,
  type EniInput,
  encodeTopology,
  type PodInput,
  type Topology,
} from "@eni-view/model";
import { shared, sharedLabels, sharedScheduling } from "../../apps/server/src/sources/kube/map.ts";

const file = process.argv[2];
if (!file) throw new Error("usage: node --expose-gc bench/tools/memory-breakdown.ts INPUT.json");
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");

function heap(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

const text = readFileSync(file, "utf8");
const keep: unknown[] = [];
const parts: { part: string; bytes: number }[] = [];
let last = heap();
function measure(part: string, make: () => unknown): void {
  keep.push(make());
  const now = heap();
  parts.push({ part, bytes: now - last });
  last = now;
}

const parsed = JSON.parse(text) as ClusterInput;
const base = heap();
// The input arrives as one parsed document; the server holds each pod as its adapter made it, with the
// texts its map shares (kube/map.ts `shared`) stored once. Rebuild each section so its heap is its own.
const clone = <T>(x: T): T => structuredClone(x);
last = heap();
const pods: PodInput[] = [];
measure("pods: PodInput objects", () => {
  for (const p of parsed.pods) {
    const c = clone(p);
    c.namespace = shared(c.namespace);
    c.nodeName = shared(c.nodeName);
    c.owner = shared(c.owner);
    c.status = shared(c.status);
    c.scheduledReason = shared(c.scheduledReason);
    c.scheduledMessage = shared(c.scheduledMessage);
    c.waitingReason = shared(c.waitingReason);
    c.createdAt = shared(c.createdAt);
    for (const k of Object.keys(c.labels)) c.labels[k] = shared(c.labels[k]!);
    c.labels = sharedLabels(c.labels);
    if (c.scheduling) c.scheduling = sharedScheduling(c.scheduling);
    pods.push(c);
  }
  return pods;
});
measure("pods: reflector store (items in namespace/name order, their namespaces and names beside)", () => {
  // As kube/reflector.ts holds them: the pod's own name and namespace strings, no joined key.
  const sorted = pods
    .map((p) => ({ k: `${p.namespace}/${p.name}`, p }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map(({ p }) => p);
  return {
    namespaces: sorted.map((p) => p.namespace),
    names: sorted.map((p) => p.name),
    items: sorted,
  };
});
let enis: EniInput[] = [];
measure("ENIs: EniInput objects (secondary IPs and prefixes as text)", () => {
  enis = parsed.enis.map(clone);
  return enis;
});
const rest = {
  nodes: parsed.nodes.map(clone),
  instances: parsed.instances.map(clone),
  subnets: parsed.subnets.map(clone),
};
measure("nodes, instances, subnets", () => rest);
const input: ClusterInput = { ...parsed, pods, enis, ...rest };
let report: ReturnType<typeof buildReport> | null = null;
measure("report: nodes, ENIs, slots, pods, totals (buildReport)", () => {
  report = buildReport(input);
  return report;
});
measure("compact snapshot text (what the stream sends, cached per change)", () =>
  JSON.stringify(encodeTopology({ ...(report as unknown as Topology), seq: 1 } as Topology)),
);
const total = parts.reduce((n, p) => n + p.bytes, 0);
const n = parsed.pods.length;
console.log(
  `${parsed.nodes.length} nodes, ${n} pods, ${parsed.enis.length} ENIs (parsed document ${((base - 0) / 2 ** 20).toFixed(0)} MB heap, not counted)`,
);
console.log("| part | MB | bytes per pod |");
console.log("|---|---:|---:|");
for (const p of parts)
  console.log(`| ${p.part} | ${(p.bytes / 2 ** 20).toFixed(1)} | ${(p.bytes / n).toFixed(0)} |`);
console.log(`| total | ${(total / 2 ** 20).toFixed(1)} | ${(total / n).toFixed(0)} |`);
void keep;
