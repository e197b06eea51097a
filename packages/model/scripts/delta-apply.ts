// One-pod deltas on a saved ClusterInput: a pod takes a warm IP or leaves its slot, one change at a time
// (the pod list kept in key order, as the model makes it). Reports the delta's bytes and the time
// applyDelta takes (the page's cost of a live update), and checks every applied topology against the
// changed one. With --old MODULE, also times that module's applyDelta on the same changes sent the way
// deltas were before slot-level patches (changed nodes whole, the summary whole). Also times diffTopology
// on the same changes (the server's cost when unchanged objects are shared).
// Usage: node packages/model/scripts/delta-apply.ts input.json [changes] [--old /tmp/old-delta.ts]
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { applyDelta, buildReport, diffTopology, type PodReport, type Topology } from "../src/index.ts";

const args = process.argv.slice(2);
const oldAt = args.indexOf("--old");
const oldPath = oldAt >= 0 ? args.splice(oldAt, 2)[1] : undefined;
const [file, countArg] = args;
if (!file) throw new Error("usage: delta-apply.ts input.json [changes] [--old module]");
const changes = Number(countArg ?? 200);
const old = oldPath
  ? ((await import(oldPath)) as { applyDelta: (t: Topology, d: unknown) => Topology })
  : undefined;

const report = buildReport(JSON.parse(readFileSync(file, "utf8")));
let topology: Topology = {
  ...report,
  seq: 1,
  generatedAt: new Date(0).toISOString(),
  source: "sim",
  sources: {},
};
const key = (p: { namespace: string; name: string }) => `${p.namespace}/${p.name}`;

let seed = 12345;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};

/** One pod in or out on a random node, sharing everything else with `prev`. */
function change(prev: Topology): Topology {
  const ni = Math.floor(random() * prev.nodes.length);
  const node = prev.nodes[ni]!;
  const enis = node.enis.slice();
  const adding = random() < 0.5;
  const ei = enis.findIndex(
    (e) => e.podCapacity && e.slots.some((s) => (adding ? s.pod === null : s.pod !== null)),
  );
  if (ei < 0) return prev;
  const eni = enis[ei]!;
  const si = eni.slots.findIndex((s) => (adding ? s.pod === null : s.pod !== null));
  const slots = eni.slots.slice();
  let pods: PodReport[];
  if (adding) {
    const pod: PodReport = {
      namespace: "default",
      name: `live-${prev.seq}-${Math.floor(random() * 1e6).toString(36)}`,
      node: node.name,
      ip: slots[si]!.ip,
      eni: eni.id,
      phase: "Running",
      status: "Running",
      owner: "Deployment/live",
      labels: { app: "live" },
    };
    slots[si] = { ...slots[si]!, pod: key(pod) };
    let lo = 0;
    let hi = prev.pods.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (key(prev.pods[mid]!) < key(pod)) lo = mid + 1;
      else hi = mid;
    }
    pods = prev.pods.slice();
    pods.splice(lo, 0, pod);
  } else {
    const gone = slots[si]!.pod!;
    slots[si] = { ...slots[si]!, pod: null };
    pods = prev.pods.filter((p) => key(p) !== gone);
  }
  const d = adding ? 1 : -1;
  enis[ei] = { ...eni, slots, ipsUsed: eni.ipsUsed + d, ipsWarm: eni.ipsWarm - d };
  const nodes = prev.nodes.slice();
  nodes[ni] = { ...node, enis, ipsUsed: node.ipsUsed + d, ipsWarm: node.ipsWarm - d, pods: node.pods + d };
  const s = prev.summary;
  return {
    ...prev,
    seq: prev.seq + 1,
    nodes,
    pods,
    summary: { ...s, ipsUsed: s.ipsUsed + d, ipsWarm: s.ipsWarm - d, pods: s.pods + d },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!;
const bytes: number[] = [];
const applyMs: number[] = [];
const diffMs: number[] = [];
const oldApplyMs: number[] = [];
const oldBytes: number[] = [];
// The page's copy, built only by applying deltas, as the browser's is.
let page = topology;
let oldPage = topology;
for (let i = 0; i < changes; i++) {
  const next = change(topology);
  if (next === topology) continue;
  const d0 = performance.now();
  const delta = diffTopology(topology, next)!;
  diffMs.push(performance.now() - d0);
  const text = JSON.stringify(delta);
  bytes.push(Buffer.byteLength(text));
  const wire = JSON.parse(text);
  const t0 = performance.now();
  page = applyDelta(page, wire);
  applyMs.push(performance.now() - t0);
  if (old) {
    const changed = next.nodes.filter((n, j) => n !== topology.nodes[j]);
    const before = new Set(topology.pods);
    const after = new Set(next.pods);
    const oldDelta = JSON.stringify({
      seq: next.seq,
      generatedAt: next.generatedAt,
      summary: next.summary,
      nodes: { upsert: changed, remove: [] },
      pods: {
        upsert: next.pods.filter((p) => !before.has(p)),
        remove: topology.pods.filter((p) => !after.has(p)).map(key),
      },
    });
    oldBytes.push(Buffer.byteLength(oldDelta));
    const parsed = JSON.parse(oldDelta);
    const t1 = performance.now();
    oldPage = old.applyDelta(oldPage, parsed);
    oldApplyMs.push(performance.now() - t1);
  }
  topology = next;
}
assert.deepStrictEqual(page, JSON.parse(JSON.stringify(topology)));
console.log(`${topology.nodes.length} nodes, ${topology.pods.length} pods, ${bytes.length} one-pod changes`);
console.log(
  `delta bytes: median ${median(bytes)}, p95 ${p95(bytes)}, max ${Math.max(...bytes)}; applyDelta ms: median ${median(applyMs).toFixed(2)}, p95 ${p95(applyMs).toFixed(2)}`,
);
if (old)
  console.log(
    `before (nodes whole): delta bytes median ${median(oldBytes)}, max ${Math.max(...oldBytes)}; applyDelta ms: median ${median(oldApplyMs).toFixed(2)}, p95 ${p95(oldApplyMs).toFixed(2)}`,
  );
console.log(
  `diffTopology ms (the server, unchanged objects shared): median ${median(diffMs).toFixed(2)}, p95 ${p95(diffMs).toFixed(2)}`,
);
console.log("every applied topology deep-equals the changed one");
