// The EC2 half of a replica that runs beside others: while it leads (it holds the Lease), it polls EC2
// itself with an Ec2Poller and offers what it read to the others (GET /internal/ec2); while it follows,
// it reads that from the leader instead, so the account's Describe* budget is spent once whatever the
// number of replicas. It never forgets the last good part: a replica taking over keeps showing what the
// old leader had read until its own first refresh is done, so no viewer sees the ENIs go missing.
import type { LoadingStep, SourceStatus } from "@eni-view/model";
import { sourceEnglish, stepLabel } from "@eni-view/model";
import { PEER_STATUS_HEADER } from "../routes/peer.ts";
import type { Ec2Half } from "../sources/clusterSource.ts";
import type { Ec2Part, Ec2Poller } from "../sources/ec2/ec2Poller.ts";

export interface SharedEc2Options {
  makePoller: () => Ec2Poller;
  /** Where the leader is reached (its advertised URL), null while this replica leads or nobody does. */
  leaderUrl: () => string | null;
  /** The Bearer token replicas show each other. */
  peerToken: string;
  /** How often a follower asks the leader (a 304 when nothing changed). */
  followEveryMs: number;
  /** A follower's data is stale when the leader's last EC2 read is older than this. */
  staleAfterMs: number;
  now?: () => number;
}

export class SharedEc2 implements Ec2Half {
  private readonly options: SharedEc2Options;
  private readonly now: () => number;
  private poller: Ec2Poller | null = null;
  private stopping: Promise<void> = Promise.resolve();
  private targets: string[] | null = null;
  private podSubnets: string[] = [];
  private fargate: string[] = [];
  private peer: { status: SourceStatus; part: Ec2Part; etag: string } | null = null;
  private peerFailure: { error: string; since: number } | null = null;
  /** The last good part, whoever read it. */
  private lastPart: Ec2Part | null = null;
  private onChange: () => void = () => {};
  private followTimer: NodeJS.Timeout | null = null;
  private fetching = false;
  private stopped = false;
  /** The part offered to followers, serialised once per part. */
  private offered: { part: Ec2Part; json: string; etag: string } | null = null;
  private offers = 0;

  constructor(options: SharedEc2Options) {
    this.options = options;
    this.now = options.now ?? Date.now;
  }

  get leading(): boolean {
    return this.poller !== null;
  }

  /** This replica won the Lease: poll EC2 from now on. */
  lead(): void {
    if (this.poller || this.stopped) return;
    const poller = this.options.makePoller();
    this.poller = poller;
    if (this.targets) poller.setTargets(this.targets);
    poller.setPodSubnets(this.podSubnets);
    poller.setFargateAddresses(this.fargate);
    poller.start(() => {
      const part = poller.part();
      if (part) this.lastPart = part;
      this.onChange();
    });
    this.onChange();
  }

  /** This replica lost (or gave up) the Lease: stop polling, read the leader's from now on. */
  follow(): void {
    const poller = this.poller;
    if (!poller) return;
    this.poller = null;
    this.offered = null;
    this.stopping = poller.stop();
    this.onChange();
  }

  setTargets(instanceIds: string[]): void {
    this.targets = instanceIds;
    this.poller?.setTargets(instanceIds);
  }

  setPodSubnets(subnetIds: string[]): void {
    this.podSubnets = subnetIds;
    this.poller?.setPodSubnets(subnetIds);
  }

  setFargateAddresses(ips: string[]): void {
    this.fargate = ips;
    this.poller?.setFargateAddresses(ips);
  }

  markChanged(instanceIds: string[]): void {
    this.poller?.markChanged(instanceIds);
  }

  requestEarly(): void {
    this.poller?.requestEarly();
  }

  keepRaw(): void {
    // A capture reads one cluster directly (never through replicas): nothing to keep here.
  }

  raw(): null {
    return null;
  }

