// Runs plans in a worker thread (planThread.ts), so a plan of a big cluster never holds up the server's
// event loop: live viewers keep getting their deltas while it runs. The cluster's input crosses to the
// thread only when it changed since the last plan, and then only its changed items (inputSync.ts); a
// plan that runs past its time ends the thread, and the next plan starts a fresh one.
import { Worker } from "node:worker_threads";
import { type PlanChange, serverMessage } from "@eni-view/model";
import { InputSender, type InputUpdate } from "./inputSync.ts";

/** One plan, as it crosses to the thread. */
export interface PlanRequest {
  changes: PlanChange[];
  seeds: number[];
  /** The query as understood (formatPlanQuery), returned with the answer. */
  query: string;
  basedOn: { seq: number; generatedAt: string };
  plannedAt: string;
  /** The planned cluster whole, or as what it changes in the topology of `basedOn.seq` (the page holds it). */
  report: PlanReportForm;
}

export type PlanReportForm = "whole" | "delta";

export type ToPlanThread =
  | { type: "input"; key: number; update: InputUpdate }
  | { type: "plan"; id: number; key: number; request: PlanRequest }
  | { type: "close" };

/** An error thrown in the thread, as fields (an Error does not cross threads with its own class). */
export interface PlanErrorFields {
  name: string;
  message: string;
  /** The request's field the error is about, when the planner named one. */
  field?: string;
  code?: string;
}

/** A plan's answer: the reply's JSON text, serialised in the thread and passed on as it is, and where the
 * thread's time went (the route sends it as Server-Timing). */
export interface PlanAnswer {
  json: string;
  /** ms rebuilding the report of the cluster as it is (only when it changed), in the planner itself, and in
   * encoding and serialising its answer. */
  baseMs: number;
  planMs: number;
  encodeMs: number;
  /** CPU ms the thread spent on all of that: on a busy machine the wall times also count others' turns. */
  cpuMs: number;
}

export type FromPlanThread = { id: number; result: PlanAnswer } | { id: number; error: PlanErrorFields };

export function planErrorFields(err: unknown): PlanErrorFields {
  const e = (err ?? {}) as {
    name?: unknown;
    message?: unknown;
    field?: unknown;
    subject?: unknown;
    code?: unknown;
  };
  const text = (v: unknown) => (typeof v === "string" ? v : undefined);
  // The planner's PlanInputError names what it refuses as its `subject`.
  const field = text(e.field) ?? text(e.subject);
  return {
    name: text(e.name) ?? "Error",
    message: text(e.message) ?? String(err),
    ...(field ? { field } : {}),
    ...(text(e.code) ? { code: text(e.code) } : {}),
  };
}

/** The plan failed in the thread; `fields` say why, as the planner put it. */
export class PlanFailedError extends Error {
  readonly fields: PlanErrorFields;
  constructor(fields: PlanErrorFields) {
    super(fields.message);
    this.name = "PlanFailedError";
    this.fields = fields;
  }
}

/** The plan took longer than it may: the thread was ended. */
export class PlanTimeoutError extends Error {
  readonly status = 503;
  readonly code = "plan-timeout";
  readonly seconds: number;
  constructor(ms: number) {
    super(serverMessage("plan.timeout", { seconds: Math.round(ms / 1000) }).text);
    this.seconds = Math.round(ms / 1000);
    this.name = "PlanTimeoutError";
  }
}

export interface PlanWorkerOptions {
  /** A plan running longer than this ends the thread. */
  timeoutMs?: number;
  /** The thread's module (tests may give another). */
  url?: URL;
}

/** A 5,000-node cluster's input and the planner's copies of it (one per seed) fit well under this; a
 * plan that would not is ended by V8 rather than growing the whole process. */
const threadOldGenerationMb = 1024;

export class PlanWorker {
  private worker: Worker | null = null;
  /** The input key the current thread holds, or null. */
  private heldKey: number | null = null;
  private readonly waiting = new Map<
    number,
    { resolve: (r: PlanAnswer) => void; reject: (e: Error) => void }
  >();
  private nextId = 1;
  private readonly timeoutMs: number;
  private readonly url: URL;
  private readonly sender = new InputSender();

  constructor(options: PlanWorkerOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.url = options.url ?? new URL("./planThread.ts", import.meta.url);
  }

  /** Whether a thread is up (it starts with the first plan). */
  get started(): boolean {
    return this.worker !== null;
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.url, {
      resourceLimits: { maxOldGenerationSizeMb: threadOldGenerationMb },
    });
    worker.unref();
    worker.on("message", (m: FromPlanThread) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if ("result" in m) w.resolve(m.result);
      else w.reject(new PlanFailedError(m.error));
    });
    const ended = (err: Error) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.heldKey = null;
      this.sender.forget();
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
    };
    worker.on("error", (err) => ended(new Error(`the planner's thread failed: ${err.message}`)));
    worker.on("exit", (code) => ended(new Error(`the planner's thread ended (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  /** Plans `request` on the input known by `key` (`input()` is called only when the thread lacks it);
   * resolves to the answer. */
  plan(key: number, input: () => object, request: PlanRequest): Promise<PlanAnswer> {
    const worker = this.thread();
    if (this.heldKey !== key) {
      const update = this.sender.update(input());
      const buffers = Object.values(update.lists).map((l) => l.ids.buffer as ArrayBuffer);
      worker.postMessage({ type: "input", key, update } satisfies ToPlanThread, buffers);
      this.heldKey = key;
    }
    const id = this.nextId++;
    return new Promise<PlanAnswer>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (!this.waiting.has(id)) return;
        this.waiting.delete(id);
        reject(new PlanTimeoutError(this.timeoutMs));
        // The thread may be stuck in a loop that never yields: only ending it stops it.
        if (this.worker === worker) {
          this.worker = null;
          this.heldKey = null;
          this.sender.forget();
          for (const w of this.waiting.values()) w.reject(new PlanTimeoutError(this.timeoutMs));
          this.waiting.clear();
        }
        void worker.terminate();
      }, this.timeoutMs);
      timer.unref();
      this.waiting.set(id, {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      worker.postMessage({ type: "plan", id, key, request } satisfies ToPlanThread);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    this.heldKey = null;
    this.sender.forget();
    for (const w of this.waiting.values()) w.reject(new Error("the planner was closed"));
    this.waiting.clear();
    await worker.terminate();
  }
}
