// Why /livez is slow beside slowloris sockets: the simulator's `large` scenario at NODES nodes and the
// server in their own processes (as `npm run bench` starts them, with --probe-port), then /livez probed
// every 200 ms on the serving port and on the probe port at once for
// SECONDS, first with nothing else open and then beside SOCKETS requests that never finish their headers
// (for at most 9 s: the server closes them after its 10 s headers timeout),
// each time with the server's main-thread event-loop delay (perf_hooks) over the same span.
//
//   node bench/tools/livez-lag.ts [NODES=5000] [SOCKETS=2000] [SECONDS=30]
import { join } from "node:path";
import { startChild } from "../lib/child.ts";
import { percentile } from "../lib/stats.ts";
import { slowloris } from "../phases/load.ts";

const [nodes = 5000, sockets = 2000, seconds = 30] = process.argv.slice(2).map(Number);
const root = new URL("../..", import.meta.url).pathname;
const sim = startChild<{ kubeconfigPath: string; ec2Url: string; region: string }>(
  join(root, "bench/procs/sim.ts"),
  [String(nodes), "30"],
  { name: "simulator", readyTimeoutMs: 600_000, execArgv: ["--max-old-space-size=8192"] },
);
const s = await sim.ready;
const server = startChild<{ url: string; probeUrl: string }>(
  join(root, "bench/procs/server.ts"),
  [s.kubeconfigPath, s.region, s.ec2Url, join(root, "apps/web/dist")],
  { name: "server", readyTimeoutMs: 600_000 },
);
const { url, probeUrl } = await server.ready;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function probe(label: string, forSeconds: number): Promise<void> {
  await server.ask("loopDelayStart");
  const serving: number[] = [];
  const probePort: number[] = [];
  const timed = async (base: string, into: number[]) => {
    const t0 = performance.now();
    await (await fetch(`${base}/livez`)).text();
    into.push(performance.now() - t0);
  };
  const end = Date.now() + forSeconds * 1000;
  while (Date.now() < end) {
    await Promise.all([timed(url, serving), timed(probeUrl, probePort)]);
    await sleep(200);
  }
  const loop = await server.ask<{ p50: number; p99: number; max: number }>("loopDelayStop");
  const f = (n: number) => n.toFixed(1);
  const line = (times: number[]) =>
    `p50 ${f(percentile(times, 50))} ms, p95 ${f(percentile(times, 95))}, max ${f(Math.max(...times))}`;
  console.log(
    `${label} (${serving.length} probes): /livez on the serving port ${line(serving)}; on the probe port ${line(probePort)}; server event-loop delay p50 ${f(loop.p50)} ms, p99 ${f(loop.p99)}, max ${f(loop.max)}`,
  );
}

try {
  console.log(`${nodes} nodes, the server at ${url}`);
  await probe("alone", seconds);
  const open = await slowloris(url, sockets);
  try {
    // The server closes them after its 10 s headers timeout.
    await probe(`beside ${sockets} slowloris sockets`, Math.min(seconds, 9));
  } finally {
    for (const sock of open) sock.destroy();
  }
} finally {
  await server.stop();
  await sim.stop();
}
