// The Kubernetes half of a live source: list + watch on nodes, pods, events and the aws-node
// DaemonSet, plus ENIConfig and CNINode when those CRDs are installed, each kept by its own Reflector. Turns what they hold into the model's inputs (mapping
// only objects that changed) and reports health per resource: a forbidden or failing resource keeps
// its last good items and is named in the error.
import type {
  CniConfig,
  CniNodeInput,
  EniConfigInput,
  EventInput,
  LoadingStep,
  NodeInput,
  PodInput,
  ReleasedIpInput,
  SourceStatus,
} from "@eni-view/model";
import { defaultCniConfig, ENI_CONFIG_KEY, nodeKindOf, stepLabel } from "@eni-view/model";
import { bump, type SourceCounters } from "../source.ts";
import type { KubeClient } from "./kubeClient.ts";
import {
  clusterNameFromDaemonSet,
  cniConfigFromDaemonSet,
  cniNodeFromKube,
  eniConfigFromKube,
  eventFromKube,
  nodeFromKube,
  podFromKube,
} from "./map.ts";
import { Reflector, type RestartReason } from "./reflector.ts";
import { slimCniNode, slimDaemonSet, slimEniConfig, slimEvent, slimNode, slimPod } from "./slim.ts";

type Obj = Record<string, unknown>;

export interface KubeWatcherOptions {
  client: KubeClient;
  counters: SourceCounters;
  watchTimeoutSeconds?: number;
  quietMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** How often a CRD found not installed (ENIConfig, CNINode) is looked for again; 5 minutes by default. */
  crdRecheckMs?: number;
  /** Also hold the slimmed wire objects, for `capture` (a server holds only the model inputs). */
  keepRaw?: boolean;
  now?: () => number;
  /** How many cluster seconds pass per second of `now` (the simulator's speed; 1 for a real cluster): a
   * freed IP's cooldown of IP_COOLDOWN_PERIOD cluster seconds ends sooner by this clock. */
  clusterSpeed?: number;
}

/** What changed, so the EC2 half can refresh early when ENIs are likely to move. */
export interface KubeChange {
  /** A pod bound to a node is waiting for its sandbox (ContainerCreating): IPAMD is handing out IPs. */
  podsStarting: boolean;
  /** Nodes were added or removed: the instances to describe changed. */
  nodesChanged: boolean;
  /** The node a pod started on or left (its ENIs move): read first on a cluster read incrementally. */
  podNode?: string;
}

export interface KubePart {
  nodes: NodeInput[];
  pods: PodInput[];
  events: EventInput[];
  cni: CniConfig;
  /** Absent while the CRD is not installed (or not yet listed). */
  eniConfigs?: EniConfigInput[];
  cniNodes?: CniNodeInput[];
  /** IPs of pods seen deleted within IP_COOLDOWN_PERIOD; absent when none. */
  releasedIps?: ReleasedIpInput[];
}

export interface KubeRaw {
  nodes: Obj[];
  pods: Obj[];
  events: Obj[];
  awsNode: Obj | null;
  /** Null when the CRD is not installed or not listed yet. */
  eniConfigs: Obj[] | null;
  cniNodes: Obj[] | null;
  /** The ENIConfig and CNINode lists have answered once (items, 404 or an error): a capture waits for it. */
  crdsAnswered: boolean;
}

interface ResourceHealth {
  error: string | null;
  since: number | null;
  lastSuccess: number | null;
}

/** What the watcher reads of every reflector, whatever it holds. */
interface Watched {
  readonly resource: string;
  readonly version: number;
  readonly listed: boolean;
  readonly absent: boolean;
  start(): void;
  stop(): Promise<void>;
}

export class KubeWatcher {
  private readonly now: () => number;
  // Each reflector holds every object's model input, mapped once when the object arrives (so an unchanged
  // object hands the model the same input object at every rebuild), and beside it the slimmed wire object
  // only when a capture needs it (or the aws-node DaemonSet, read for the CNI config): no wrapper per
  // object (about 48 bytes a pod).
  readonly nodes: Reflector<NodeInput>;
  readonly pods: Reflector<PodInput>;
  readonly events: Reflector<EventInput | null>;
  readonly daemonSets: Reflector<null>;
  readonly eniConfigs: Reflector<EniConfigInput>;
  readonly cniNodes: Reflector<CniNodeInput>;
  private readonly health = new Map<string, ResourceHealth>();
  /** The node annotation naming its ENIConfig: aws-node's ENI_CONFIG_ANNOTATION_DEF, else the default. */
  private eniConfigAnnotation = ENI_CONFIG_KEY;
  private readonly keepRaw: boolean;
  private cache: { key: string; part: KubePart } | null = null;
  private readonly clusterSpeed: number;
  /** Pod IPs freed by deletions seen, oldest first, with when (by `now`): the inferred cooldown. */
  private released: { ip: string; node: string; at: number }[] = [];
  /** Bumped when a cooldown ends, so the next part lets it go and the view stops calling it cooling. */
  private releaseGeneration = 0;
  private releaseTimer: ReturnType<typeof setTimeout> | null = null;
  private onChange: (change: KubeChange) => void = () => {};

