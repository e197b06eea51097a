// What eni-view keeps of each Kubernetes object: the fields the model reads and `kubectl get -o json`
// shape around them, nothing more. Pod env, annotations, volumes and managedFields never enter memory
// for long, never reach a capture folder and so can never reach a viewer.

import { CNI_ENV_KNOBS, ENI_CONFIG_KEY } from "@eni-view/model";

type Obj = Record<string, unknown>;

const cniKnobs = new Set<string>(CNI_ENV_KNOBS);

function obj(value: unknown): Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Obj) : {};
}

function pick(source: unknown, keys: readonly string[]): Obj {
  const from = obj(source);
  const out: Obj = {};
  for (const k of keys) if (from[k] !== undefined) out[k] = from[k];
  return out;
}

const metaKeys = [
  "name",
  "namespace",
  "uid",
  "resourceVersion",
  "creationTimestamp",
  "deletionTimestamp",
  "labels",
  "ownerReferences",
] as const;

function slimContainers(list: unknown, keepEnv: boolean): Obj[] | undefined {
  if (!Array.isArray(list)) return undefined;
  return list.map((c) => {
    const out = pick(c, ["name", "image", "resources"]);
    if (keepEnv && Array.isArray(obj(c).env)) {
      // Only the CNI settings eni-view reads, and only literal values: valueFrom may point at secrets.
      out.env = (obj(c).env as unknown[])
        .map((e) => pick(e, ["name", "value"]))
        .filter((e) => typeof e.name === "string" && cniKnobs.has(e.name) && typeof e.value === "string");
    }
    return out;
  });
}

export function slimPod(raw: Obj): Obj {
  const spec = obj(raw.spec);
  const slimSpec = pick(spec, [
    "nodeName",
    "hostNetwork",
    "schedulerName",
    "priority",
    "priorityClassName",
    "nodeSelector",
  ]);
  // The planner places pods as the scheduler does: the required node affinity, nothing else of affinity.
  const required = obj(obj(obj(spec.affinity).nodeAffinity).requiredDuringSchedulingIgnoredDuringExecution);
  if (Array.isArray(required.nodeSelectorTerms)) {
    slimSpec.affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: required.nodeSelectorTerms },
      },
    };
  }
  const containers = slimContainers(spec.containers, false);
  if (containers) slimSpec.containers = containers;
  const init = slimContainers(spec.initContainers, false);
  if (init) slimSpec.initContainers = init;
  return {
    apiVersion: raw.apiVersion ?? "v1",
    kind: raw.kind ?? "Pod",
    metadata: pick(raw.metadata, metaKeys),
    spec: slimSpec,
    status: pick(raw.status, [
      "phase",
      "reason",
      "message",
      "conditions",
      "hostIP",
      "podIP",
      "podIPs",
      "startTime",
      "containerStatuses",
      "initContainerStatuses",
      "qosClass",
    ]),
  };
}

/** A Node. The one annotation kept is the ENIConfig the node asks for (custom networking): under the default
 * key or the one aws-node's ENI_CONFIG_ANNOTATION_DEF names. */
export function slimNode(raw: Obj, eniConfigAnnotation: string = ENI_CONFIG_KEY): Obj {
  const metadata = pick(raw.metadata, metaKeys);
  const annotations = obj(obj(raw.metadata).annotations);
  const kept: Obj = {};
  for (const key of new Set([ENI_CONFIG_KEY, eniConfigAnnotation])) {
    if (typeof annotations[key] === "string") kept[key] = annotations[key];
  }
  if (Object.keys(kept).length > 0) metadata.annotations = kept;
  return {
    apiVersion: raw.apiVersion ?? "v1",
    kind: raw.kind ?? "Node",
    metadata,
    spec: pick(raw.spec, ["providerID", "unschedulable", "taints", "podCIDR", "podCIDRs"]),
    status: pick(raw.status, ["capacity", "allocatable", "conditions", "addresses", "nodeInfo"]),
  };
}

export function slimEvent(raw: Obj): Obj {
  return {
    apiVersion: raw.apiVersion ?? "v1",
    kind: raw.kind ?? "Event",
    metadata: pick(raw.metadata, ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"]),
    ...pick(raw, [
      "involvedObject",
      "reason",
      "message",
      "type",
      "count",
      "firstTimestamp",
      "lastTimestamp",
      "eventTime",
      "series",
      "source",
      "reportingComponent",
    ]),
  };
}

/** The aws-node DaemonSet: the CNI knobs in its containers' env are the configuration eni-view reads. */
export function slimDaemonSet(raw: Obj): Obj {
  const spec = obj(raw.spec);
  const template = obj(spec.template);
  const podSpec = obj(template.spec);
  const slimPodSpec: Obj = {};
  const containers = slimContainers(podSpec.containers, true);
  if (containers) slimPodSpec.containers = containers;
  const init = slimContainers(podSpec.initContainers, true);
  if (init) slimPodSpec.initContainers = init;
  if (podSpec.hostNetwork !== undefined) slimPodSpec.hostNetwork = podSpec.hostNetwork;
  return {
    apiVersion: raw.apiVersion ?? "apps/v1",
    kind: raw.kind ?? "DaemonSet",
    metadata: pick(raw.metadata, metaKeys),
    spec: {
      selector: spec.selector,
      template: { metadata: pick(template.metadata, ["labels"]), spec: slimPodSpec },
    },
    status: pick(raw.status, [
      "desiredNumberScheduled",
      "numberReady",
      "numberAvailable",
      "updatedNumberScheduled",
    ]),
  };
}

const crdMetaKeys = ["name", "uid", "resourceVersion", "creationTimestamp", "deletionTimestamp"] as const;

/** An ENIConfig: its subnet and security groups. */
export function slimEniConfig(raw: Obj): Obj {
  return {
    apiVersion: raw.apiVersion ?? "crd.k8s.amazonaws.com/v1alpha1",
    kind: raw.kind ?? "ENIConfig",
    metadata: pick(raw.metadata, crdMetaKeys),
    spec: pick(raw.spec, ["subnet", "securityGroups"]),
  };
}

/** A CNINode: the names and values of its features, nothing else. */
export function slimCniNode(raw: Obj): Obj {
  const features = obj(raw.spec).features;
  return {
    apiVersion: raw.apiVersion ?? "vpcresources.k8s.aws/v1alpha1",
    kind: raw.kind ?? "CNINode",
    metadata: pick(raw.metadata, crdMetaKeys),
    spec: Array.isArray(features) ? { features: features.map((f) => pick(f, ["name", "value"])) } : {},
  };
}
