// A live cluster as a source: the Kubernetes half (list + watch) and the EC2 half (filtered polling)
// side by side. Kubernetes tells EC2 which instances to describe, in which region, and when ENIs are
// about to move; each half keeps its own last good data and health.
import type { ClusterInput, LoadingStep } from "@eni-view/model";
import { regionOfZone } from "./dump/index.ts";
import { Ec2Poller, type Ec2Raw } from "./ec2/ec2Poller.ts";
import { WorkerTransport } from "./ec2/workerTransport.ts";
import { clusterNameOf, KubeClient, type KubeConfigChoice, loadKubeConfig } from "./kube/kubeClient.ts";
import { type KubeRaw, KubeWatcher } from "./kube/kubeWatcher.ts";
import {
  emptyCounters,
  type Source,
  SourceConfigError,
  type SourceCounters,
  type SourceSnapshot,
} from "./source.ts";

export interface ClusterSourceOptions extends KubeConfigChoice {
  /** Shown to viewers: "cluster" or "sim". */
  kind?: string;
  /** The cluster's name as viewers see it; from the kubeconfig when absent, then aws-node's CLUSTER_NAME. */
  clusterName?: string;
  /** AWS region; from the nodes' providerID zones when absent, then AWS_REGION. */
  region?: string;
  /** A custom EC2 endpoint (the simulator's). */
  ec2Endpoint?: string;
  /** Static credentials (the simulator accepts any); the SDK's standard chain when absent. */
  ec2Credentials?: { accessKeyId: string; secretAccessKey: string };
  ec2IntervalMs?: number;
  ec2MinGapMs?: number;
  ec2Retries?: number;
  ec2BackoffBaseMs?: number;
  watchTimeoutSeconds?: number;
  watchQuietMs?: number;
  kubeBackoffBaseMs?: number;
  kubeBackoffMaxMs?: number;
  /** Cluster seconds per wall second: the simulator's speed, so an inferred IP cooldown ends when its does. */
  clusterSpeed?: number;
  /** Wraps the EC2 poller, given a way to make one (replicas share one poller through a Lease: ha/). */
  ec2Half?: (makePoller: () => Ec2Poller) => Ec2Half;
}

/** What the source needs of its EC2 half: the poller, or a replica's shared view of one (ha/sharedEc2.ts). */
export type Ec2Half = Pick<
  Ec2Poller,
  | "setTargets"
  | "markChanged"
  | "setPodSubnets"
  | "setFargateAddresses"
  | "requestEarly"
  | "keepRaw"
  | "start"
  | "stop"
  | "answered"
  | "error"
  | "progress"
  | "status"
  | "part"
  | "raw"
>;

export class ClusterSource implements Source {
  readonly kind: string;
  private readonly options: ClusterSourceOptions;
  private readonly stats: SourceCounters = emptyCounters();
  private kube: KubeWatcher | null = null;
  private ec2: Ec2Half | null = null;
  private clusterName: string | null = null;
  private region: string | null = null;
  private ec2Transport: WorkerTransport | null = null;
  private keepingRaw = false;
  private cached: { kube: unknown; ec2: unknown; input: ClusterInput } | null = null;

  constructor(options: ClusterSourceOptions = {}) {
    this.options = options;
    this.kind = options.kind ?? "cluster";
  }

  /** Throws (before anything runs) when there is no usable kubeconfig or no AWS credentials: those are
   * usage errors, not states. */
  async start(onChange: () => void): Promise<void> {
    const kc = loadKubeConfig(this.options);
    this.clusterName = clusterNameOf(kc);
    if (!this.options.ec2Credentials) {
      // No credentials at all will not fix themselves: say so now, with the chain's words, rather than
      // retry EC2 for ever. Loaded here only: the simulator's static keys never need the chain.
      const { awsCredentialsProblem } = await import("./ec2/credentialsCheck.ts");
      const problem = await awsCredentialsProblem();
      if (problem !== null) throw new SourceConfigError(problem);
    }
    const kube = new KubeWatcher({
      client: new KubeClient(kc),
      counters: this.stats,
      watchTimeoutSeconds: this.options.watchTimeoutSeconds,
      quietMs: this.options.watchQuietMs,
      backoffBaseMs: this.options.kubeBackoffBaseMs,
      backoffMaxMs: this.options.kubeBackoffMaxMs,
      keepRaw: this.keepingRaw,
      clusterSpeed: this.options.clusterSpeed,
    });
    const makePoller = () =>
      new Ec2Poller({
        transport: () => this.transport(),
        counters: this.stats,
        intervalMs: this.options.ec2IntervalMs,
        minGapMs: this.options.ec2MinGapMs,
        retries: this.options.ec2Retries,
        backoffBaseMs: this.options.ec2BackoffBaseMs,
      });
    const ec2 = this.options.ec2Half ? this.options.ec2Half(makePoller) : makePoller();
    this.kube = kube;
    this.ec2 = ec2;
    if (this.keepingRaw) ec2.keepRaw();
    let targetsSet = false;
    kube.start((change) => {
      // EC2 starts as soon as the nodes are known, alongside a big cluster's long pod list. Node status
      // updates are frequent on a big cluster; only nodes coming and going change the targets.
      if (kube.nodes.listed && (!targetsSet || change.nodesChanged)) {
        targetsSet = true;
        const { ids, zones, fargateIps } = kube.instances();
        this.region ??=
          this.options.region ??
          zones.map(regionOfZone).find((r) => r !== null) ??
          process.env.AWS_REGION ??
          null;
        ec2.setTargets(ids);
        ec2.setFargateAddresses(fargateIps);
        // A replica that may take over polling starts its EC2 thread now: loading the SDK there takes
        // seconds, which would otherwise add to every takeover.
        if (this.options.ec2Half) this.transport();
      }
      // Custom networking's pod subnets: their ENIs are described with the nodes' subnets.
      ec2.setPodSubnets(kube.eniConfigSubnets());
      if (change.podNode) {
        const id = kube.instanceIdOf(change.podNode);
        if (id) ec2.markChanged([id]);
      }
      if (change.podsStarting) ec2.requestEarly();
      onChange();
    });
    ec2.start(onChange);
  }

