// Kubernetes objects -> model inputs. Accepts objects as `kubectl get -o json` prints them and as
// @kubernetes/client-node returns them (timestamps then are Date objects). Copies only what the model
// reads: never annotations, never env values other than the CNI's known knobs, never secrets.

import {
  CNI_ENV_KNOBS,
  type CniConfig,
  type CniNodeInput,
  cniConfigFromEnv,
  defaultCniConfig,
  ENI_CONFIG_KEY,
  type EniConfigInput,
  type EventInput,
  type NodeInput,
  type PodInput,
  type PodPhase,
  type PodScheduling,
  parseCpuMilli,
  parseQuantity,
  podSchedulingFromSpec,
  schedulingKey,
  taintsFromSpec,
} from "@eni-view/model";
import type { MappingReason } from "../mappingReason.ts";

/** A Kubernetes object that cannot be read as what was expected; `path` says where in it. */
export class KubeMappingError extends Error {
  readonly code = "bad-kube-object";
  readonly path: string;
  /** The message's form and parts, for saying it in another language. */
  readonly reason: MappingReason;
  constructor(path: string, message: string, reason: MappingReason) {
    super(`${path}: ${message}`);
    this.name = "KubeMappingError";
    this.path = path;
    this.reason = reason;
  }
}

type Json = Record<string, unknown>;

const missing: MappingReason = { form: "missing", values: {} };

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function field(o: Json | undefined, key: string): Json | undefined {
  const v = o?.[key];
  return isObject(v) ? v : undefined;
}

function list(o: Json | undefined, key: string): Json[] {
  const v = o?.[key];
  return Array.isArray(v) ? v.filter(isObject) : [];
}

function str(o: Json | undefined, key: string): string | null {
  const v = o?.[key];
  return typeof v === "string" && v !== "" ? v : null;
}

/** One copy of each repeated text (namespace, node name, owner, label values, creation time): the same
 * text in 150,000 pods would otherwise be 150,000 strings, tens of MB at 5,000 nodes. Cleared when full,
 * which costs only sharing. */
const sharedText = new Map<string, string>();
const sharedTextMax = 100_000;

export function shared<T extends string | null>(text: T): T {
  if (text === null) return text;
  const kept = sharedText.get(text);
  if (kept !== undefined) return kept as T;
  if (sharedText.size >= sharedTextMax) sharedText.clear();
  sharedText.set(text, text);
  return text;
}

/** One object for each set of kept labels: a workload's pods all carry the same few (app, k8s-app ...), and
 * an object per pod was about 80 bytes of the server's heap per pod. Pod inputs are never changed in place,
 * so sharing is safe. Cleared when full, as the texts are. */
const sharedLabelSets = new Map<string, Record<string, string>>();

export function sharedLabels(labels: Record<string, string>): Record<string, string> {
  const key = JSON.stringify(labels);
  const kept = sharedLabelSets.get(key);
  if (kept) return kept;
  if (sharedLabelSets.size >= sharedTextMax) sharedLabelSets.clear();
  sharedLabelSets.set(key, labels);
  return labels;
}

/** Dates (client-node) and RFC 3339 strings (kubectl) as ISO 8601 UTC. */
export function isoTime(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value !== "string" || value === "") return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

function metadata(raw: unknown, kind: string, path: string): { o: Json; meta: Json; name: string } {
  if (!isObject(raw))
    throw new KubeMappingError(path, `expected a ${kind} object`, {
      form: "not-kind-object",
      values: { kind },
    });
  if (typeof raw.kind === "string" && raw.kind !== kind) {
    throw new KubeMappingError(path, `expected a ${kind}, got a ${raw.kind}`, {
      form: "other-kind",
      values: { expectedKind: kind, other: String(raw.kind) },
    });
  }
  const meta = field(raw, "metadata");
  const name = str(meta, "name");
  if (meta === undefined || name === null)
    throw new KubeMappingError(`${path}.metadata.name`, "missing", missing);
  return { o: raw, meta, name };
}

function quantity(o: Json | undefined, key: string): number | null {
  const v = o?.[key];
  return typeof v === "string" || typeof v === "number" ? parseQuantity(v) : null;
}

