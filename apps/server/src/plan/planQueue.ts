// Who gets the planner, and when. A plan of a 5,000-node cluster keeps a core busy for a second or two;
// the server has few, and live viewers come first. So plans run one at a time (in one worker thread), a
// client address has at most one plan running or waiting, and only a few wait in all: a caller past
// those limits is told to come back (429) instead of piling work up behind the live stream.

import { type ServerMessage, serverMessage } from "@eni-view/model";

export interface PlanQueueLimits {
  /** Plans waiting behind the one that runs, from all clients together. */
  maxWaiting: number;
  /** Plans running or waiting from one client address. */
  perAddress: number;
}

export const defaultPlanQueueLimits: PlanQueueLimits = { maxWaiting: 4, perAddress: 1 };

/** Refused before it ran: the queue is full, or this client already has a plan under way. */
export class PlanBusyError extends Error {
  readonly status = 429;
  readonly code = "plan-busy";
  readonly retryAfterS: number;
  /** The message as a key of the server catalogue, for a page in another language. */
  readonly said: ServerMessage;
  constructor(said: ServerMessage, retryAfterS: number) {
    super(serverMessage(said.key, said.values).text);
    this.said = said;
    this.name = "PlanBusyError";
    this.retryAfterS = retryAfterS;
  }
}

interface Waiting {
  address: string;
  start: () => void;
}

/** Runs tasks one at a time in arrival order, with the limits above. */
export class PlanQueue {
  private readonly limits: PlanQueueLimits;
  private readonly waiting: Waiting[] = [];
  private readonly perAddress = new Map<string, number>();
  private running = false;

  constructor(limits: Partial<PlanQueueLimits> = {}) {
    this.limits = { ...defaultPlanQueueLimits, ...limits };
  }

  /** Plans running or waiting now. */
  get size(): number {
    return this.waiting.length + (this.running ? 1 : 0);
  }

  /** Runs `task` once every plan before it is done; refuses with PlanBusyError past the limits. */
  run<T>(address: string, task: () => Promise<T>): Promise<T> {
    const mine = this.perAddress.get(address) ?? 0;
    if (mine >= this.limits.perAddress) {
      return Promise.reject(new PlanBusyError({ key: "plan.mine" }, 2));
    }
    if (this.running && this.waiting.length >= this.limits.maxWaiting) {
      return Promise.reject(new PlanBusyError({ key: "plan.busy", values: { plans: this.size } }, 5));
    }
    this.perAddress.set(address, mine + 1);
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.running = true;
        // Done before the caller hears: a client that asks again on its answer is not refused.
        const done = () => {
          const left = (this.perAddress.get(address) ?? 1) - 1;
          if (left > 0) this.perAddress.set(address, left);
          else this.perAddress.delete(address);
          this.running = false;
          this.waiting.shift()?.start();
        };
        Promise.resolve()
          .then(task)
          .then(
            (value) => {
              done();
              resolve(value);
            },
            (err: unknown) => {
              done();
              reject(err);
            },
          );
      };
      if (this.running) this.waiting.push({ address, start });
      else start();
    });
  }
}
