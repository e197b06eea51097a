// Measures the server on the simulator's large scenario: time to ready, EC2 calls per refresh, report
// build time, snapshot size and the size of the delta one pod change produces.
// Run: node apps/server/src/bench/serveLarge.ts [nodes] [podsPerNode]
import { readFileSync, writeFileSync } from "node:fs";
import { writeHeapSnapshot } from "node:v8";
import { startSim } from "@eni-view/sim";
import { observed } from "../metrics/durations.ts";
import { startServer } from "../server.ts";
import { ClusterSource } from "../sources/clusterSource.ts";
import { SseClient } from "../testing/sseClient.ts";

const nodes = Number(process.argv[2] ?? 500);
const podsPerNode = Number(process.argv[3] ?? 30);
const t0 = performance.now();
const sim = await startSim({ scenario: "large", nodes, podsPerNode });
const simReady = performance.now();
const source = new ClusterSource({
  kind: "sim",
  kubeconfigPath: sim.kubeconfigPath,
  region: sim.region,
  ec2Endpoint: sim.ec2Url,
  ec2Credentials: { accessKeyId: "AKIABENCH", secretAccessKey: "x" },
});
let lastTick = performance.now();
const progress = setInterval(async () => {
  const now = performance.now();
  const f = server.feed;
  const b = await observed(f.stats.buildSeconds, "report");
  console.error(
    `+${((now - t0) / 1000).toFixed(0)} s lag ${Math.round(now - lastTick - 5000)} ms, seq ${f.topology().seq % 100000}, reports built ${b.count} in ${b.sum.toFixed(1)} s, ec2 refreshes ${source.counters().ec2Refreshes}, pods ${f.topology().pods.length}`,
  );
  lastTick = now;
}, 5000);
progress.unref();
const server = await startServer(source, { host: "127.0.0.1", port: 0, webDist: null });
const listening = performance.now();
console.error(
  `sim ${((simReady - t0) / 1000).toFixed(1)} s, server listening ${((listening - simReady) / 1000).toFixed(1)} s`,
);
while (!server.feed.isReady()) await new Promise((r) => setTimeout(r, 20));
console.error(`ready after ${((performance.now() - simReady) / 1000).toFixed(1)} s`);
await new Promise((r) => setTimeout(r, 500));
const ready = performance.now();
const counters = source.counters();
const t = server.feed.topology();
const snapshotBytes = server.feed.topologyJson().length;
// TOPOLOGY_OUT=file keeps the topology for offline measurements (diffing, drawing).
if (process.env.TOPOLOGY_OUT) writeFileSync(process.env.TOPOLOGY_OUT, server.feed.topologyJson());
const sse = new SseClient();
await sse.connect(`${server.url}/api/stream`, { "accept-encoding": "gzip" });
await sse.waitFor((e) => e.event === "snapshot", 400_000);
console.error(`snapshot received ${((performance.now() - ready) / 1000).toFixed(1)} s after ready`);
const snapshotWireBytes = sse.wireBytes;
const pod = [...sim.store.all("pods")].find(
  (p) => p.spec?.nodeName && !p.spec?.hostNetwork && p.status?.podIP,
)!;
const changed = performance.now();
sim.store.remove("pods", pod.metadata.namespace, pod.metadata.name);
const delta = await sse.waitFor((e) => e.event === "delta" && e.data.includes(pod.metadata.name), 400_000);
const delivered = performance.now();
const parsed = JSON.parse(delta.data) as Record<string, unknown>;
console.error(Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, JSON.stringify(v).length])));
const dn = parsed.nodes as { upsert: unknown[]; remove: string[] } | undefined;
const dp = parsed.pending as { upsert: { name: string; reason: string }[]; remove: string[] } | undefined;
console.error(
  "nodes upsert",
  dn?.upsert.length,
  "pending upsert",
  dp?.upsert.length,
  dp?.upsert.slice(0, 3),
  "remove",
  dp?.remove.length,
);
const stages = await Promise.all(
  ["input", "report", "delta"].map(
    async (stage) => [stage, await observed(server.feed.stats.buildSeconds, stage)] as const,
  ),
);
const builds = stages.map(([stage, o]) => `${stage} ${o.sum.toFixed(3)} s`).join(", ");
const buildCount = stages.map(([stage, o]) => `${stage} ${o.count}`).join(", ");
console.log(
  JSON.stringify(
    {
      nodes: t.summary.nodes,
      pods: t.pods.length,
      pending: t.pending.length,
      simStartSeconds: ((simReady - t0) / 1000).toFixed(1),
      serverReadySeconds: ((ready - simReady) / 1000).toFixed(1),
      ec2CallsPerRefresh: counters.ec2CallsLastRefresh,
      ec2Calls: counters.ec2Calls,
      snapshotMB: (snapshotBytes / 1e6).toFixed(2),
      snapshotGzipStreamMB: (snapshotWireBytes / 1e6).toFixed(2),
      onePodDeltaKB: (delta.data.length / 1e3).toFixed(1),
      onePodChangeToViewerMs: Math.round(delivered - changed),
      buildSecondsTotal: builds,
      builds: buildCount,
      rssMB: Math.round(process.memoryUsage().rss / 1e6),
      // The simulator runs in this process too: its share is in both.
      peakRssMB: Math.round(
        Number(/^VmHWM:\s+(\d+)/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1]) / 1e3,
      ),
      heapUsedMB: Math.round(process.memoryUsage().heapUsed / 1e6),
    },
    null,
    2,
  ),
);
// HEAP_SNAPSHOT=file writes the heap (server and simulator together) for offline analysis.
if (process.env.HEAP_SNAPSHOT) writeHeapSnapshot(process.env.HEAP_SNAPSHOT);
sse.close();
await server.close();
await sim.stop();
