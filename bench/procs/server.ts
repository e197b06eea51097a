// The eni-view server under test, in its own process (): the same startServer and
// ClusterSource that `eni-view serve --kubeconfig … --ec2-endpoint …` runs, with the default intervals,
// pointed at the simulator's Kubernetes and EC2 endpoints. Over IPC it answers what only the process
// itself can measure: its CPU time, its memory, the CPU cost of one event fanned out to every viewer,
// and the raw input it holds (for the model benchmark, which runs in a process of its own).
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { writeHeapSnapshot } from "node:v8";
import { startServer } from "../../apps/server/src/server.ts";
import { ClusterSource } from "../../apps/server/src/sources/clusterSource.ts";

const [kubeconfigPath, region, ec2Endpoint, webDist] = process.argv.slice(2);
if (!process.send || !kubeconfigPath || !region || !ec2Endpoint || !webDist)
  throw new Error("bench/procs/server.ts runs as a child of bench/run.ts (fork with IPC)");
const send = (m: unknown) => process.send?.(m);

const started = performance.now();
// BENCH_SERVER_MEMLOG=file: the process's memory four times a second (ms since start, RSS, V8 heap total
// and used, external and array buffers, in MB; then the CPU time used so far, in ms), to see which phase
// makes the peak and what a change costs in CPU.
if (process.env.BENCH_SERVER_MEMLOG) {
  const log = process.env.BENCH_SERVER_MEMLOG;
  writeFileSync(log, "ms rss heapTotal heapUsed external arrayBuffers cpuMs\n");
  const mb = (n: number) => (n / 1e6).toFixed(0);
  setInterval(() => {
    const m = process.memoryUsage();
    const c = process.cpuUsage();
    appendFileSync(
      log,
      `${(performance.now() - started).toFixed(0)} ${mb(m.rss)} ${mb(m.heapTotal)} ${mb(m.heapUsed)} ${mb(m.external)} ${mb(m.arrayBuffers)} ${((c.user + c.system) / 1000).toFixed(0)}\n`,
    );
  }, 250).unref();
}
const source = new ClusterSource({
  kind: "cluster",
  kubeconfigPath,
  region,
  ec2Endpoint,
  // The simulator accepts any key, but wants a SigV4 signature as AWS does.
  ec2Credentials: { accessKeyId: "AKIAENIVIEWBENCH0000", secretAccessKey: "eni-view-bench" },
});
// Every benchmark viewer comes from 127.0.0.1: the per-address cap would otherwise turn most away.
const server = await startServer(source, {
  host: "127.0.0.1",
  port: 0,
  webDist,
  viewerLimits: { perAddress: 1000 },
  // As the Deployment runs it: the kubelet's liveness probe on a port of its own.
  probePort: 0,
});
const { feed } = server;

// Fan-out probe: the feed calls its subscribers in subscription order, so a subscriber added before any
// viewer and one added after all of them bracket the writes to every viewer of one event.
let probe: { cpu: NodeJS.CpuUsage; wall: number } | null = null;
const fanouts: {
  seq: number;
  kind: string;
  bytes: number;
  cpuMs: number;
  wallMs: number;
  viewers: number;
}[] = [];
let closing: (() => void) | null = null;
feed.subscribe(() => {
  if (closing) probe = { cpu: process.cpuUsage(), wall: performance.now() };
});

function vmStatus(field: string): number {
  const m = readFileSync("/proc/self/status", "utf8").match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
  return m ? Number(m[1]) * 1024 : Number.NaN;
}

while (!feed.isReady()) await new Promise((r) => setTimeout(r, 20));
const readyMs = performance.now() - started;
// Wait for the first build on complete data (both halves answered) to be published.
await new Promise((r) => setTimeout(r, 300));
send({ type: "ready", url: server.url, probeUrl: server.probeUrl, readyMs });

type Msg = { type: string; id: number; path?: string; gc?: boolean };
let loopDelay: ReturnType<typeof monitorEventLoopDelay> | null = null;

process.on("message", (m: Msg) => {
  const reply = (body: object) => send({ type: "reply", id: m.id, ...body });
  switch (m.type) {
    case "cpu": {
      const c = process.cpuUsage();
      reply({ cpuMs: (c.user + c.system) / 1000 });
      break;
    }
    case "memory": {
      // With --expose-gc and {gc: true}: after a full collection, so heapUsed is what the server keeps.
      const gc = (globalThis as { gc?: () => void }).gc;
      if (m.gc && gc) gc();
      const memory = {
        rss: vmStatus("VmRSS"),
        peakRss: vmStatus("VmHWM"),
        heapUsed: process.memoryUsage().heapUsed,
      };
      // BENCH_SERVER_HEAP=file: the heap at this moment, for finding what holds the memory.
      if (process.env.BENCH_SERVER_HEAP) writeHeapSnapshot(process.env.BENCH_SERVER_HEAP);
      reply(memory);
      break;
    }
    case "fanoutStart": {
      fanouts.length = 0;
      const unsubscribe = feed.subscribe((event) => {
        if (!probe) return;
        const cpu = process.cpuUsage(probe.cpu);
        fanouts.push({
          seq: event.seq,
          kind: event.kind,
          bytes: Buffer.byteLength(event.frame),
          cpuMs: (cpu.user + cpu.system) / 1000,
          wallMs: performance.now() - probe.wall,
          // Both probes are subscribers too.
          viewers: feed.viewers - 2,
        });
        probe = null;
      });
      closing = unsubscribe;
      reply({ viewers: feed.viewers - 2 });
      break;
    }
    case "fanoutStop": {
      closing?.();
      closing = null;
      reply({ fanouts });
      break;
    }
    case "loopDelayStart": {
      // The main thread's event-loop delay (what any request, /livez included, waits behind).
      loopDelay = monitorEventLoopDelay({ resolution: 10 });
      loopDelay.enable();
      reply({});
      break;
    }
    case "loopDelayStop": {
      const h = loopDelay;
      h?.disable();
      loopDelay = null;
      const ms = (ns: number) => ns / 1e6;
      reply(
        h
          ? { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) }
          : { error: "not started" },
      );
      break;
    }
    case "dumpInput": {
      // The raw input the server holds (its Kubernetes and EC2 adapters' output), for the model benchmark.
      const input = source.snapshot().input;
      if (!input) {
        reply({ error: "the source has no input" });
        break;
      }
      writeFileSync(m.path as string, JSON.stringify(input));
      reply({ nodes: input.nodes.length, pods: input.pods.length });
      break;
    }
    case "stop": {
      void server.close().then(() => process.exit(0));
      break;
    }
    default:
      reply({ error: `unknown message ${m.type}` });
  }
});
process.on("disconnect", () => {
  void server.close().then(() => process.exit(0));
});
