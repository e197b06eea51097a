// The planner as a user meets it, against the running server: GET /api/plan scaling the cluster's biggest
// Deployment by 1,000 pods (fewer on a small smoke cluster) over 5 seeds, timed from request to the last
// byte of the answer; then the live viewers' pod change -> delta latency while plans run back to back in
// the server's worker thread.
import { decodeTopology, type Topology } from "@eni-view/model";
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

async function plan(
  url: string,
  query: string,
): Promise<{ ms: number; bytes: number; body: unknown; baseMs: number; planMs: number; encodeMs: number }> {
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
  // The thread's own share: "base;dur=0.0, plan;dur=812.3, encode;dur=140.2".
  const timing = res.headers.get("server-timing") ?? "";
  const dur = (name: string) => Number(new RegExp(`${name};dur=([0-9.]+)`).exec(timing)?.[1] ?? Number.NaN);
  return {
    ms,
    bytes: text.length,
    body: JSON.parse(text),
    baseMs: dur("base"),
    planMs: dur("plan"),
    encodeMs: dur("encode"),
  };
}

export async function planPhase(o: PlanPhaseOptions): Promise<BenchRecord[]> {
  const { size, url, log } = o;
  const records: BenchRecord[] = [];
  const res = await fetch(`${url}/api/topology?encoding=compact`);
  if (!res.ok) throw new Error(`GET /api/topology answered ${res.status}`);
  const topology = decodeTopology(await res.json());
  const target = biggestDeployment(topology);
  const query = `scale=${target.ref}=${target.pods + o.scaleBy}&seeds=${o.seeds}`;
  log(`  plan: ${query} (${topology.nodes.length} nodes, ${topology.pods.length} pods with an IP)`);

  const times: number[] = [];
  const planner: number[] = [];
  for (let i = 0; i < o.runs + 1; i++) {
    const r = await plan(url, query);
    const reply = r.body as { nodes: unknown[]; pending: unknown[]; firstLimit: string | null };
    log(
      `  plan ${i === 0 ? "warm-up" : i}: ${r.ms.toFixed(0)} ms (report as is ${r.baseMs.toFixed(0)} ms, planner ${r.planMs.toFixed(0)} ms, encoding ${r.encodeMs.toFixed(0)} ms), ${(r.bytes / 1048576).toFixed(1)} MB, ` +
        `${reply.nodes.length} nodes, ${reply.pending.length} Pending; first limit: ${reply.firstLimit ?? "none"}`,
    );
    // The first plan also starts the thread and copies the cluster into it: counted apart.
    if (i === 0)
      records.push(
        makeRecord("plan: first plan (thread start, cluster copied in)", size, "ms", summarise([r.ms])),
      );
    else {
      times.push(r.ms);
      planner.push(r.planMs);
    }
  }
  records.push(
    makeRecord(
      `plan: scale one workload by ${o.scaleBy.toLocaleString("en-US")} pods, ${o.seeds} seeds`,
      size,
      "ms",
      summarise(times),
      "GET /api/plan, request to last byte, planned in the server's worker thread",
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

  // Pod changes with no plan, then with plans back to back: the live viewers' deltas must not wait for
  // a plan. Resumed from the topology's seq: deltas only (a snapshot if the ring has moved on, skipped).
  const reader = new SseReader();
  await reader.connect(`${url}/api/stream`, { "last-event-id": String(topology.seq) });
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
      reader.forget();
      await sleep(Math.max(500, 2 * (ev.at - change.at)));
    }
    return latency;
  };
  let quiet: number[];
  let busy: number[];
  let plans = 0;
  const failures: string[] = [];
  try {
    quiet = await deltas(o.firstPodIndex);
    let planning = true;
    const loop = (async () => {
      while (planning) {
        // A plan that fails (past its time) is said, and the viewers are measured all the same.
        await plan(url, query).then(
          () => plans++,
          (e: Error) => failures.push(e.message),
        );
      }
    })();
    try {
      await sleep(200);
      busy = await deltas(o.firstPodIndex + o.changes);
    } finally {
      planning = false;
      await loop;
    }
  } finally {
    reader.close();
  }
  const list = (l: number[]) => l.map((x) => x.toFixed(0)).join(", ");
  if (failures.length > 0) log(`  ${failures.length} plans failed meanwhile: ${failures[0]}`);
  log(`  ${quiet.length} pod changes with no plan: delta in ${list(quiet)} ms`);
  log(`  ${busy.length} pod changes during ${plans} plans: delta in ${list(busy)} ms`);
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
      "pod deleted in the simulator -> delta naming it, with plans running back to back",
    ),
  );
  return records;
}