  constructor(options: KubeWatcherOptions) {
    this.now = options.now ?? Date.now;
    this.keepRaw = options.keepRaw ?? false;
    this.clusterSpeed = options.clusterSpeed ?? 1;
    const make = <I>(
      resource: string,
      path: string,
      slim: (raw: Obj) => Obj,
      map: (slimmed: Obj) => I,
      fieldSelector?: string,
      crd = false,
      alwaysRaw = false,
      // The mapping reads only fields the slimming keeps, so with no document to keep it reads the wire
      // object itself and 150,000 pods are not copied first (kubeWatcher.test.ts checks the two agree).
      mapsWhole = false,
    ) =>
      new Reflector<I>({
        client: options.client,
        resource,
        path,
        // A kept document is the slimmed one, and the input is mapped from it.
        slim: alwaysRaw || this.keepRaw || mapsWhole ? map : (raw) => map(slim(raw)),
        ...(alwaysRaw || this.keepRaw ? { prepare: slim } : {}),
        fieldSelector,
        watchTimeoutSeconds: options.watchTimeoutSeconds,
        quietMs: options.quietMs,
        backoffBaseMs: options.backoffBaseMs,
        backoffMaxMs: options.backoffMaxMs,
        onChange: (type, item) => this.changed(resource, type, item),
        onRestart: (reason: RestartReason) => bump(options.counters.watchRestarts, `${resource}/${reason}`),
        onListed: (seconds, method) => {
          options.counters.refreshSeconds.observe({ source: "kubernetes" }, seconds);
          bump(options.counters.initialLists, `${resource}/${method}`);
        },
        onError: (message) => this.failed(resource, message),
        onHealthy: () => this.succeeded(resource),
        // A CRD that is not installed is a fact about the cluster, not a failure: no error, looked for rarely.
        ...(crd
          ? {
              optional: {
                recheckMs: options.crdRecheckMs ?? 300_000,
                onAbsent: () => this.succeeded(resource),
              },
            }
          : {}),
      });
    // The annotation key is read when each node arrives: a new key relists the nodes (followAnnotationKey).
    this.nodes = make(
      "nodes",
      "/api/v1/nodes",
      (raw) => slimNode(raw, this.eniConfigAnnotation),
      (node) => nodeFromKube(node, "Node", this.eniConfigAnnotation),
    );
    this.pods = make(
      "pods",
      "/api/v1/pods",
      slimPod,
      (pod) => podFromKube(pod),
      undefined,
      false,
      false,
      true,
    );
    // Only what the view uses travels: events about pods, and the one DaemonSet that configures the CNI.
    this.events = make(
      "events",
      "/api/v1/events",
      slimEvent,
      (event) => eventFromKube(event),
      "involvedObject.kind=Pod",
    );
    this.daemonSets = make(
      "daemonsets",
      "/apis/apps/v1/namespaces/kube-system/daemonsets",
      slimDaemonSet,
      () => null,
      "metadata.name=aws-node",
      false,
      true,
    );
    this.eniConfigs = make(
      "eniconfigs",
      "/apis/crd.k8s.amazonaws.com/v1alpha1/eniconfigs",
      slimEniConfig,
      (c) => eniConfigFromKube(c),
      undefined,
      true,
    );
    this.cniNodes = make(
      "cninodes",
      "/apis/vpcresources.k8s.aws/v1alpha1/cninodes",
      slimCniNode,
      (c) => cniNodeFromKube(c),
      undefined,
      true,
    );
    for (const r of this.reflectors)
      this.health.set(r.resource, { error: null, since: null, lastSuccess: null });
  }

  private get reflectors(): Watched[] {
    return [this.nodes, this.pods, this.events, this.daemonSets, this.eniConfigs, this.cniNodes];
  }

  start(onChange: (change: KubeChange) => void): void {
    this.onChange = onChange;
    for (const r of this.reflectors) r.start();
  }

  async stop(): Promise<void> {
    if (this.releaseTimer) clearTimeout(this.releaseTimer);
    this.releaseTimer = null;
    await Promise.all(this.reflectors.map((r) => r.stop()));
  }

  /** Nodes and pods have been listed once: enough to draw the cluster. */
  get answered(): boolean {
    return this.nodes.listed && this.pods.listed;
  }