// spec.providerID of an EC2 node: aws:///<zone>/<instance-id>
const PROVIDER_ID = /^aws:\/\/\/([^/]*)\/(i-[0-9a-f]+)$/;

/** String values of an object's labels. */
function stringMap(o: Json | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o ?? {})) if (typeof v === "string") out[k] = v;
  return out;
}

/** A Node; `eniConfigAnnotation` is the one annotation read (ENI_CONFIG_ANNOTATION_DEF, else the default). */
export function nodeFromKube(raw: unknown, path = "Node", eniConfigAnnotation = ENI_CONFIG_KEY): NodeInput {
  const { o, meta, name } = metadata(raw, "Node", path);
  const labels = field(meta, "labels");
  const annotation = str(field(meta, "annotations"), eniConfigAnnotation);
  const spec = field(o, "spec");
  const status = field(o, "status");
  const provider = PROVIDER_ID.exec(str(spec, "providerID") ?? "");
  const allocatable = field(status, "allocatable");
  const pods = quantity(allocatable, "pods");
  const cpu = allocatable?.cpu;
  const internal = list(status, "addresses").find((a) => a.type === "InternalIP");
  const ready = list(status, "conditions").find((c) => c.type === "Ready");
  const providerId = str(spec, "providerID");
  const cidrList = spec?.podCIDRs;
  const podCidrs = Array.isArray(cidrList)
    ? cidrList.filter((c): c is string => typeof c === "string" && c !== "")
    : [];
  const singleCidr = str(spec, "podCIDR");
  if (podCidrs.length === 0 && singleCidr !== null) podCidrs.push(singleCidr);
  const podEni = quantity(allocatable, "vpc.amazonaws.com/pod-eni");
  const taints = taintsFromSpec(spec?.taints);
  return {
    name,
    instanceId: provider?.[2] ?? null,
    instanceType:
      str(labels, "node.kubernetes.io/instance-type") ?? str(labels, "beta.kubernetes.io/instance-type"),
    zone:
      str(labels, "topology.kubernetes.io/zone") ??
      str(labels, "failure-domain.beta.kubernetes.io/zone") ??
      (provider?.[1] || null),
    nodeGroup:
      str(labels, "eks.amazonaws.com/nodegroup") ??
      str(labels, "kops.k8s.io/instancegroup") ??
      str(labels, "karpenter.sh/nodepool") ??
      str(labels, "alpha.eksctl.io/nodegroup-name"),
    capacityType: str(labels, "eks.amazonaws.com/capacityType") ?? str(labels, "karpenter.sh/capacity-type"),
    internalIp: str(internal, "address"),
    ready: ready?.status === "True",
    cordoned: spec?.unschedulable === true,
    allocatablePods: pods === null ? null : Math.floor(pods),
    allocatableCpuMilli: typeof cpu === "string" || typeof cpu === "number" ? parseCpuMilli(cpu) : null,
    allocatableMemoryBytes: quantity(allocatable, "memory"),
    createdAt: isoTime(meta.creationTimestamp),
    labels: stringMap(labels),
    ...(annotation !== null ? { eniConfigAnnotation: annotation } : {}),
    // An EC2 node's providerID is already read as its instance id; others (eks-hybrid://, Fargate) tell the kind.
    ...(providerId !== null && provider === null ? { providerId } : {}),
    ...(podCidrs.length > 0 ? { podCidrs } : {}),
    ...(podEni !== null ? { podEniCapacity: Math.floor(podEni) } : {}),
    ...(taints.length > 0 ? { taints } : {}),
  };
}

/** An ENIConfig (crd.k8s.amazonaws.com/v1alpha1): its name, subnet and security groups. */
export function eniConfigFromKube(raw: unknown, path = "ENIConfig"): EniConfigInput {
  const { o, name } = metadata(raw, "ENIConfig", path);
  const spec = field(o, "spec");
  const groups = spec?.securityGroups;
  return {
    name,
    subnet: str(spec, "subnet") ?? "",
    securityGroups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === "string") : [],
  };
}

/** A CNINode (vpcresources.k8s.aws/v1alpha1): the node's name and its spec.features. */
export function cniNodeFromKube(raw: unknown, path = "CNINode"): CniNodeInput {
  const { o, name } = metadata(raw, "CNINode", path);
  const features = list(field(o, "spec"), "features").flatMap((f) => {
    const featureName = str(f, "name");
    return featureName === null ? [] : [{ name: featureName, value: str(f, "value") }];
  });
  return { name, features };
}

