// One replica among several behind a Service (serve --leader-elect): it watches Kubernetes itself like
// any server, takes part in the election for the Lease, polls EC2 only while it holds it, and otherwise
// reads EC2 from the holder, whose address it finds on the Lease (the eni-view.io/peer-url annotation).
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { KubeConfig } from "@kubernetes/client-node";
import type { PeerAccess } from "../routes/peer.ts";
import type { Ec2Poller } from "../sources/ec2/ec2Poller.ts";
import { type ElectionTiming, LeaderElector } from "./leaderElector.ts";
import { KubeLeaseStore, type LeaseStore } from "./leaseStore.ts";
import { SharedEc2 } from "./sharedEc2.ts";

export const PEER_URL_ANNOTATION = "eni-view.io/peer-url";

export interface ReplicaSettings {
  namespace: string;
  leaseName: string;
  /** holderIdentity: the pod's name and a random suffix, as client-go's examples make it. */
  identity: string;
  timing: ElectionTiming;
  peerToken: string;
  /** How the others reach this replica; the listening URL when absent (replicas on one machine). */
  advertiseUrl?: string;
  /** The EC2 refresh interval (a follower asks the leader three times as often). */
  ec2IntervalMs: number;
}

export function replicaIdentity(env: NodeJS.ProcessEnv = process.env): string {
  return `${env.POD_NAME ?? hostname()}_${randomUUID().slice(0, 8)}`;
}

export interface ReplicaEvents {
  /** "started leading", "stopped leading", a Lease error, for the log: a key of the server catalogue and its
   * values, which the CLI prints in its language. */
  log?: (said: { key: string; values: Record<string, string | number> }) => void;
}

export class Replica {
  private readonly settings: ReplicaSettings;
  private readonly store: LeaseStore;
  private elector: LeaderElector | null = null;
  private shared: SharedEc2 | null = null;
  private readonly events: ReplicaEvents;
  private leaving = false;

  constructor(settings: ReplicaSettings, lease: KubeConfig | LeaseStore, events: ReplicaEvents = {}) {
    this.settings = settings;
    this.store = "get" in lease ? lease : new KubeLeaseStore(lease, settings.namespace, settings.leaseName);
    this.events = events;
  }

  /** For ClusterSource's `ec2Half`: the poller wrapped so it runs only while this replica leads. */
  readonly ec2Half = (makePoller: () => Ec2Poller): SharedEc2 => {
    this.shared = new SharedEc2({
      makePoller,
      leaderUrl: () => this.leaderUrl(),
      peerToken: this.settings.peerToken,
      followEveryMs: Math.max(200, Math.min(5_000, this.settings.ec2IntervalMs / 3)),
      staleAfterMs: this.settings.ec2IntervalMs * 2 + 5_000,
    });
    return this.shared;
  };

  /** For the app: /internal/ec2 answers with this replica's reads while it leads. */
  peerAccess(): PeerAccess {
    return { token: this.settings.peerToken, ec2: () => this.shared?.offer() ?? null };
  }

  /** The holder's address while another replica holds the Lease. */
  leaderUrl(): string | null {
    const lease = this.elector?.lease();
    if (!lease || lease.holderIdentity === "" || lease.holderIdentity === this.settings.identity) return null;
    return lease.annotations[PEER_URL_ANNOTATION] ?? null;
  }

  isLeader(): boolean {
    return this.elector?.isLeader() ?? false;
  }

  /** Joins the election once the server listens (its URL is what the others will call). */
  start(listeningUrl: string): void {
    const log = this.events.log ?? (() => {});
    const lease = `${this.settings.namespace}/${this.settings.leaseName}`;
    this.elector = new LeaderElector({
      ...this.settings.timing,
      store: this.store,
      identity: this.settings.identity,
      annotations: { [PEER_URL_ANNOTATION]: this.settings.advertiseUrl ?? listeningUrl },
      onStartedLeading: () => {
        log({ key: "replica.leading", values: { identity: this.settings.identity, lease } });
        this.shared?.lead();
      },
      onStoppedLeading: () => {
        log({
          key: this.leaving ? "replica.released" : "replica.following",
          values: { identity: this.settings.identity },
        });
        this.shared?.follow();
      },
      onError: (err) => log({ key: "replica.leaseError", values: { lease, error: err.message } }),
    });
    this.elector.start();
  }

  /** Leaves the election, releasing the Lease when held so another replica takes over at once. */
  async stop(): Promise<void> {
    this.leaving = true;
    await this.elector?.stop();
  }
}
