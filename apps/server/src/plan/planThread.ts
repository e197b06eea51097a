// The worker thread behind PlanWorker: holds the last cluster input it was sent and runs the planner on
// it, then encodes the answer (the planned cluster in the compact wire form, or as its delta against the
// cluster it was planned on) and serialises it here, so the server's thread only passes the text on.
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import {
  buildReport,
  type ClusterInput,
  encodeTopology,
  type PlanReply,
  planCluster,
  planDelta,
  type Report,
} from "@eni-view/model";
import { InputMirror } from "./inputSync.ts";
import { type PlanAnswer, type PlanRequest, planErrorFields, type ToPlanThread } from "./planWorker.ts";

// A thread is no extra core: on a busy 2-core server the planner's CPU is taken from the event loop that
// writes the live viewers' deltas. On Linux a thread is a task of its own, with its own nice value
// (setpriority(2) on its thread id), so the planner runs at the lowest priority and the server's own
// thread comes first. Elsewhere it keeps the process's priority.
try {
  const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
  if (Number.isInteger(tid) && tid > 0) setPriority(tid, 19);
} catch {
  // Not Linux, or /proc is not mounted.
}

const mirror = new InputMirror();
let held: { key: number; input: ClusterInput } | null = null;
/** The report of the held input, rebuilt from the previous one when the input changes (its unchanged
 * nodes, pods and ENIs are the same objects, so that is the feed's cheap incremental rebuild); the planned
 * report reuses it for everything a plan leaves alone. */
let base: { key: number; report: Report } | null = null;

function plan(key: number, request: PlanRequest): PlanAnswer {
  if (held?.key !== key)
    throw new Error("the planner's thread was not sent the cluster it was asked to plan on");
  const cpu = process.threadCpuUsage();
  const tb = performance.now();
  if (base?.key !== held.key) base = { key: held.key, report: buildReport(held.input, base?.report) };
  const t0 = performance.now();
  const result = planCluster({
    cluster: held.input,
    previous: base.report,
    changes: request.changes,
    seeds: request.seeds,
  });
  const t1 = performance.now();
  const { report, ...rest } = result;
  const reply: PlanReply = {
    ...rest,
    // The delta is made against the report of the input the plan started from, which is the report the
    // live topology of basedOn.seq was built as (the feed's buildReport of the same input).
    ...(request.report === "delta"
      ? { delta: planDelta(base.report, report) }
      : {
          report: encodeTopology({
            ...report,
            seq: request.basedOn.seq,
            generatedAt: request.plannedAt,
            source: "plan",
            sources: {},
          }),
        }),
    query: request.query,
    basedOn: request.basedOn,
    plannedAt: request.plannedAt,
  };
  const json = JSON.stringify(reply);
  const used = process.threadCpuUsage(cpu);
  return {
    json,
    baseMs: t0 - tb,
    planMs: t1 - t0,
    encodeMs: performance.now() - t1,
    cpuMs: (used.user + used.system) / 1000,
  };
}

parentPort!.on("message", (message: ToPlanThread) => {
  if (message.type === "input")
    held = { key: message.key, input: mirror.apply(message.update) as unknown as ClusterInput };
  else if (message.type === "plan") {
    try {
      parentPort!.postMessage({ id: message.id, result: plan(message.key, message.request) });
    } catch (err) {
      parentPort!.postMessage({ id: message.id, error: planErrorFields(err) });
    }
  } else if (message.type === "close") parentPort!.close();
});
