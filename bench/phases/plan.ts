// The planner as a user meets it, against the running server: GET /api/plan scaling the cluster's biggest
// Deployment by 1,000 pods (fewer on a small smoke cluster) over 5 seeds, as the page asks it (the plan as
// its delta against the live topology), timed from the request to the planned cluster applied to the live
// topology this process holds from the stream, as the page holds it; the thread's CPU beside it (on a
// shared machine the wall clock counts other processes' turns too) and the whole planned cluster once for
// comparison; then the live viewers' pod change -> delta latency while plans run back to back in the
// server's worker thread.
import os from "node:os";
import {
  applyDelta,
  applyPlanDelta,
  decodeTopology,
  type PlanReply,
  type Topology,
  type TopologyDelta,
} from "@eni-view/model";
import type { Child } from "../lib/child.ts";
import { wallNow } from "../lib/clock.ts";
import { type BenchRecord, makeRecord } from "../lib/records.ts";
import { SseReader } from "../lib/sse.ts";
import { summarise } from "../lib/stats.ts";

export interface PlanPhaseOptions {
  size: number;
  url: string;
  sim: Child<unknown>;
  /** Plans timed. */
  runs: number;
  /** Pods added to the workload. */
  scaleBy: number;
  seeds: number;
  /** Pod changes measured while plans run. */
  changes: number;
  /** Pods the sim's deletePod picks are counted from here, past those other phases deleted. */
  firstPodIndex: number;
  log: (line: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The Deployment with the most pods, as "namespace/name", and its pods (Pending ones included). */
function biggestDeployment(t: Topology): { ref: string; pods: number } {
  const counts = new Map<string, number>();
  for (const p of [...t.pods, ...t.pending]) {
    const [kind, name] = (p.owner ?? "").split("/");
    if (kind !== "Deployment" || !name) continue;
    const ref = `${p.namespace}/${name}`;
    counts.set(ref, (counts.get(ref) ?? 0) + 1);
  }
  const best = [...counts].sort((a, b) => b[1] - a[1])[0];
  if (!best) throw new Error("the cluster has no Deployment to scale");
  return { ref: best[0], pods: best[1] };
}

interface PlanTiming {
  /** Request to the answer's last byte. */
  ms: number;
  bytes: number;
  body: unknown;
  baseMs: number;
  planMs: number;
  encodeMs: number;
  /** CPU ms of the planner's thread for this plan (Server-Timing cpu). */
  cpuMs: number;
}

/** `parse` false: the answer is read but not parsed (the background plans beside the viewers' deltas, so
 * that this process parsing megabytes does not delay the deltas it times). */
async function plan(url: string, query: string, parse = true): Promise<PlanTiming> {
  const start = wallNow();
  const ask = () => fetch(`${url}/api/plan?${query}`, { headers: { "accept-encoding": "gzip" } });
  // A kept-alive socket the server closes as the request goes out fails the fetch before it is sent
  // (seen on a loaded machine after the long topology read): asked again once on a fresh one.
  const res = await ask().catch((e: Error) => {
    const cause = (e.cause as Error | undefined)?.message;
    if (e.message !== "fetch failed") throw e;
    console.error(`  GET /api/plan failed before an answer (${cause ?? "no cause"}); asking again`);
    return ask();
  });
  const text = await res.text();
  const ms = wallNow() - start;
  if (!res.ok) throw new Error(`GET /api/plan?${query} answered ${res.status}: ${text.slice(0, 300)}`);
  // The thread's own share: "base;dur=0.0, plan;dur=812.3, encode;dur=140.2, cpu;dur=901.7".
  const timing = res.headers.get("server-timing") ?? "";
  const dur = (name: string) => Number(new RegExp(`${name};dur=([0-9.]+)`).exec(timing)?.[1] ?? Number.NaN);
  return {
    ms,
    bytes: text.length,
    body: parse ? JSON.parse(text) : null,
    baseMs: dur("base"),
    planMs: dur("plan"),
    encodeMs: dur("encode"),
    cpuMs: dur("cpu"),
  };
}

/** The live topology as the page holds it: the first one, then every delta of the stream applied. */
class HeldTopology {
  topology: Topology;
  private readonly reader: SseReader;
  constructor(topology: Topology, reader: SseReader) {
    this.topology = topology;
    this.reader = reader;
    this.recent.set(topology.seq, topology);
  }
  /** Applies what the stream sent so far; then, while `seq` is newer, waits for the stream to reach it. */
  async catchUp(seq = 0): Promise<void> {
    this.apply();
    while (this.topology.seq < seq) {
      const at = this.topology.seq;
      await this.reader.waitFor(
        (e) => (e.event === "delta" || e.event === "snapshot") && (e.id ?? 0) > at,
        60_000,
        `the stream's seq ${seq}`,
      );
      this.apply();
    }
  }

  /** The topology of `seq` when it is one of the last few held (the page keeps those since it asked). */
  at(seq: number): Topology | undefined {
    return this.recent.get(seq);
  }

  private readonly recent = new Map<number, Topology>();

  private apply(): void {
    for (const e of this.reader.events) {
      if (e.id === null || e.id <= this.topology.seq) continue;
      // A resume the server's ring could not serve comes as a snapshot (plain JSON on this stream).
      if (e.event === "snapshot") this.topology = JSON.parse(e.data) as Topology;
      else if (e.event === "delta")
        this.topology = applyDelta(this.topology, JSON.parse(e.data) as TopologyDelta);
      this.recent.set(this.topology.seq, this.topology);
      if (this.recent.size > 16) this.recent.delete(this.recent.keys().next().value as number);
    }
    this.reader.forget();
  }
}

const loadNow = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");

export async function planPhase(o: PlanPhaseOptions): Promise<BenchRecord[]> {
  const { size, url, log } = o;
  const records: BenchRecord[] = [];
  const res = await fetch(`${url}/api/topology?encoding=compact`);
  if (!res.ok) throw new Error(`GET /api/topology answered ${res.status}`);
  const topology = decodeTopology(await res.json());
  const target = biggestDeployment(topology);
  const query = `scale=${target.ref}=${target.pods + o.scaleBy}&seeds=${o.seeds}`;
  log(`  plan: ${query} (${topology.nodes.length} nodes, ${topology.pods.length} pods with an IP)`);
  // The stream from the topology's seq on: the page's live topology, and the viewers' deltas below.
  const reader = new SseReader();
  await reader.connect(`${url}/api/stream`, { "last-event-id": String(topology.seq) });
  const held = new HeldTopology(topology, reader);

  // As the page asks: the plan as its delta against the live topology, applied to the one held.
  const pagePlan = async (): Promise<PlanTiming & { applyMs: number }> => {
    await held.catchUp();
    const start = wallNow();
    const r = await plan(url, `${query}&report=delta`);
    const reply = r.body as PlanReply;
    await held.catchUp(reply.basedOn.seq);
    const base = held.at(reply.basedOn.seq);
    if (base === undefined)
      throw new Error(`the plan was made on seq ${reply.basedOn.seq}, the stream is at ${held.topology.seq}`);
    const a = wallNow();
    const planned = applyPlanDelta(base, { ...reply, delta: reply.delta! });
    const applyMs = wallNow() - a;
    if (planned.pods.length < base.pods.length) throw new Error("the planned cluster lost pods");
    return { ...r, ms: wallNow() - start, applyMs };
  };

  try {
    const times: number[] = [];
    const planner: number[] = [];
    const cpu: number[] = [];
    const bytes: number[] = [];
    for (let i = 0; i < o.runs + 1; i++) {
      const r = await pagePlan();
      const reply = r.body as PlanReply;
      log(
        `  plan ${i === 0 ? "warm-up" : i}: ${r.ms.toFixed(0)} ms to the planned cluster in hand (report as is ${r.baseMs.toFixed(0)} ms, ` +
          `planner ${r.planMs.toFixed(0)} ms, delta and JSON ${r.encodeMs.toFixed(0)} ms, thread CPU ${r.cpuMs.toFixed(0)} ms, ` +
          `applied in ${r.applyMs.toFixed(0)} ms), ${(r.bytes / 1048576).toFixed(2)} MB, ${reply.nodes.length} nodes, ` +
          `${reply.pending.length} Pending; load ${loadNow()}; first limit: ${reply.firstLimit ?? "none"}`,
      );
      // The first plan also starts the thread and copies the cluster into it: counted apart.
      if (i === 0)
        records.push(
          makeRecord("plan: first plan (thread start, cluster copied in)", size, "ms", summarise([r.ms])),
        );
      else {
        times.push(r.ms);
        planner.push(r.planMs);
        cpu.push(r.cpuMs);
        bytes.push(r.bytes);
      }
    }
    // The whole planned cluster, as scripts and a Freeze get it, once for comparison.
    const whole = await plan(url, query);
    log(
      `  the same plan with the whole planned cluster: ${whole.ms.toFixed(0)} ms (encoding ${whole.encodeMs.toFixed(0)} ms), ` +
        `${(whole.bytes / 1048576).toFixed(2)} MB; load ${loadNow()}`,
    );
    records.push(
      makeRecord(
        `plan: scale one workload by ${o.scaleBy.toLocaleString("en-US")} pods, ${o.seeds} seeds`,
        size,
        "ms",
        summarise(times),
        "GET /api/plan?report=delta as the page asks it, request to the planned cluster applied to the live topology held",
      ),
    );
    records.push(
      makeRecord(
        "plan: CPU of the planner's thread per plan",
        size,
        "ms",
        summarise(cpu),
        "report, planner, delta and JSON (Server-Timing cpu): the plan's time on a core of its own",
      ),
    );
    records.push(
      makeRecord(
        "plan: the planner alone, in the thread",
        size,
        "ms",
        summarise(planner),
        "planCluster's share of the above (Server-Timing)",
      ),
    );
    records.push(
      makeRecord("plan: the whole planned cluster instead (report=whole)", size, "ms", summarise([whole.ms])),
    );
    records.push(makeRecord("plan: the answer, raw JSON", size, "bytes", summarise(bytes)));
    records.push(
      makeRecord(
        "plan: the answer with the whole planned cluster, raw JSON",
        size,
        "bytes",
        summarise([whole.bytes]),
      ),
    );

    // Pod changes with no plan, then with plans back to back, as the page asks them: the live viewers'
    // deltas must not wait for a plan. On the stream resumed from the topology's seq (deltas only).
    await held.catchUp();
    const deltas = async (first: number): Promise<number[]> => {
      const latency: number[] = [];
      for (let i = 0; i < o.changes; i++) {
        const change = await o.sim.ask<{ key: string; at: number }>("deletePod", { index: first + i });
        const ev = await reader.waitFor(
          (e) => e.event === "delta" && e.data.includes(JSON.stringify(change.key)),
          60_000,
          `delta removing ${change.key}`,
        );
        latency.push(ev.at - change.at);
        await held.catchUp();
        await sleep(Math.max(500, 2 * (ev.at - change.at)));
      }
      return latency;
    };
    const quiet = await deltas(o.firstPodIndex);
    let planning = true;
    let plans = 0;
    const failures: string[] = [];
    const planTimes: number[] = [];
    const loop = (async () => {
      while (planning) {
        // The server's side of the page's plans; a plan that fails (past its time) is said, and the
        // viewers are measured all the same.
        await plan(url, `${query}&report=delta`, false).then(
          (r) => {
            plans++;
            planTimes.push(r.ms);
          },
          (e: Error) => failures.push(e.message),
        );
      }
    })();
    let busy: number[];
    try {
      await sleep(200);
      busy = await deltas(o.firstPodIndex + o.changes);
    } finally {
      planning = false;
      await loop;
    }
    const list = (l: number[]) => l.map((x) => x.toFixed(0)).join(", ");
    if (failures.length > 0) log(`  ${failures.length} plans failed meanwhile: ${failures[0]}`);
    log(`  ${quiet.length} pod changes with no plan: delta in ${list(quiet)} ms`);
    log(
      `  ${busy.length} pod changes during ${plans} plans (${list(planTimes)} ms each, request to last byte): delta in ${list(busy)} ms ` +
        `(target: p95 <= 1,000 ms); load ${loadNow()}`,
    );
    records.push(
      makeRecord(
        "server: pod change -> SSE delta p95, no plan (beside the next)",
        size,
        "ms",
        summarise(quiet, 95),
        "the same measure just before, on the same machine and load",
      ),
    );
    records.push(
      makeRecord(
        "server: pod change -> SSE delta p95, while a plan runs",
        size,
        "ms",
        summarise(busy, 95),
        "pod deleted in the simulator -> delta naming it, with plans as the page asks them running back to back",
      ),
    );
    return records;
  } finally {
    reader.close();
  }
}
