// Leader election over one Lease, as client-go's tools/leaderelection does it: a candidate takes the
// Lease when nobody holds it, when its holder released it, or when the holder has not renewed it for
// leaseDuration as measured on this replica's own clock from the moment it last saw the record change
// (so clocks need not agree); the leader renews every retryPeriod and steps down when it could not renew
// for renewDeadline. Every write carries the resourceVersion read, so two candidates never both win.
// @kubernetes/client-node 2.x ships no leader election (only the V1Lease model), and the npm packages
// that do are unmaintained wrappers, so this follows client-go's algorithm over our own LeaseStore.
import { KubeApiError } from "../sources/kube/kubeClient.ts";
import { type LeaseRecord, type LeaseStore, microTime, type StoredLease } from "./leaseStore.ts";

export interface ElectionTiming {
  /** How long followers wait after the last renewal they saw before taking the Lease (client-go: 15 s). */
  leaseDurationMs: number;
  /** A leader that could not renew for this long stops leading (client-go: 10 s). */
  renewDeadlineMs: number;
  /** How often candidates try and the leader renews (client-go: 2 s). */
  retryPeriodMs: number;
}

export const defaultTiming: ElectionTiming = {
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
};

/** client-go's JitterFactor: candidates retry after retryPeriod × (1 + up to 1.2). */
const jitterFactor = 1.2;

/** client-go's NewLeaderElector checks, with the same reasons. */
export function timingProblem(t: ElectionTiming): string | null {
  if (!(t.leaseDurationMs > t.renewDeadlineMs))
    return "the lease duration must be greater than the renew deadline";
  if (!(t.renewDeadlineMs > jitterFactor * t.retryPeriodMs))
    return `the renew deadline must be greater than the retry period × ${jitterFactor}`;
  if (!(t.retryPeriodMs > 0)) return "the retry period must be greater than 0";
  return null;
}

export interface ElectorOptions extends ElectionTiming {
  store: LeaseStore;
  /** This replica's holderIdentity (its pod name and a random suffix). */
  identity: string;
  /** Published on the Lease while this replica holds it (where followers reach it). */
  annotations?: Record<string, string>;
  onStartedLeading: () => void;
  onStoppedLeading: () => void;
  /** A Lease write or read failed (logged; the election goes on). */
  onError?: (err: Error) => void;
  now?: () => number;
  random?: () => number;
}

export class LeaderElector {
  private readonly options: ElectorOptions;
  private readonly now: () => number;
  private readonly random: () => number;
  private observed: StoredLease | null = null;
  /** When this replica last saw the record change (client-go's observedTime). */
  private observedAt = 0;
  private leading = false;
  /** The last successful renewal while leading. */
  private renewedAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private running: Promise<void> | null = null;

  constructor(options: ElectorOptions) {
    const problem = timingProblem(options);
    if (problem) throw new Error(problem);
    this.options = options;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  get identity(): string {
    return this.options.identity;
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** The Lease as last read or written: its holder and what it published. */
  lease(): LeaseRecord | null {
    return this.observed?.record ?? null;
  }

  /** Tries (and renews) on its own schedule until stop(). */
  start(): void {
    const loop = async () => {
      if (this.stopped) return;
      this.running = this.step();
      await this.running;
      if (this.stopped) return;
      const wait = this.leading
        ? this.options.retryPeriodMs
        : this.options.retryPeriodMs * (1 + this.random() * jitterFactor);
      this.timer = setTimeout(loop, wait);
    };
    void loop();
  }

  /** Stops trying; a leader releases the Lease (client-go's ReleaseOnCancel) so a follower takes over at
   * its next try instead of a lease duration later. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    if (!this.leading || !this.observed) return;
    this.setLeading(false);
    const now = microTime(this.now());
    try {
      await this.options.store.update(
        {
          ...this.observed.record,
          holderIdentity: "",
          leaseDurationSeconds: 1,
          renewTime: now,
          acquireTime: now,
          annotations: {},
        },
        this.observed.resourceVersion,
      );
    } catch (err) {
      this.options.onError?.(err as Error);
    }
  }

  /** One round: try to acquire or renew, then lead or follow by the outcome. */
  async step(): Promise<void> {
    const ok = await this.tryAcquireOrRenew();
    const now = this.now();
    if (ok) {
      this.renewedAt = now;
      if (!this.leading) this.setLeading(true);
      return;
    }
    // Another holder is in the Lease (it was ours only if our lease ran out): stop at once. Otherwise
    // keep leading until renewals have failed for the renew deadline.
    const holder = this.observed?.record.holderIdentity;
    const takenOver = holder !== undefined && holder !== "" && holder !== this.options.identity;
    if (this.leading && (takenOver || now - this.renewedAt >= this.options.renewDeadlineMs))
      this.setLeading(false);
  }

  private setLeading(leading: boolean): void {
    this.leading = leading;
    if (leading) this.options.onStartedLeading();
    else this.options.onStoppedLeading();
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { store, identity } = this.options;
    const now = this.now();
    const mine = (previous: LeaseRecord | null): LeaseRecord => {
      const held = previous?.holderIdentity === identity;
      return {
        holderIdentity: identity,
        leaseDurationSeconds: Math.ceil(this.options.leaseDurationMs / 1000),
        acquireTime: held ? (previous?.acquireTime ?? microTime(now)) : microTime(now),
        renewTime: microTime(now),
        leaseTransitions: previous ? previous.leaseTransitions + (held ? 0 : 1) : 0,
        annotations: this.options.annotations ?? {},
      };
    };
    try {
      const current = await store.get();
      if (current === null) {
        this.see(await store.create(mine(null)), now);
        return true;
      }
      if (this.observed === null || this.observed.resourceVersion !== current.resourceVersion)
        this.see(current, now);
      const record = current.record;
      const expiresAt = this.observedAt + record.leaseDurationSeconds * 1000;
      if (record.holderIdentity !== "" && record.holderIdentity !== identity && expiresAt > now) return false;
      this.see(await store.update(mine(record), current.resourceVersion), now);
      return true;
    } catch (err) {
      // 409: someone else wrote first (they won this round); 404 on update: it was deleted. Either way the
      // next round reads it again.
      const conflict = err instanceof KubeApiError && (err.statusCode === 409 || err.statusCode === 404);
      if (!conflict) this.options.onError?.(err as Error);
      return false;
    }
  }

  private see(lease: StoredLease, now: number): void {
    this.observed = lease;
    this.observedAt = now;
  }
}
