// Serves the built dashboard (apps/web/dist) against a synthetic cluster of any size, with a live stream
// of small changes: for developing the page and for measuring it at 5,000 nodes without a cluster.
//   node apps/web/scripts/synthetic-server.ts --nodes 5000 --pods 30 [--pending 7] [--pd] [--tick 1000] [--port 0]
//     [--overcommit N] [--types t3.medium,m5.large]
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, normalize } from "node:path";
import { parseArgs } from "node:util";
import { diffTopology, type HistoryPoint, type Topology } from "@eni-view/model";
import { syntheticTopology } from "../src/dev/synthetic.ts";
import { nextSyntheticTopology } from "../src/dev/syntheticChanges.ts";

const { values } = parseArgs({
  options: {
    nodes: { type: "string", default: "100" },
    pods: { type: "string", default: "30" },
    pending: { type: "string", default: "0" },
    pd: { type: "boolean", default: false },
    tick: { type: "string", default: "0" },
    port: { type: "string", default: "0" },
    seed: { type: "string", default: "1" },
    name: { type: "string", default: "synthetic" },
    overcommit: { type: "string", default: "0" },
    types: { type: "string" },
  },
});

function int(name: string, v: string | undefined): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a whole number >= 0, got "${v}"`);
    process.exit(2);
  }
  return n;
}

const dist = new URL("../dist/", import.meta.url).pathname;
// The footer's version: the repository's, and no commit (this server is not a build of one).
const { version } = JSON.parse(await readFile(new URL("../../../package.json", import.meta.url), "utf8")) as {
  version: string;
};
let topology: Topology = syntheticTopology({
  nodes: int("nodes", values.nodes),
  podsPerNode: int("pods", values.pods),
  pending: int("pending", values.pending),
  prefixDelegation: values.pd,
  seed: int("seed", values.seed),
  clusterName: values.name,
  overcommitEvery: int("overcommit", values.overcommit),
  ...(values.types ? { instanceTypes: values.types.split(",") } : {}),
});
let json = JSON.stringify(topology);
const history: HistoryPoint[] = [];
const viewers = new Set<(event: string, data: string, id: number) => void>();
let state = int("seed", values.seed) * 7919 + 1;
const random = () => {
  state = (state * 1103515245 + 12345) % 2147483648;
  return state / 2147483648;
};

function recordHistory(t: Topology): void {
  const s = t.summary;
  history.push({
    t: t.generatedAt,
    nodes: s.nodes,
    enis: s.enisAttached,
    ipsAssigned: s.ipsAssigned,
    ipsUsed: s.ipsUsed,
    ipsWarm: s.ipsWarm,
    podsRunning: s.podsRunning,
    podsPending: s.pendingPods,
  });
  if (history.length > 500) history.shift();
}
recordHistory(topology);

/** Applies one change and streams it; exported over HTTP as POST /dev/tick for the benchmark. */
function tick(): void {
  const next = nextSyntheticTopology(topology, random, topology.seq);
  const delta = diffTopology(topology, next);
  topology = next;
  json = "";
  if (!delta) return;
  const data = JSON.stringify(delta);
  for (const send of viewers) send("delta", data, delta.seq);
  if (topology.seq % 5 === 0) {
    recordHistory(topology);
    const point = JSON.stringify(history.at(-1));
    for (const send of viewers) send("history", point, topology.seq);
  }
}

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".map": "application/json",
};

const server = createServer(async (req, res) => {
  const path = (req.url ?? "/").split("?")[0]!;
  if (path === "/api/topology") {
    if (!json) json = JSON.stringify(topology);
    res.writeHead(200, { "content-type": "application/json" }).end(json);
    return;
  }
  if (path === "/api/version") {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ version, commit: null }));
    return;
  }
  if (path === "/api/history") {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(history));
    return;
  }
  if (path === "/dev/tick" && req.method === "POST") {
    tick();
    res.writeHead(204).end();
    return;
  }
  if (path === "/api/stream") {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    const send = (event: string, data: string, id: number) =>
      res.write(`event: ${event}\nid: ${id}\ndata: ${data}\n\n`);
    if (!json) json = JSON.stringify(topology);
    send("snapshot", json, topology.seq);
    // As the real server does: the page calls itself live at "ready", which follows the snapshot.
    send("ready", JSON.stringify({ seq: topology.seq }), topology.seq);
    viewers.add(send);
    req.on("close", () => viewers.delete(send));
    return;
  }
  const file = normalize(join(dist, path === "/" ? "index.html" : path));
  if (!file.startsWith(dist)) {
    res.writeHead(400).end("bad path");
    return;
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" }).end(body);
  } catch {
    res
      .writeHead(404, { "content-type": "text/plain" })
      .end(`not found: ${path} (did you run "npm run build -w @eni-view/web"?)`);
  }
});

const tickMs = int("tick", values.tick);
if (tickMs > 0) setInterval(tick, tickMs).unref();
server.listen(int("port", values.port), "127.0.0.1", () => {
  const a = server.address();
  if (a && typeof a === "object") console.log(`http://127.0.0.1:${a.port}/`);
});