const phases = new Set<string>(["Pending", "Running", "Succeeded", "Failed", "Unknown"]);

/** Labels the view filters on; everything else (and every annotation) is left behind. */
const KEPT_LABELS = [
  "app",
  "app.kubernetes.io/name",
  "app.kubernetes.io/instance",
  "app.kubernetes.io/component",
  "k8s-app",
  "component",
  "tier",
];
const MAX_LABEL_VALUE = 63;

function controllerOwner(meta: Json, labels: Json | undefined): string | null {
  const refs = list(meta, "ownerReferences");
  const owner = refs.find((r) => r.controller === true) ?? refs[0];
  const kind = str(owner, "kind");
  const name = str(owner, "name");
  if (kind === null || name === null) return null;
  // A Deployment's ReplicaSet is "<deployment>-<pod-template-hash>"; the pod carries the hash as a label.
  const hash = str(labels, "pod-template-hash");
  if (kind === "ReplicaSet" && hash !== null && name.endsWith(`-${hash}`)) {
    return `Deployment/${name.slice(0, -hash.length - 1)}`;
  }
  return `${kind}/${name}`;
}

function containerState(statuses: Json[]): { waiting: string | null; terminated: string | null } {
  let waiting: string | null = null;
  let terminated: string | null = null;
  for (const s of statuses) {
    const state = field(s, "state");
    waiting ??= str(field(state, "waiting"), "reason");
    terminated ??= str(field(state, "terminated"), "reason");
  }
  return { waiting, terminated };
}

/** The short status kubectl's STATUS column shows, close enough to recognise. */
function kubectlStatus(phase: PodPhase, status: Json | undefined, meta: Json): string {
  if (meta.deletionTimestamp != null) return "Terminating";
  const reason = str(status, "reason");
  if (reason !== null) return reason;
  const init = containerState(list(status, "initContainerStatuses"));
  if (init.waiting !== null && init.waiting !== "PodInitializing") return `Init:${init.waiting}`;
  const main = containerState(list(status, "containerStatuses"));
  if (main.waiting !== null) return main.waiting;
  if (phase === "Succeeded") return main.terminated ?? "Completed";
  if (phase === "Failed") return main.terminated ?? "Failed";
  return phase;
}

export function podFromKube(raw: unknown, path = "Pod"): PodInput {
  const { o, meta, name } = metadata(raw, "Pod", path);
  const spec = field(o, "spec");
  const status = field(o, "status");
  const rawPhase = str(status, "phase") ?? "Pending";
  const phase = (phases.has(rawPhase) ? rawPhase : "Unknown") as PodPhase;
  const rawLabels = field(meta, "labels");
  const kept: Record<string, string> = {};
  for (const key of KEPT_LABELS) {
    const v = str(rawLabels, key);
    if (v !== null) kept[key] = shared(v.slice(0, MAX_LABEL_VALUE));
  }
  const labels = sharedLabels(kept);
  const conditions = list(status, "conditions");
  const scheduled = conditions.find((c) => c.type === "PodScheduled" && c.status === "False");
  const since = (type: string) =>
    shared(isoTime(conditions.find((c) => c.type === type && c.status === "True")?.lastTransitionTime));
  // Dual-stack pods list both families in podIPs; the VPC CNI's ENI slots hold the IPv4 one.
  const podIps = list(status, "podIPs").map((p) => str(p, "ip"));
  const podIp =
    podIps.find((ip) => ip !== null && !ip.includes(":")) ?? str(status, "podIP") ?? podIps[0] ?? null;
  return {
    namespace: shared(str(meta, "namespace") ?? "default"),
    name,
    uid: str(meta, "uid"),
    nodeName: shared(str(spec, "nodeName")),
    phase,
    hostNetwork: spec?.hostNetwork === true,
    podIp,
    owner: shared(controllerOwner(meta, rawLabels)),
    status: shared(kubectlStatus(phase, status, meta)),
    scheduledReason: shared(str(scheduled, "reason")),
    scheduledMessage: shared(str(scheduled, "message")),
    scheduledAt: since("PodScheduled"),
    networkReadyAt: since("PodReadyToStartContainers"),
    waitingReason: shared(containerState(list(status, "containerStatuses")).waiting),
    deleting: meta.deletionTimestamp != null,
    createdAt: shared(isoTime(meta.creationTimestamp)),
    labels,
    scheduling: sharedScheduling(podSchedulingFromSpec(spec)),
  };
}