  start(onChange: () => void): void {
    this.onChange = onChange;
    const tick = async () => {
      if (this.stopped) return;
      await this.fetchFromLeader();
      if (!this.stopped) this.followTimer = setTimeout(tick, this.options.followEveryMs);
    };
    void tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.followTimer) clearTimeout(this.followTimer);
    await Promise.all([this.poller?.stop(), this.stopping]);
  }

  /** While leading and once its own poller has read EC2: the part for followers, its ETag, its health. */
  offer(): { json: string; etag: string; status: SourceStatus } | null {
    const poller = this.poller;
    const part = poller?.part();
    if (!poller || !part) return null;
    if (this.offered?.part !== part)
      this.offered = { part, json: JSON.stringify(part), etag: `"${++this.offers}-${this.now()}"` };
    return { json: this.offered.json, etag: this.offered.etag, status: poller.status() };
  }

  private async fetchFromLeader(): Promise<void> {
    const url = this.options.leaderUrl();
    if (this.poller || url === null || this.fetching) return;
    this.fetching = true;
    try {
      const res = await fetch(new URL("/internal/ec2", url), {
        headers: {
          authorization: `Bearer ${this.options.peerToken}`,
          ...(this.peer ? { "if-none-match": this.peer.etag } : {}),
        },
        signal: AbortSignal.timeout(Math.max(5_000, this.options.followEveryMs * 4)),
      });
      const header = res.headers.get(PEER_STATUS_HEADER);
      const status = header ? (JSON.parse(decodeURIComponent(header)) as SourceStatus) : null;
      if (res.status === 304 && this.peer && status) {
        this.peer.status = status;
        this.peerFailure = null;
        await res.body?.cancel();
        return;
      }
      if (res.status !== 200) {
        const reason = ((await res.json().catch(() => ({}))) as { message?: string }).message;
        throw new Error(
          reason
            ? sourceEnglish("leader.answeredWhy", { status: res.status, reason })
            : sourceEnglish("leader.answered", { status: res.status }),
        );
      }
      const part = (await res.json()) as Ec2Part;
      if (this.poller) return; // became the leader meanwhile: its own reads win
      if (!status) throw new Error(sourceEnglish("leader.noStatus", { header: PEER_STATUS_HEADER }));
      this.peer = { status, part, etag: res.headers.get("etag") ?? "" };
      this.lastPart = part;
      this.peerFailure = null;
      this.onChange();
    } catch (err) {
      const error = sourceEnglish("peer.cannotRead", { detail: (err as Error).message });
      const changed = this.peerFailure?.error !== error;
      this.peerFailure = { error, since: this.peerFailure?.since ?? this.now() };
      if (changed) this.onChange();
    } finally {
      this.fetching = false;
    }
  }

  get answered(): boolean {
    return this.lastPart !== null || (this.poller?.answered ?? false);
  }

  get error(): string | null {
    if (this.poller?.answered || (this.poller && !this.peer)) return this.poller.error;
    return this.status().error;
  }

  part(): Ec2Part | null {
    return this.poller?.part() ?? this.lastPart;
  }

  status(): SourceStatus {
    if (this.poller?.answered || (this.poller && !this.peer)) return this.poller.status();
    const base = this.peer?.status;
    const last = base?.lastSuccess ?? null;
    const old = last === null || this.now() - Date.parse(last) > this.options.staleAfterMs;
    // Losing the leader for a moment (it died, another is taking the Lease) leaves the data as fresh as
    // it was: it is said once the data is older than a refresh should ever leave it.
    const failure = old ? this.peerFailure : null;
    return {
      stale: old || (base?.stale ?? true) || failure !== null,
      error: failure?.error ?? base?.error ?? null,
      since: failure ? new Date(failure.since).toISOString() : (base?.since ?? null),
      lastSuccess: last,
    };
  }

  progress(): LoadingStep[] {
    if (this.poller && !this.peer) return this.poller.progress();
    return [
      {
        ...stepLabel("loading.step.leaderEc2"),
        count: this.lastPart?.enis.length ?? 0,
        total: null,
        complete: this.answered,
        error: this.answered ? null : (this.peerFailure?.error ?? null),
      },
    ];
  }
}