  /** The first lists of nodes and pods (what the picture needs), with how far each got. */
  progress(): LoadingStep[] {
    return [this.nodes, this.pods].map((r) => {
      const p = r.progress();
      const error = p.complete ? null : (this.health.get(r.resource)?.error ?? null);
      // The two lists the picture waits for have words of their own in every language.
      const label =
        r.resource === "nodes" || r.resource === "pods"
          ? stepLabel(r.resource === "nodes" ? "loading.step.listNodes" : "loading.step.listPods")
          : stepLabel("loading.step.list", { resource: r.resource });
      return { ...label, count: p.count, total: p.total, complete: p.complete, error };
    });
  }

  status(): SourceStatus {
    let error: string[] = [];
    let since: number | null = null;
    let coreFailing = false;
    for (const [resource, h] of this.health) {
      if (h.error) {
        error.push(h.error);
        if (resource === "nodes" || resource === "pods") coreFailing = true;
        since = since === null ? h.since : Math.min(since, h.since ?? since);
      }
    }
    // The picture is as recent as the older of its two core lists. After a relist of everything (a reset
    // simulator, a restarted API server) the events or the DaemonSet often answer first: taking the newest
    // success then dated the old nodes as read after the change (a lab step judged the old cluster).
    const nodes = this.health.get("nodes")!.lastSuccess;
    const pods = this.health.get("pods")!.lastSuccess;
    const lastSuccess = nodes === null || pods === null ? null : Math.min(nodes, pods);
    error = [...new Set(error)];
    return {
      // A quiet watch is not stale data: only failing nodes or pods and a first list still to come make it
      // stale. Events and the aws-node DaemonSet only refine the view, so their errors are told, not stale.
      stale: coreFailing || !this.answered,
      error: error.length ? error.join("; ") : null,
      since: since === null ? null : new Date(since).toISOString(),
      lastSuccess: lastSuccess === null ? null : new Date(lastSuccess).toISOString(),
    };
  }

  /** The model inputs, rebuilt only when a reflector changed; every unchanged object keeps its input. */
  part(): KubePart {
    const key = `${this.reflectors.map((r) => r.version).join(",")},${this.releaseGeneration}`;
    if (this.cache?.key === key) return this.cache.part;
    const events: EventInput[] = [];
    // Only events about pods explain why a pod is not running; the mapping says which those are.
    for (const event of this.events.sortedValues()) if (event !== null) events.push(event);
    const awsNode = this.awsNode();
    const cni = awsNode ? cniConfigFromDaemonSet(awsNode) : defaultCniConfig();
    const part: KubePart = {
      nodes: inputs(this.nodes),
      pods: inputs(this.pods),
      events,
      cni,
    };
    const releasedIps = this.releasedIps(cni.ipCooldownSeconds);
    if (releasedIps.length > 0) part.releasedIps = releasedIps;
    if (this.installed(this.eniConfigs)) part.eniConfigs = inputs(this.eniConfigs);
    if (this.installed(this.cniNodes)) part.cniNodes = inputs(this.cniNodes);
    this.cache = { key, part };
    return part;
  }

  /** The releases still within the cooldown, the older ones let go. The cooldown is counted from when the
   * deletion was seen, a little after CNI DEL freed the IP: the estimate errs on the side of cooling. */
  private cooldownMs(): number {
    let seconds = defaultCniConfig().ipCooldownSeconds;
    const awsNode = this.awsNode();
    try {
      if (awsNode) seconds = cniConfigFromDaemonSet(awsNode).ipCooldownSeconds;
    } catch {
      // An unreadable DaemonSet is reported where the CNI config is read; the default stays.
    }
    return (seconds * 1000) / this.clusterSpeed;
  }

  /** Wakes when the oldest cooldown ends: the next part is built without it. */
  private scheduleCooldownEnd(): void {
    if (this.releaseTimer || this.released.length === 0) return;
    const wait = Math.max(0, this.released[0]!.at + this.cooldownMs() - this.now());
    this.releaseTimer = setTimeout(() => {
      this.releaseTimer = null;
      this.releaseGeneration++;
      const span = this.cooldownMs();
      const now = this.now();
      this.released = this.released.filter((r) => r.at + span > now);
      this.onChange({ podsStarting: false, nodesChanged: false });
      this.scheduleCooldownEnd();
    }, wait + 1);
    this.releaseTimer.unref?.();
  }

  private releasedIps(cooldownSeconds: number): ReleasedIpInput[] {
    const span = (cooldownSeconds * 1000) / this.clusterSpeed;
    const now = this.now();
    const first = this.released.findIndex((r) => r.at + span > now);
    this.released = first < 0 ? [] : this.released.slice(first);
    return this.released.map((r) => ({
      ip: r.ip,
      node: r.node,
      at: new Date(r.at).toISOString(),
      until: new Date(r.at + span).toISOString(),
    }));
  }

