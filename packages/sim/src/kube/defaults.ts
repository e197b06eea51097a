// Defaulting as the API server does it for the kinds clients create (k8s.io/kubernetes pkg/apis/*/v1
// defaults.go), so `kubectl get -o yaml` of a created object looks like a real cluster's.
import { withDefaultTolerations } from "./defaultTolerations.ts";
import type { KubeObject } from "./types.ts";

// biome-ignore lint/suspicious/noExplicitAny: wire objects are open-ended JSON
type Json = any;

function imagePullPolicy(image: string): string {
  const last = image.split("/").pop() ?? "";
  const tag = last.includes("@") ? "digest" : last.includes(":") ? last.split(":").pop() : "latest";
  return tag === "latest" ? "Always" : "IfNotPresent";
}

function defaultContainer(c: Json): void {
  c.resources ??= {};
  // A limit without a request requests the limit.
  for (const [resource, limit] of Object.entries(c.resources.limits ?? {})) {
    if (c.resources.requests?.[resource] === undefined)
      c.resources.requests = { ...c.resources.requests, [resource]: limit };
  }
  c.terminationMessagePath ??= "/dev/termination-log";
  c.terminationMessagePolicy ??= "File";
  if (typeof c.image === "string") c.imagePullPolicy ??= imagePullPolicy(c.image);
  for (const p of c.ports ?? []) p.protocol ??= "TCP";
  for (const e of c.env ?? []) if (e.valueFrom?.fieldRef) e.valueFrom.fieldRef.apiVersion ??= "v1";
}

export function defaultPodSpec(spec: Json): void {
  if (typeof spec !== "object" || spec === null) return;
  spec.restartPolicy ??= "Always";
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= "ClusterFirst";
  spec.securityContext ??= {};
  spec.schedulerName ??= "default-scheduler";
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) defaultContainer(c);
  if (spec.hostNetwork)
    for (const c of spec.containers ?? []) for (const p of c.ports ?? []) p.hostPort ??= p.containerPort;
}

/** The pod's QoS class: Guaranteed when every container limits cpu and memory at its requests. */
export function qosClass(spec: Json): string {
  const containers: Json[] = spec?.containers ?? [];
  const resources = containers.map((c) => c.resources ?? {});
  if (resources.every((r) => !Object.keys(r.requests ?? {}).length && !Object.keys(r.limits ?? {}).length)) {
    return "BestEffort";
  }
  const guaranteed = resources.every((r) =>
    ["cpu", "memory"].every(
      (k) => r.limits?.[k] !== undefined && (r.requests?.[k] ?? r.limits[k]) === r.limits[k],
    ),
  );
  return guaranteed ? "Guaranteed" : "Burstable";
}

function rollingUpdate(strategy: Json, kind: "Deployment" | "DaemonSet"): Json {
  const type = strategy?.type ?? (kind === "Deployment" ? "RollingUpdate" : "RollingUpdate");
  if (type !== "RollingUpdate") return { ...strategy, type };
  const ru = strategy?.rollingUpdate ?? {};
  return kind === "Deployment"
    ? { type, rollingUpdate: { maxUnavailable: ru.maxUnavailable ?? "25%", maxSurge: ru.maxSurge ?? "25%" } }
    : { type, rollingUpdate: { maxUnavailable: ru.maxUnavailable ?? 1, maxSurge: ru.maxSurge ?? 0 } };
}

/** Fills the fields the API server defaults on create (and keeps defaulted on update). */
export function applyDefaults(resource: string, obj: KubeObject): void {
  const spec: Json = obj.spec;
  switch (resource) {
    case "deployments":
      obj.spec ??= {};
      obj.spec.replicas ??= 1;
      obj.spec.strategy = rollingUpdate(obj.spec.strategy, "Deployment");
      obj.spec.revisionHistoryLimit ??= 10;
      obj.spec.progressDeadlineSeconds ??= 600;
      defaultPodSpec(obj.spec.template?.spec);
      break;
    case "daemonsets":
      obj.spec ??= {};
      obj.spec.updateStrategy = rollingUpdate(obj.spec.updateStrategy, "DaemonSet");
      obj.spec.revisionHistoryLimit ??= 10;
      defaultPodSpec(obj.spec.template?.spec);
      break;
    case "pods":
      defaultPodSpec(spec);
      if (spec) {
        spec.serviceAccountName ??= "default";
        spec.serviceAccount ??= spec.serviceAccountName;
        spec.enableServiceLinks ??= true;
        spec.preemptionPolicy ??= "PreemptLowerPriority";
        spec.priority ??= 0;
        spec.tolerations = withDefaultTolerations(spec.tolerations);
      }
      obj.status = { phase: "Pending", qosClass: qosClass(spec), ...obj.status };
      break;
    case "namespaces":
      obj.metadata.labels = { ...obj.metadata.labels, "kubernetes.io/metadata.name": obj.metadata.name };
      obj.spec = { finalizers: ["kubernetes"], ...obj.spec };
      obj.status = { phase: "Active", ...obj.status };
      break;
    case "services":
      if (spec) {
        spec.type ??= "ClusterIP";
        spec.sessionAffinity ??= "None";
        spec.ipFamilies ??= ["IPv4"];
        spec.ipFamilyPolicy ??= "SingleStack";
        spec.internalTrafficPolicy ??= "Cluster";
        for (const p of spec.ports ?? []) {
          p.protocol ??= "TCP";
          p.targetPort ??= p.port;
        }
        if (spec.type === "LoadBalancer" || spec.type === "NodePort")
          spec.externalTrafficPolicy ??= "Cluster";
        if (spec.type === "LoadBalancer") spec.allocateLoadBalancerNodePorts ??= true;
      }
      obj.status = { loadBalancer: {}, ...obj.status };
      break;
  }
}
