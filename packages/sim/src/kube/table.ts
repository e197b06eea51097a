// Server-side printing (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`): the columns kubectl
// shows for each resource, with the API server's column names and priorities (priority 1 = only -o wide).
import { age } from "./age.ts";
import type { KubeObject } from "./types.ts";

export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

type Cell = string | number;

interface Printer {
  columns: ColumnDefinition[];
  cells(obj: KubeObject, now: number): Cell[];
}

function col(name: string, priority = 0, format = "", type = "string"): ColumnDefinition {
  return {
    name,
    type,
    format,
    description: name === "Name" ? "Name must be unique within a namespace." : name,
    priority,
  };
}

function selectorText(selector: { matchLabels?: Record<string, string> } | undefined): string {
  const labels = selector?.matchLabels ?? {};
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join(",") : "<none>";
}

function containersOf(obj: KubeObject): { name: string; image: string }[] {
  return obj.spec?.template?.spec?.containers ?? [];
}

/** A Service's EXTERNAL-IP: the load balancer's hostname once it has one, <pending> until then. */
function externalIp(svc: KubeObject): string {
  const ingress: { hostname?: string; ip?: string }[] = svc.status?.loadBalancer?.ingress ?? [];
  if (svc.spec?.type === "LoadBalancer") {
    return ingress.map((i) => i.hostname ?? i.ip).join(",") || "<pending>";
  }
  return (svc.spec?.externalIPs ?? []).join(",") || "<none>";
}

/** The -o wide columns every workload kind ends with. */
const templateColumns = () => [col("Containers", 1), col("Images", 1), col("Selector", 1)];

function templateCells(o: KubeObject): Cell[] {
  return [
    containersOf(o)
      .map((c) => c.name)
      .join(","),
    containersOf(o)
      .map((c) => c.image)
      .join(","),
    selectorText(o.spec?.selector),
  ];
}

/** The STATUS column: kubectl's printPod rules, reduced to the states the simulator produces. */
export function podStatusText(pod: KubeObject): string {
  let reason: string = pod.status?.reason || pod.status?.phase || "Unknown";
  const statuses: KubeObject["status"][] = pod.status?.containerStatuses ?? [];
  let hasRunning = false;
  for (let i = statuses.length - 1; i >= 0; i--) {
    const s = statuses[i];
    if (s.state?.waiting?.reason) reason = s.state.waiting.reason;
    else if (s.state?.terminated?.reason) reason = s.state.terminated.reason;
    else if (s.state?.running && s.ready) hasRunning = true;
  }
  if (reason === "Completed" && hasRunning) reason = "Running";
  if (pod.metadata.deletionTimestamp) reason = "Terminating";
  return reason;
}

function podReady(pod: KubeObject): string {
  const total = pod.spec?.containers?.length ?? 0;
  const ready = (pod.status?.containerStatuses ?? []).filter((s: { ready?: boolean }) => s.ready).length;
  return `${ready}/${total}`;
}

function podRestarts(pod: KubeObject): string {
  const restarts = (pod.status?.containerStatuses ?? []).reduce(
    (n: number, s: { restartCount?: number }) => n + (s.restartCount ?? 0),
    0,
  );
  return String(restarts);
}

function nodeStatus(node: KubeObject): string {
  const ready = (node.status?.conditions ?? []).find((c: { type: string }) => c.type === "Ready");
  const parts = [ready?.status === "True" ? "Ready" : ready ? "NotReady" : "Unknown"];
  if (node.spec?.unschedulable) parts.push("SchedulingDisabled");
  return parts.join(",");
}

function nodeRoles(node: KubeObject): string {
  const roles = Object.keys(node.metadata.labels ?? {})
    .filter((k) => k.startsWith("node-role.kubernetes.io/"))
    .map((k) => k.slice("node-role.kubernetes.io/".length));
  return roles.length ? roles.sort().join(",") : "<none>";
}

function nodeAddress(node: KubeObject, type: string): string {
  const a = (node.status?.addresses ?? []).find((x: { type: string }) => x.type === type);
  return a?.address ?? "<none>";
}

