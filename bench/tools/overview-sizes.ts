// What the overview stream (GET /api/stream?view=overview) saves against the whole snapshot, and what it
// costs the server, on a generated EKS cluster of any size (model testing/eksCluster.ts: m5.xlarge nodes,
// pods of a few Deployments on their ENIs): the first event's bytes (compact JSON, and gzip at the
// stream's level 1), the CPU to make it, the detail of a screenful of nodes, and one pod's deletion as
// a thin delta beside the whole delta. The simulator cannot hold 100,000 nodes on a 2-core machine; the
// model builds their topology directly, as the server would from a source.
//   node --max-old-space-size=12000 bench/tools/overview-sizes.ts [nodes] [podsPerNode] [nodesInView]
import { gzipSync } from "node:zlib";
import {
  advanceOverview,
  buildReport,
  diffTopology,
  encodeTopology,
  nodeDetail,
  overviewOf,
  type ThinCache,
  type Topology,
} from "@eni-view/model";
import { startServer } from "../../apps/server/src/server.ts";
import { RecordingSource } from "../../apps/server/src/sources/recordingSource.ts";
import { SseClient } from "../../apps/server/src/testing/sseClient.ts";
import { eksCluster } from "../../packages/model/src/testing/eksCluster.ts";

const [nodes = 5000, perNode = 30, inView = 60] = process.argv.slice(2).map(Number);
const input = eksCluster(nodes, perNode);
const asTopology = (seq: number, report: ReturnType<typeof buildReport>): Topology => ({
  ...report,
  seq,
  generatedAt: new Date(0).toISOString(),
  source: "bench",
  sources: {},
});
const t0 = performance.now();
const report = buildReport(input);
const whole = asTopology(1, report);
const built = performance.now() - t0;

const mb = (n: number) => (n < 2 ** 20 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 2 ** 20).toFixed(1)} MB`);
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
/** CPU ms of `f`, and what it returned. */
function cpu<T>(f: () => T): [T, number] {
  const c0 = process.cpuUsage();
  const out = f();
  const c = process.cpuUsage(c0);
  return [out, (c.user + c.system) / 1000];
}

const [wholeJson, wholeMs] = cpu(() => JSON.stringify(encodeTopology(whole)));
const [wholeGz, wholeGzMs] = cpu(() => gzipSync(wholeJson, { level: 1 }).length);
const cache: ThinCache = new WeakMap();
const [overviewJson, overviewMs] = cpu(() => JSON.stringify(encodeTopology(overviewOf(whole, cache))));
const [overviewGz, overviewGzMs] = cpu(() => gzipSync(overviewJson, { level: 1 }).length);
// A screenful of boxes: the nodes of one zone's first rows.
const names = whole.nodes.slice(0, inView).map((n) => n.name);
const [detailJson, detailMs] = cpu(() => JSON.stringify(nodeDetail(whole, names)));

// One pod deleted: the report rebuilt with the previous one, then the whole and the thin deltas.
const victim = input.pods.findIndex((p) => p.owner === "Deployment/web");
const changed = { ...input, pods: input.pods.filter((_, i) => i !== victim) };
const nextWhole = asTopology(2, buildReport(changed, report));
const [wholeDelta] = cpu(() => JSON.stringify(diffTopology(whole, nextWhole)));
// The server holds the overview of the topology before the change; it advances it and diffs the two.
const thinBefore = overviewOf(whole, cache);
const [thinDelta, thinDeltaMs] = cpu(() =>
  JSON.stringify(diffTopology(thinBefore, advanceOverview(thinBefore, whole, nextWhole, cache))),
);

const rows: [string, string][] = [
  [
    "cluster",
    `${whole.nodes.length} nodes, ${whole.pods.length} pods (built in ${(built / 1000).toFixed(1)} s)`,
  ],
  [
    "whole snapshot, compact",
    `${mb(wholeJson.length)}, gzip ${mb(wholeGz)} (${wholeMs.toFixed(0)} + ${wholeGzMs.toFixed(0)} ms CPU)`,
  ],
  [
    "overview, compact",
    `${mb(overviewJson.length)}, gzip ${mb(overviewGz)} (${overviewMs.toFixed(0)} + ${overviewGzMs.toFixed(0)} ms CPU)`,
  ],
  [
    `detail of ${names.length} nodes in view`,
    `${kb(detailJson.length)}, gzip ${kb(gzipSync(detailJson, { level: 1 }).length)} (${detailMs.toFixed(1)} ms CPU)`,
  ],
  ["one pod deleted: whole delta", kb(wholeDelta.length)],
  ["one pod deleted: overview delta", `${kb(thinDelta.length)} (${thinDeltaMs.toFixed(1)} ms CPU)`],
  ["heap used", mb(process.memoryUsage().heapUsed)],
];
for (const [k, v] of rows) console.log(`${k}: ${v}`);

// Through a real server (the report served as it stands, as `serve --recording` serves a moment), one
// viewer on this machine: the first event of each stream taken whole, and a screenful of nodes set in
// view until their detail is in.
const server = await startServer(new RecordingSource(), {
  host: "127.0.0.1",
  port: 0,
  webDist: null,
  feed: { build: () => report },
});
async function firstEvent(
  query: string,
  event: string,
): Promise<{ ms: number; wire: number; client: SseClient }> {
  const client = new SseClient();
  const t = performance.now();
  await client.connect(`${server.url}/api/stream?${query}`, { "accept-encoding": "gzip" });
  await client.waitFor((e) => e.event === event, 600_000);
  return { ms: performance.now() - t, wire: client.wireBytes, client };
}
const snap = await firstEvent("encoding=compact", "snapshot");
snap.client.close();
const over = await firstEvent("view=overview&encoding=compact", "overview");
const id = (JSON.parse(over.client.events.find((e) => e.event === "overview")!.data) as { stream: string })
  .stream;
// Five screenfuls one after the other (a pan), each timed from the POST to its detail event.
const detailTimes: number[] = [];
for (let i = 0; i < 5; i++) {
  const screen = whole.nodes.slice((i + 1) * inView, (i + 2) * inView).map((n) => n.name);
  const seen = over.client.events.length;
  const t1 = performance.now();
  const res = await fetch(`${server.url}/api/stream/${id}/nodes`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ nodes: screen }),
  });
  if (res.status !== 204) throw new Error(`setting the nodes in view answered ${res.status}`);
  while (!over.client.events.slice(seen).some((e) => e.event === "detail"))
    await new Promise((r) => setTimeout(r, 2));
  detailTimes.push(performance.now() - t1);
}
over.client.close();
await server.close();
console.log(`server: whole snapshot taken in ${snap.ms.toFixed(0)} ms (${mb(snap.wire)} on the wire)`);
console.log(`server: overview taken in ${over.ms.toFixed(0)} ms (${mb(over.wire)} on the wire)`);
console.log(
  `server: ${inView} nodes set in view -> their detail in ${detailTimes.map((t) => t.toFixed(0)).join(", ")} ms`,
);
