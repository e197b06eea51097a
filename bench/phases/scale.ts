// The server past 5,000 nodes (issue 19): the simulator at one size in its own process, the server in
// another, and from here what a viewer of a 20,000-node cluster waits on: start to ready, the server's
// memory (peak RSS, and the heap it keeps after a full collection, per pod), pod change to SSE delta, and
// the EC2 calls it makes a minute against its budget. The page-side columns at the same sizes (first
// drawing, pan, update applied) are the browser's to add.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { startChild } from "../lib/child.ts";
import { wallNow } from "../lib/clock.ts";
import { type BenchRecord, makeRecord } from "../lib/records.ts";
import { SseReader } from "../lib/sse.ts";
import { summarise } from "../lib/stats.ts";
import { metric } from "./server.ts";

export interface ScaleOptions {
  root: string;
  size: number;
  podsPerNode: number;
  webDist: string;
  /** Pod changes timed after one warm-up. */
  changes: number;
  /** The window over which EC2 calls are counted (a minute at least, for a per-minute figure). */
  ec2WindowMs: number;
  /** With generated streams, how much longer to wait for the first EC2 sweep to end, for its duration. */
  sweepWaitMs?: number;
  /** The simulator, or generated streams where the simulator cannot hold the size on this machine. */
  source: "sim" | "generated";
  log: (line: string) => void;
}

/** What bench/procs/sim.ts says once the simulator listens. */
export interface SimReady {
  startMs: number;
  kubeconfigPath: string;
  ec2Url: string;
  region: string;
  pods: number;
}

/** The simulator's clock at a tenth of real time: its controllers then leave it the CPU to serve lists,
 * watches and EC2 pages (the server watches no Lease and reads EC2 at its own pace, so what it is asked to
 * do is the same). */
const simSpeed = 0.1;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function one(name: string, size: number, unit: string, value: number, note?: string): BenchRecord {
  return makeRecord(name, size, unit, { value, min: value, max: value, runs: 1 }, note);
}

interface GeneratedRun {
  pods: number;
  readyMs: number;
  readyCpuMs: number;
  latency: number[];
  changeCpu: number[];
  heapUsed: number;
  peakRss: number;
  ec2: {
    callsPerMinute: number;
    budgetPerMinute: number;
    firstSweepSeconds: number | null;
    windowSeconds: number;
  };
}

/** The server fed generated streams (bench/procs/generated.ts), for sizes the simulator cannot hold here. */
function generatedPhase(o: ScaleOptions): BenchRecord[] {
  const { size } = o;
  const out = execFileSync(
    process.execPath,
    [
      "--expose-gc",
      "--max-old-space-size=16384",
      join(o.root, "bench/procs/generated.ts"),
      String(size),
      String(o.podsPerNode),
      String(o.ec2WindowMs),
      String(o.changes),
      String(o.sweepWaitMs ?? 0),
    ],
    { encoding: "utf8", maxBuffer: 1 << 20, stdio: ["ignore", "pipe", "inherit"] },
  );
  const g = JSON.parse(out.trim().split("\n").at(-1)!) as GeneratedRun;
  const how = `${o.podsPerNode} pods per node, generated streams (model input and pod deletions handed to the feed; no Kubernetes API)`;
  const sweep = g.ec2.firstSweepSeconds;
  return [
    one("scale: server start -> ready", size, "ms", g.readyMs, `${how}: input handed over -> first topology`),
    one(
      "scale: server start -> ready, CPU",
      size,
      "ms",
      g.readyCpuMs,
      `${how}: the server process's CPU time from the input handed over to the first topology`,
    ),
    makeRecord("scale: pod change -> SSE delta p95", size, "ms", summarise(g.latency, 95), how),
    makeRecord(
      "scale: server CPU per pod change",
      size,
      "ms",
      summarise(g.changeCpu, 50),
      `${how}: the process's CPU time from the pod's removal to its delta at the viewer, median`,
    ),
    one("scale: server peak RSS", size, "bytes", g.peakRss, `${how}; VmHWM, the generated input included`),
    one(
      "scale: server heap kept per pod",
      size,
      "bytes",
      g.heapUsed / g.pods,
      `${how}; heap after a full collection / ${g.pods} pods`,
    ),
    one(
      "scale: EC2 calls per minute",
      size,
      "calls/min",
      g.ec2.callsPerMinute,
      `the poller against the simulator's EC2 API holding the generated nodes' instances and ENIs, over ${g.ec2.windowSeconds.toFixed(0)} s from start; budget ${g.ec2.budgetPerMinute}/min${sweep === null ? "; the first sweep had not ended" : ""}`,
    ),
    ...(sweep === null ? [] : [one("scale: EC2 full sweep", size, "s", sweep, "the first sweep")]),
  ];
}

