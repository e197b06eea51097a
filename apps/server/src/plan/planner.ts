// The server's planner: plans a change on the cluster the feed serves, in the worker thread, one plan at
// a time (planQueue.ts). It only reads the feed's input; the planner has no client of its own, so nothing
// it does reaches the cluster or AWS.
import { formatPlanQuery, type PlanQuery, serverMessage } from "@eni-view/model";
import type { TopologyFeed } from "../topologyFeed.ts";
import { PlanQueue, type PlanQueueLimits } from "./planQueue.ts";
import { type PlanAnswer, type PlanReportForm, PlanWorker } from "./planWorker.ts";

/** Nothing to plan on yet: the server has not read the whole cluster once. */
export class PlanNotReadyError extends Error {
  readonly status = 503;
  readonly code = "loading";
  constructor() {
    super(serverMessage("plan.notReady").text);
    this.name = "PlanNotReadyError";
  }
}

export interface PlannerOptions {
  queue?: Partial<PlanQueueLimits>;
  timeoutMs?: number;
  /** The worker thread's module (tests may give another). */
  workerUrl?: URL;
}

export class Planner {
  private readonly feed: TopologyFeed;
  private readonly queue: PlanQueue;
  private readonly worker: PlanWorker;
  /** Each input the feed served gets a number, so the thread is sent an input only once. */
  private readonly keys = new WeakMap<object, number>();
  private nextKey = 1;

  constructor(feed: TopologyFeed, options: PlannerOptions = {}) {
    this.feed = feed;
    this.queue = new PlanQueue(options.queue);
    this.worker = new PlanWorker({ timeoutMs: options.timeoutMs, url: options.workerUrl });
  }

  /** Plans running or waiting. */
  get busy(): number {
    return this.queue.size;
  }

  /** The reply's JSON text (model PlanReply) and the thread's timings. Throws PlanBusyError,
   * PlanNotReadyError, PlanFailedError (the planner refused the plan, or failed) or PlanTimeoutError. */
  plan(address: string, plan: PlanQuery, report: PlanReportForm = "whole"): Promise<PlanAnswer> {
    if (this.feed.planBase() === null) return Promise.reject(new PlanNotReadyError());
    return this.queue.run(address, () => {
      // Taken when the plan's turn comes: the cluster as it is then, not as it was when it was asked.
      const base = this.feed.planBase();
      if (base === null) return Promise.reject(new PlanNotReadyError());
      let key = this.keys.get(base.input);
      if (key === undefined) {
        key = this.nextKey++;
        this.keys.set(base.input, key);
      }
      return this.worker.plan(key, () => base.input, {
        changes: plan.changes,
        seeds: plan.seeds,
        query: formatPlanQuery(plan),
        basedOn: { seq: base.seq, generatedAt: base.generatedAt },
        plannedAt: new Date().toISOString(),
        report,
      });
    });
  }

  close(): Promise<void> {
    return this.worker.close();
  }
}
