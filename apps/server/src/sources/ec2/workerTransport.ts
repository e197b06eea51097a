// Reads EC2 pages in a worker thread (ec2Worker.ts). The poller keeps its loop, retries, backoff and
// counters in the server's thread; each page goes to the worker as a request and comes back as mapped
// model inputs, or as the fields of the error the SDK threw (name, code, HTTP status), rebuilt here so
// that throttling, AccessDenied and network errors read exactly as they do from the SDK itself.
import { Worker } from "node:worker_threads";
import type { Ec2Transport, PageRequest, PageResult } from "./pages.ts";

/** What the worker needs to build its EC2Client: plain data, as it crosses threads. */
export interface Ec2ClientConfig {
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  requestTimeoutMs: number;
  connectionTimeoutMs: number;
}

export type ToWorker =
  | { type: "read"; id: number; request: PageRequest }
  | { type: "abort"; id: number }
  | { type: "close" };

type FromWorker = { id: number; result: PageResult } | { id: number; error: ErrorFields };

/** The parts of an SDK or network error that describeEc2Error and isThrottle read. */
export interface ErrorFields {
  name?: string;
  message?: string;
  Code?: string;
  code?: string;
  httpStatusCode?: number;
  causeCode?: string;
}

export function errorFields(err: unknown): ErrorFields {
  const e = (err ?? {}) as {
    name?: unknown;
    message?: unknown;
    Code?: unknown;
    code?: unknown;
    $metadata?: { httpStatusCode?: unknown };
    cause?: { code?: unknown };
  };
  const text = (v: unknown) => (typeof v === "string" ? v : undefined);
  const status = e.$metadata?.httpStatusCode;
  return {
    name: text(e.name),
    message: text(e.message) ?? String(err),
    Code: text(e.Code),
    code: text(e.code),
    httpStatusCode: typeof status === "number" ? status : undefined,
    causeCode: text(e.cause?.code),
  };
}

export function errorFromFields(f: ErrorFields): Error {
  const err = new Error(f.message ?? "EC2 call failed") as Error & Record<string, unknown>;
  if (f.name) err.name = f.name;
  if (f.Code) err.Code = f.Code;
  if (f.code) err.code = f.code;
  if (f.httpStatusCode !== undefined) err.$metadata = { httpStatusCode: f.httpStatusCode };
  if (f.causeCode) err.cause = { code: f.causeCode };
  return err;
}

/** A ceiling far above what 5,000 nodes need (about 60 MB live: the SDK and 17,700 ENIs' last mapped
 * JSON), so a bigger cluster does not run the thread out of memory; the small young generation is what
 * keeps the heap near its live size. A thread that still runs out is replaced at the next refresh. */
const workerOldGenerationMb = 512;

export class WorkerTransport implements Ec2Transport {
  private readonly worker: Worker;
  private readonly pending = new Map<
    number,
    { resolve: (r: PageResult) => void; reject: (e: Error) => void }
  >();
  private nextId = 1;
  /** The thread ended (crashed or closed): a new transport is needed. */
  dead = false;

  constructor(config: Ec2ClientConfig) {
    this.worker = new Worker(new URL("./ec2Worker.ts", import.meta.url), {
      workerData: config,
      // The thread holds little between pages (the SDK and each item's last mapped JSON) but parsing makes
      // much garbage; a bounded heap makes V8 collect it instead of growing the process by hundreds of MB.
      resourceLimits: { maxOldGenerationSizeMb: workerOldGenerationMb, maxYoungGenerationSizeMb: 16 },
    });
    this.worker.on("message", (m: FromWorker) => {
      const waiting = this.pending.get(m.id);
      if (!waiting) return;
      this.pending.delete(m.id);
      if ("result" in m) waiting.resolve(m.result);
      else waiting.reject(errorFromFields(m.error));
    });
    const fail = (err: Error) => {
      this.dead = true;
      for (const w of this.pending.values()) w.reject(err);
      this.pending.clear();
    };
    this.worker.on("error", (err) => fail(err));
    this.worker.on("exit", (code) => fail(new Error(`the EC2 worker thread ended (exit code ${code})`)));
  }

  read(request: PageRequest, signal: AbortSignal): Promise<PageResult> {
    if (this.dead) return Promise.reject(new Error("the EC2 worker thread has ended"));
    const id = this.nextId++;
    return new Promise<PageResult>((resolve, reject) => {
      const onAbort = () => {
        if (!this.pending.delete(id)) return;
        this.worker.postMessage({ type: "abort", id } satisfies ToWorker);
        const err = new Error("the EC2 call was aborted");
        err.name = "AbortError";
        reject(err);
      };
      if (signal.aborted) {
        const err = new Error("the EC2 call was aborted");
        err.name = "AbortError";
        return reject(err);
      }
      signal.addEventListener("abort", onAbort, { once: true });
      this.pending.set(id, {
        resolve: (r) => {
          signal.removeEventListener("abort", onAbort);
          resolve(r);
        },
        reject: (e) => {
          signal.removeEventListener("abort", onAbort);
          reject(e);
        },
      });
      this.worker.postMessage({ type: "read", id, request } satisfies ToWorker);
    });
  }

  async close(): Promise<void> {
    if (this.dead) return;
    this.worker.postMessage({ type: "close" } satisfies ToWorker);
    await this.worker.terminate();
  }
}
