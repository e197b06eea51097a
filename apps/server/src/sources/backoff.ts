// Exponential backoff with jitter (what AWS asks of clients retrying throttled calls): each wait is a
// random time between half and all of the capped exponential, so clients retrying at once spread out.

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** [0, 1); Math.random unless a test seeds it. */
  random?: () => number;
}

export class Backoff {
  private attempt = 0;
  private readonly options: BackoffOptions;

  constructor(options: BackoffOptions) {
    this.options = options;
  }

  /** The wait before the next retry; grows with each call until reset. */
  next(): number {
    const cap = Math.min(this.options.maxMs, this.options.baseMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    const random = this.options.random ?? Math.random;
    return Math.max(1, Math.round(cap / 2 + (random() * cap) / 2));
  }

  reset(): void {
    this.attempt = 0;
  }

  get failures(): number {
    return this.attempt;
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
