// Deployments and DaemonSets as a scenario declares them, turned into the API objects kubectl shows,
// and the pods their controllers stamp out from the template.
import { withDefaultTolerations } from "../kube/defaultTolerations.ts";
import type { KubeObject, NewObject, OwnerReference } from "../kube/types.ts";

export interface ContainerSpec {
  name: string;
  image: string;
  ports?: { containerPort: number; protocol?: "TCP" | "UDP"; name?: string }[];
  requests?: { cpu?: string; memory?: string };
  limits?: { cpu?: string; memory?: string };
  env?: Record<string, string>;
  args?: string[];
}

export interface WorkloadSpec {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  containers: ContainerSpec[];
  hostNetwork?: boolean;
  nodeSelector?: Record<string, string>;
  /** spec.affinity as the manifest writes it (the EKS add-ons keep to Linux nodes with node affinity). */
  affinity?: Record<string, unknown>;
  tolerations?: Record<string, string>[];
  priorityClassName?: string;
  serviceAccountName?: string;
  annotations?: Record<string, string>;
}

const priorities: Record<string, number> = {
  "system-node-critical": 2_000_001_000,
  "system-cluster-critical": 2_000_000_000,
};

function container(c: ContainerSpec) {
  const resources: Record<string, Record<string, string>> = {};
  if (c.requests && Object.keys(c.requests).length) resources.requests = { ...c.requests };
  if (c.limits && Object.keys(c.limits).length) resources.limits = { ...c.limits };
  return {
    name: c.name,
    image: c.image,
    ...(c.args ? { args: c.args } : {}),
    ...(c.ports ? { ports: c.ports.map((p) => ({ protocol: "TCP", ...p })) } : {}),
    ...(c.env ? { env: Object.entries(c.env).map(([name, value]) => ({ name, value })) } : {}),
    resources,
    terminationMessagePath: "/dev/termination-log",
    terminationMessagePolicy: "File",
    imagePullPolicy: "IfNotPresent",
  };
}

export function podTemplate(spec: WorkloadSpec) {
  return {
    metadata: {
      labels: { ...spec.labels },
      ...(spec.annotations ? { annotations: { ...spec.annotations } } : {}),
    },
    spec: {
      containers: spec.containers.map(container),
      restartPolicy: "Always",
      terminationGracePeriodSeconds: 30,
      dnsPolicy: spec.hostNetwork ? "ClusterFirstWithHostNet" : "ClusterFirst",
      ...(spec.hostNetwork ? { hostNetwork: true } : {}),
      ...(spec.nodeSelector ? { nodeSelector: { ...spec.nodeSelector } } : {}),
      ...(spec.affinity ? { affinity: structuredClone(spec.affinity) } : {}),
      ...(spec.tolerations ? { tolerations: spec.tolerations.map((t) => ({ ...t })) } : {}),
      serviceAccountName: spec.serviceAccountName ?? "default",
      serviceAccount: spec.serviceAccountName ?? "default",
      securityContext: {},
      schedulerName: "default-scheduler",
      ...(spec.priorityClassName ? { priorityClassName: spec.priorityClassName } : {}),
    },
  };
}

export function deploymentObject(spec: WorkloadSpec, replicas: number): NewObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: spec.name,
      namespace: spec.namespace,
      generation: 1,
      labels: { ...spec.labels },
      annotations: { "deployment.kubernetes.io/revision": "1" },
    },
    spec: {
      replicas,
      selector: { matchLabels: { ...spec.labels } },
      template: podTemplate(spec),
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: {},
  };
}

export function daemonSetObject(spec: WorkloadSpec): NewObject {
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: {
      name: spec.name,
      namespace: spec.namespace,
      generation: 1,
      labels: { ...spec.labels },
      annotations: { "deprecated.daemonset.template.generation": "1" },
    },
    spec: {
      selector: { matchLabels: { ...spec.labels } },
      template: podTemplate(spec),
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "10%", maxSurge: 0 } },
      revisionHistoryLimit: 10,
    },
    status: {},
  };
}

export function ownerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

const ownerRefCache = new WeakMap<KubeObject, readonly OwnerReference[]>();

function ownerRefs(owner: KubeObject): OwnerReference[] {
  let refs = ownerRefCache.get(owner);
  if (!refs) {
    refs = Object.freeze([Object.freeze(ownerRef(owner))]);
    ownerRefCache.set(owner, refs);
  }
  return refs as OwnerReference[];
}

/** A pod from an owner's template, before scheduling. `nodeName` is set for DaemonSet pods. */
export function podFromTemplate(
  owner: KubeObject,
  name: string,
  extraLabels: Record<string, string>,
  nodeName?: string,
): NewObject {
  const template = owner.spec.template;
  const spec = template.spec;
  const priority = spec.priorityClassName ? priorities[spec.priorityClassName] : undefined;
  const requested = (spec.containers as { resources?: { requests?: object; limits?: object } }[]).map(
    (c) => c.resources ?? {},
  );
  const qosClass = requested.some((r) => r.requests || r.limits) ? "Burstable" : "BestEffort";
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      generateName: `${owner.metadata.name}-`,
      namespace: owner.metadata.namespace,
      labels: { ...template.metadata.labels, ...extraLabels },
      ...(template.metadata.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
      ownerReferences: ownerRefs(owner),
    },
    spec: {
      ...spec,
      // The DaemonSet controller replaces the template's required node affinity with its node's name
      // (ReplaceDaemonSetPodNodeNameNodeAffinity); the rest of the affinity stays.
      ...(nodeName
        ? {
            nodeName,
            affinity: {
              ...spec.affinity,
              nodeAffinity: {
                ...spec.affinity?.nodeAffinity,
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [
                    { matchFields: [{ key: "metadata.name", operator: "In", values: [nodeName] }] },
                  ],
                },
              },
            },
          }
        : {}),
      enableServiceLinks: true,
      preemptionPolicy: "PreemptLowerPriority",
      priority: priority ?? 0,
      tolerations: withDefaultTolerations(spec.tolerations),
    },
    status: { phase: "Pending", qosClass },
  };
}