  /** The EC2 calls run in a worker thread: parsing a big cluster's Describe answers takes seconds of CPU
   * that the event loop needs for watches, builds and viewers. A thread that died is replaced. */
  private transport(): WorkerTransport | Error {
    if (this.ec2Transport && !this.ec2Transport.dead) return this.ec2Transport;
    const region = this.options.region ?? this.region;
    if (!region) {
      return new Error("no AWS region: the nodes carry no providerID zone; pass --region or set AWS_REGION");
    }
    this.ec2Transport = new WorkerTransport({
      region,
      ...(this.options.ec2Endpoint ? { endpoint: this.options.ec2Endpoint } : {}),
      ...(this.options.ec2Credentials ? { credentials: this.options.ec2Credentials } : {}),
      requestTimeoutMs: 20_000,
      connectionTimeoutMs: 5_000,
    });
    return this.ec2Transport;
  }

  /** Keep the wire documents for `capture`; before start(). A server holds only the model inputs: the
   * documents of 150,000 pods and 17,000 ENIs are most of what its memory would otherwise hold. */
  keepRaw(): void {
    this.keepingRaw = true;
  }

  snapshot(): SourceSnapshot {
    const kube = this.kube;
    const ec2 = this.ec2;
    if (!kube || !ec2) return { input: null, sources: {}, ready: false, loaded: false };
    const sources = { kubernetes: kube.status(), ec2: ec2.status() };
    if (!kube.answered) return { input: null, sources, ready: false, loaded: false };
    const kubePart = kube.part();
    const ec2Part = ec2.part();
    // The same parts give the same input object, so the feed can skip rebuilding on a status-only change.
    if (this.cached?.kube !== kubePart || this.cached.ec2 !== ec2Part) {
      this.cached = {
        kube: kubePart,
        ec2: ec2Part,
        input: {
          clusterName: this.options.clusterName ?? this.clusterName ?? kube.awsNodeClusterName(),
          region: this.options.region ?? this.region,
          ...kubePart,
          enis: ec2Part?.enis ?? [],
          instances: ec2Part?.instances ?? [],
          subnets: ec2Part?.subnets ?? [],
          extraInstanceTypes: ec2Part?.extraInstanceTypes ?? [],
          cidrReservations: ec2Part?.cidrReservations ?? [],
        },
      };
    }
    // Nodes and pods listed, EC2 answered or failed: a cluster whose EC2 half cannot be read is shown with
    // that half marked stale (and the server unready), not kept behind "loading" for good.
    const loaded = ec2.answered || ec2.error !== null;
    return { input: this.cached.input, sources, ready: ec2.answered, loaded };
  }

  progress(): LoadingStep[] {
    if (!this.kube || !this.ec2) return [];
    return [...this.kube.progress(), ...this.ec2.progress()];
  }

  /** The wire documents behind the current input, for `capture`; null unless keepRaw() came first. */
  raw(): { kube: KubeRaw; ec2: Ec2Raw | null } | null {
    const kube = this.kube?.raw();
    if (!kube || !this.ec2) return null;
    return { kube, ec2: this.ec2.raw() };
  }

  counters(): SourceCounters {
    return this.stats;
  }

  async stop(): Promise<void> {
    await Promise.all([this.kube?.stop(), this.ec2?.stop()]);
    await this.ec2Transport?.close();
  }
}