export async function scalePhase(o: ScaleOptions): Promise<BenchRecord[]> {
  const { size, log } = o;
  if (o.source === "generated") {
    log("  fed generated streams (the simulator is not started)");
    return generatedPhase(o);
  }
  const records: BenchRecord[] = [];
  const shape = `${o.podsPerNode} pods per node, simulator at ${simSpeed}x speed`;
  const sim = startChild<SimReady>(
    join(o.root, "bench/procs/sim.ts"),
    [String(size), String(o.podsPerNode), String(simSpeed)],
    {
      name: "simulator",
      readyTimeoutMs: 1_800_000,
      execArgv: ["--max-old-space-size=16384"],
    },
  );
  let server: ReturnType<typeof startChild<{ url: string; readyMs: number }>> | null = null;
  try {
    const s = await sim.ready;
    log(`  simulator up in ${(s.startMs / 1000).toFixed(0)} s with ${s.pods} pods; starting the server`);
    server = startChild(
      join(o.root, "bench/procs/server.ts"),
      [s.kubeconfigPath, s.region, s.ec2Url, o.webDist],
      {
        name: "server",
        readyTimeoutMs: 1_800_000,
        // A full collection before the heap is read, so what is counted is what the server keeps.
        execArgv: ["--expose-gc"],
      },
    );
    const srv = await server.ready;
    log(`  server ready after ${(srv.readyMs / 1000).toFixed(1)} s`);
    records.push(
      one(
        "scale: server start -> ready",
        size,
        "ms",
        srv.readyMs,
        `${shape}; every pod listed, EC2 read once`,
      ),
    );
    const url = srv.url;
    const m0 = await (await fetch(`${url}/metrics`)).text();
    const method = ["watch-list", "list"].find((m) =>
      metric(m0, "eniview_kube_initial_lists_total", `resource="pods",method="${m}"`, true),
    );
    log(`  pods' initial state read by ${method ?? "unknown"}`);
    const calls0 = metric(m0, "eniview_ec2_calls_total");
    const t0 = wallNow();

    const reader = new SseReader({ light: false });
    await reader.connect(`${url}/api/stream?encoding=compact`, { "accept-encoding": "gzip" });
    const snap = await reader.waitFor((e) => e.event === "snapshot", 600_000, "snapshot");
    log(`  first snapshot: ${snap.wireBytes} B gzip in ${(snap.at - t0).toFixed(0)} ms`);
    reader.forget();

    const latency: number[] = [];
    for (let i = 0; i < o.changes + 1; i++) {
      const change = await sim.ask<{ key: string; at: number }>("deletePod", { index: i }, 300_000);
      const name = change.key.split("/")[1] ?? change.key;
      const ev = await reader.waitFor(
        (e) => e.event === "delta" && e.data.includes(name),
        300_000,
        `delta removing ${change.key}`,
      );
      if (i > 0) latency.push(ev.at - change.at);
      log(
        `  ${i === 0 ? "warm-up " : ""}change ${change.key}: delta in ${(ev.at - change.at).toFixed(0)} ms`,
      );
      reader.forget();
      await sleep(Math.max(1000, 2 * (ev.at - change.at)));
    }
    records.push(
      makeRecord(
        "scale: pod change -> SSE delta p95",
        size,
        "ms",
        summarise(latency, 95),
        `${shape}; pod deleted in the simulator -> the delta naming it, one compact gzip viewer`,
      ),
    );
    // The rest of the window: the cluster quiet but for the replacements, EC2 going on at its pace.
    const left = o.ec2WindowMs - (wallNow() - t0);
    if (left > 0) await sleep(left);
    const m1 = await (await fetch(`${url}/metrics`)).text();
    const minutes = (wallNow() - t0) / 60_000;
    const perMinute = (metric(m1, "eniview_ec2_calls_total") - calls0) / minutes;
    const budget = metric(m1, "eniview_ec2_budget_calls_per_minute", "", true);
    const incremental = metric(m1, "eniview_ec2_incremental", "", true) === 1;
    records.push(
      one(
        "scale: EC2 calls per minute",
        size,
        "calls/min",
        perMinute,
        `over ${(minutes * 60).toFixed(0)} s after ready; ${incremental ? "incremental (changed nodes + sweep)" : "full refreshes"}; budget ${budget}/min`,
      ),
    );
    const sweep = metric(m1, "eniview_ec2_sweep_duration_seconds", "", true);
    if (incremental && sweep > 0)
      records.push(one("scale: EC2 full sweep", size, "s", sweep, "eniview_ec2_sweep_duration_seconds"));
    reader.close();

    // BENCH_SCALE_INPUT=FILE keeps the server's model input, for bench/tools/memory-breakdown.ts.
    const keep = process.env.BENCH_SCALE_INPUT;
    if (keep) await server.ask("dumpInput", { path: keep }, 600_000);
    const mem = await server.ask<{ rss: number; peakRss: number; heapUsed: number }>("memory", { gc: true });
    records.push(one("scale: server peak RSS", size, "bytes", mem.peakRss, "VmHWM of the server process"));
    records.push(
      one(
        "scale: server heap kept per pod",
        size,
        "bytes",
        mem.heapUsed / s.pods,
        `V8 heap after a full collection / ${s.pods} pods (nodes, ENIs, report and caches included)`,
      ),
    );
    log(
      `  RSS ${(mem.rss / 2 ** 20).toFixed(0)} MB, peak ${(mem.peakRss / 2 ** 20).toFixed(0)} MB, heap ${(mem.heapUsed / 2 ** 20).toFixed(0)} MB`,
    );
  } finally {
    await server?.stop();
    await sim.stop();
  }
  return records;
}