  /** The subnets the ENIConfigs name (custom networking's pod subnets); read without building the part. */
  eniConfigSubnets(): string[] {
    return this.installed(this.eniConfigs) ? inputs(this.eniConfigs).map((e) => e.subnet) : [];
  }

  /** aws-node's CLUSTER_NAME, the name the VPC CNI tags its ENIs with; null when unset or not listed. */
  awsNodeClusterName(): string | null {
    const awsNode = this.awsNode();
    return awsNode ? clusterNameFromDaemonSet(awsNode) : null;
  }

  /** The nodes' EC2 instance ids and zones (from spec.providerID). */
  /** The instance id of a node by name, null when unknown. */
  instanceIdOf(nodeName: string): string | null {
    return this.nodes.get(`/${nodeName}`)?.instanceId ?? null;
  }

  instances(): { ids: string[]; zones: string[]; fargateIps: string[] } {
    const ids: string[] = [];
    const zones: string[] = [];
    const fargateIps: string[] = [];
    for (const node of this.nodes.values()) {
      if (node.instanceId) ids.push(node.instanceId);
      if (node.zone) zones.push(node.zone);
      if (node.internalIp && nodeKindOf(node) === "fargate") fargateIps.push(node.internalIp);
    }
    return { ids, zones, fargateIps };
  }

  /** The slimmed wire objects behind the inputs; null unless the watcher was made with keepRaw. */
  raw(): KubeRaw | null {
    if (!this.keepRaw) return null;
    return {
      nodes: raws(this.nodes),
      pods: raws(this.pods),
      events: raws(this.events),
      awsNode: this.awsNode(),
      eniConfigs: this.installed(this.eniConfigs) ? raws(this.eniConfigs) : null,
      cniNodes: this.installed(this.cniNodes) ? raws(this.cniNodes) : null,
      crdsAnswered: [this.eniConfigs, this.cniNodes].every(
        (r) => r.listed || this.health.get(r.resource)?.error != null,
      ),
    };
  }

  /** Listed at least once and not found missing (404) at the last list. */
  private installed(r: Watched): boolean {
    return r.listed && !r.absent;
  }

  private awsNode(): Obj | null {
    for (const ds of this.daemonSets.rawValues()) {
      if ((ds.metadata as { name?: string }).name === "aws-node") return ds;
    }
    return null;
  }

  private succeeded(resource: string): void {
    const h = this.health.get(resource)!;
    h.error = null;
    h.since = null;
    h.lastSuccess = this.now();
    this.onChange({ podsStarting: false, nodesChanged: false });
  }

  private failed(resource: string, message: string): void {
    const h = this.health.get(resource)!;
    if (h.error === null) h.since = this.now();
    h.error = message;
    this.onChange({ podsStarting: false, nodesChanged: false });
  }

  /** When aws-node names another ENIConfig annotation, the nodes are listed again keeping that one. */
  private followAnnotationKey(): void {
    const awsNode = this.awsNode();
    let key = ENI_CONFIG_KEY;
    try {
      if (awsNode) key = cniConfigFromDaemonSet(awsNode).eniConfigAnnotationDef ?? ENI_CONFIG_KEY;
    } catch {
      // An unreadable DaemonSet is reported where the CNI config is read; the default key stays.
    }
    if (key === this.eniConfigAnnotation) return;
    this.eniConfigAnnotation = key;
    this.cache = null;
    this.nodes.relist();
  }

  private changed(resource: string, type: string, item: unknown): void {
    if (resource === "daemonsets") this.followAnnotationKey();
    let podsStarting = false;
    let nodesChanged = false;
    let podNode: string | undefined;
    if (resource === "nodes") nodesChanged = type !== "MODIFIED";
    if (resource === "pods" && item && type !== "DELETED") {
      const pod = item as PodInput;
      podsStarting = pod.nodeName !== null && !pod.hostNetwork && pod.phase === "Pending";
      if (podsStarting) podNode = pod.nodeName!;
    }
    if (resource === "pods" && item && type === "DELETED") {
      const pod = item as PodInput;
      // A running pod's IP goes back to IPAMD's pool when its sandbox is torn down, then cools down.
      if (
        pod.podIp &&
        pod.nodeName &&
        !pod.hostNetwork &&
        pod.phase !== "Succeeded" &&
        pod.phase !== "Failed"
      ) {
        this.released.push({ ip: pod.podIp, node: pod.nodeName, at: this.now() });
        this.scheduleCooldownEnd();
        podNode = pod.nodeName;
      }
    }
    this.onChange({ podsStarting, nodesChanged, ...(podNode ? { podNode } : {}) });
  }
}

function inputs<I>(r: Reflector<I>): I[] {
  return r.sortedValues();
}

function raws<I>(r: Reflector<I>): Obj[] {
  return r.rawValues();
}