// Pods of one workload ask for the same: one object for all of them.
const sharedSchedulings = new Map<string, PodScheduling>();

export function sharedScheduling(s: PodScheduling): PodScheduling {
  const key = schedulingKey(s);
  const kept = sharedSchedulings.get(key);
  if (kept !== undefined) return kept;
  if (sharedSchedulings.size >= sharedTextMax) sharedSchedulings.clear();
  sharedSchedulings.set(key, s);
  return s;
}

/** A core/v1 Event (or events.k8s.io/v1, as client-node may return it); null when it is not about a Pod. */
export function eventFromKube(raw: unknown, path = "Event"): EventInput | null {
  const { o, meta } = metadata(raw, "Event", path);
  const about = field(o, "involvedObject") ?? field(o, "regarding");
  if (str(about, "kind") !== "Pod") return null;
  const name = str(about, "name");
  if (name === null) throw new KubeMappingError(`${path}.involvedObject.name`, "missing", missing);
  const series = field(o, "series");
  const count = o.count ?? series?.count ?? o.deprecatedCount;
  return {
    namespace: str(about, "namespace") ?? str(meta, "namespace") ?? "default",
    kind: "Pod",
    name,
    reason: str(o, "reason") ?? "",
    message: str(o, "message") ?? str(o, "note") ?? "",
    type: str(o, "type") ?? "Normal",
    count: typeof count === "number" && count > 0 ? count : 1,
    lastSeen:
      isoTime(o.lastTimestamp) ??
      isoTime(series?.lastObservedTime) ??
      isoTime(o.eventTime) ??
      isoTime(o.firstTimestamp) ??
      isoTime(meta.creationTimestamp),
  };
}

/** "602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni:v1.19.2-eksbuild.1" -> "v1.19.2-eksbuild.1". */
function imageTag(image: string | null): string | null {
  if (image === null) return null;
  const withoutDigest = image.split("@")[0] ?? "";
  const lastPart = withoutDigest.slice(withoutDigest.lastIndexOf("/") + 1);
  const colon = lastPart.indexOf(":");
  return colon < 0 ? null : lastPart.slice(colon + 1) || null;
}

function awsNodeContainer(raw: unknown, path: string): Json {
  const { o } = metadata(raw, "DaemonSet", path);
  const containers = list(field(field(field(o, "spec"), "template"), "spec"), "containers");
  const container = containers.find((c) => c.name === "aws-node") ?? containers[0];
  if (container === undefined)
    throw new KubeMappingError(`${path}.spec.template.spec.containers`, "missing", missing);
  return container;
}

/** Literal env values of the named variables: valueFrom (secrets, field refs) is never followed. */
function literalEnv(container: Json, names: ReadonlySet<string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of list(container, "env")) {
    const name = str(e, "name");
    if (name !== null && names.has(name) && typeof e.value === "string") env[name] = e.value;
  }
  return env;
}

const knobs: ReadonlySet<string> = new Set(CNI_ENV_KNOBS);

/** The CNI settings from the aws-node DaemonSet; CNI defaults (detected: false) when there is none. */
export function cniConfigFromDaemonSet(raw: unknown, path = "DaemonSet"): CniConfig {
  if (raw === null || raw === undefined) return defaultCniConfig();
  const container = awsNodeContainer(raw, path);
  return cniConfigFromEnv(literalEnv(container, knobs), imageTag(str(container, "image")));
}

/** aws-node's CLUSTER_NAME (the CNI tags its ENIs with it), or null when unset or there is no aws-node. */
export function clusterNameFromDaemonSet(raw: unknown, path = "DaemonSet"): string | null {
  if (raw === null || raw === undefined) return null;
  return literalEnv(awsNodeContainer(raw, path), new Set(["CLUSTER_NAME"])).CLUSTER_NAME || null;
}