const printers: Record<string, Printer> = {
  pods: {
    columns: [
      col("Name", 0, "name"),
      col("Ready"),
      col("Status"),
      col("Restarts"),
      col("Age"),
      col("IP", 1),
      col("Node", 1),
      col("Nominated Node", 1),
      col("Readiness Gates", 1),
    ],
    cells: (o, now) => [
      o.metadata.name,
      podReady(o),
      podStatusText(o),
      podRestarts(o),
      age(o.metadata.creationTimestamp, now),
      o.status?.podIP || "<none>",
      o.spec?.nodeName || "<none>",
      o.status?.nominatedNodeName || "<none>",
      "<none>",
    ],
  },
  nodes: {
    columns: [
      col("Name", 0, "name"),
      col("Status"),
      col("Roles"),
      col("Age"),
      col("Version"),
      col("Internal-IP", 1),
      col("External-IP", 1),
      col("OS-Image", 1),
      col("Kernel-Version", 1),
      col("Container-Runtime", 1),
    ],
    cells: (o, now) => [
      o.metadata.name,
      nodeStatus(o),
      nodeRoles(o),
      age(o.metadata.creationTimestamp, now),
      o.status?.nodeInfo?.kubeletVersion ?? "",
      nodeAddress(o, "InternalIP"),
      nodeAddress(o, "ExternalIP"),
      o.status?.nodeInfo?.osImage ?? "<unknown>",
      o.status?.nodeInfo?.kernelVersion ?? "<unknown>",
      o.status?.nodeInfo?.containerRuntimeVersion ?? "<unknown>",
    ],
  },
  events: {
    columns: [
      col("Last Seen"),
      col("Type"),
      col("Reason"),
      col("Object"),
      col("Subobject", 1),
      col("Source", 1),
      col("Message"),
      col("First Seen", 1),
      col("Count", 1, "", "integer"),
      col("Name", 1, "name"),
    ],
    cells: (o, now) => [
      age(o.lastTimestamp ?? o.metadata.creationTimestamp, now),
      o.type ?? "",
      o.reason ?? "",
      `${String(o.involvedObject?.kind ?? "").toLowerCase()}/${o.involvedObject?.name ?? ""}`,
      o.involvedObject?.fieldPath ?? "",
      [o.source?.component, o.source?.host].filter(Boolean).join(", "),
      o.message ?? "",
      age(o.firstTimestamp ?? o.metadata.creationTimestamp, now),
      o.count ?? 1,
      o.metadata.name,
    ],
  },
  namespaces: {
    columns: [col("Name", 0, "name"), col("Status"), col("Age")],
    cells: (o, now) => [o.metadata.name, o.status?.phase ?? "Active", age(o.metadata.creationTimestamp, now)],
  },
  deployments: {
    columns: [
      col("Name", 0, "name"),
      col("Ready"),
      col("Up-to-date", 0, "", "integer"),
      col("Available", 0, "", "integer"),
      col("Age"),
      ...templateColumns(),
    ],
    cells: (o, now) => [
      o.metadata.name,
      `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`,
      o.status?.updatedReplicas ?? 0,
      o.status?.availableReplicas ?? 0,
      age(o.metadata.creationTimestamp, now),
      ...templateCells(o),
    ],
  },
  replicasets: {
    columns: [
      col("Name", 0, "name"),
      col("Desired", 0, "", "integer"),
      col("Current", 0, "", "integer"),
      col("Ready", 0, "", "integer"),
      col("Age"),
      ...templateColumns(),
    ],
    cells: (o, now) => [
      o.metadata.name,
      o.spec?.replicas ?? 0,
      o.status?.replicas ?? 0,
      o.status?.readyReplicas ?? 0,
      age(o.metadata.creationTimestamp, now),
      ...templateCells(o),
    ],
  },
  daemonsets: {
    columns: [
      col("Name", 0, "name"),
      col("Desired", 0, "", "integer"),
      col("Current", 0, "", "integer"),
      col("Ready", 0, "", "integer"),
      col("Up-to-date", 0, "", "integer"),
      col("Available", 0, "", "integer"),
      col("Node Selector"),
      col("Age"),
      ...templateColumns(),
    ],
    cells: (o, now) => [
      o.metadata.name,
      o.status?.desiredNumberScheduled ?? 0,
      o.status?.currentNumberScheduled ?? 0,
      o.status?.numberReady ?? 0,
      o.status?.updatedNumberScheduled ?? 0,
      o.status?.numberAvailable ?? 0,
      Object.entries(o.spec?.template?.spec?.nodeSelector ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(",") || "<none>",
      age(o.metadata.creationTimestamp, now),
      ...templateCells(o),
    ],
  },
  services: {
    columns: [
      col("Name", 0, "name"),
      col("Type"),
      col("Cluster-IP"),
      col("External-IP"),
      col("Port(s)"),
      col("Age"),
      col("Selector", 1),
    ],
    cells: (o, now) => [
      o.metadata.name,
      o.spec?.type ?? "ClusterIP",
      o.spec?.clusterIP ?? "<none>",
      externalIp(o),
      (o.spec?.ports ?? [])
        .map(
          (p: { port: number; nodePort?: number; protocol?: string }) =>
            `${p.port}${p.nodePort ? `:${p.nodePort}` : ""}/${p.protocol ?? "TCP"}`,
        )
        .join(",") || "<none>",
      age(o.metadata.creationTimestamp, now),
      Object.entries(o.spec?.selector ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(",") || "<none>",
    ],
  },
  configmaps: {
    columns: [col("Name", 0, "name"), col("Data", 0, "", "integer"), col("Age")],
    cells: (o, now) => [
      o.metadata.name,
      Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length,
      age(o.metadata.creationTimestamp, now),
    ],
  },
  // kubectl get serviceaccounts: NAME, SECRETS (the token secrets it lists; none since 1.24), AGE.
  serviceaccounts: {
    columns: [col("Name", 0, "name"), col("Secrets", 0, "", "integer"), col("Age")],
    cells: (o, now) => [o.metadata.name, (o.secrets ?? []).length, age(o.metadata.creationTimestamp, now)],
  },
  limitranges: {
    columns: [col("Name", 0, "name"), col("Created At", 0, "date")],
    cells: (o) => [o.metadata.name, o.metadata.creationTimestamp],
  },
  // The SecurityGroupPolicy CRD's printer column.
  securitygrouppolicies: {
    columns: [col("Name", 0, "name"), col("Security-Group-Ids"), col("Age")],
    cells: (o, now) => [
      o.metadata.name,
      JSON.stringify(o.spec?.securityGroups?.groupIds ?? []),
      age(o.metadata.creationTimestamp, now),
    ],
  },
  // The CRDs print no extra columns: kubectl shows NAME and AGE.
  eniconfigs: {
    columns: [col("Name", 0, "name"), col("Age")],
    cells: (o, now) => [o.metadata.name, age(o.metadata.creationTimestamp, now)],
  },
  cninodes: {
    columns: [col("Name", 0, "name"), col("Age")],
    cells: (o, now) => [o.metadata.name, age(o.metadata.creationTimestamp, now)],
  },
  leases: {
    columns: [col("Name", 0, "name"), col("Holder"), col("Age")],
    cells: (o, now) => [
      o.metadata.name,
      o.spec?.holderIdentity ?? "",
      age(o.metadata.creationTimestamp, now),
    ],
  },
};

export type IncludeObject = "None" | "Metadata" | "Object";

function rowObject(obj: KubeObject, include: IncludeObject) {
  if (include === "None") return undefined;
  if (include === "Object") return obj;
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: obj.metadata };
}

export function toTable(
  resource: string,
  objects: KubeObject[],
  meta: { resourceVersion: string; continue?: string; remainingItemCount?: number },
  now: number,
  include: IncludeObject,
  withColumns = true,
) {
  const printer = printers[resource];
  if (!printer) throw new Error(`no table printer for ${resource}`);
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: meta,
    columnDefinitions: withColumns ? printer.columns : [],
    rows: objects.map((o) => {
      const object = rowObject(o, include);
      return { cells: printer.cells(o, now), ...(object ? { object } : {}) };
    }),
  };
}
