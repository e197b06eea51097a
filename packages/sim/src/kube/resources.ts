// The resources the simulated API server serves: discovery facts and the field selectors each supports.
import type { KubeObject } from "./types.ts";

export interface ResourceDef {
  /** Plural, as in URLs: "pods". */
  name: string;
  singularName: string;
  kind: string;
  group: string;
  version: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** The schema's model (client-node's class name, or a custom resource's in openapi/crdSchemas.ts). */
  model: string;
  /** A custom resource: served only when the scenario installs its CRD. */
  crd?: boolean;
  /** Field values a fieldSelector can match, by field label. */
  fields(obj: KubeObject): Record<string, string>;
}

const readVerbs = ["get", "list", "watch"];
/** What kubectl create, apply, edit, patch and delete need. */
const writeVerbs = ["create", "delete", "get", "list", "patch", "update", "watch"];

function metaFields(obj: KubeObject): Record<string, string> {
  const fields: Record<string, string> = { "metadata.name": obj.metadata.name };
  if (obj.metadata.namespace !== undefined) fields["metadata.namespace"] = obj.metadata.namespace;
  return fields;
}

export const resources: ResourceDef[] = [
  {
    name: "namespaces",
    model: "V1Namespace",
    singularName: "namespace",
    kind: "Namespace",
    group: "",
    version: "v1",
    namespaced: false,
    shortNames: ["ns"],
    categories: [],
    verbs: writeVerbs,
    fields: (o) => ({ ...metaFields(o), "status.phase": String(o.status?.phase ?? "") }),
  },
  {
    name: "nodes",
    model: "V1Node",
    singularName: "node",
    kind: "Node",
    group: "",
    version: "v1",
    namespaced: false,
    shortNames: ["no"],
    categories: [],
    verbs: ["delete", "get", "list", "patch", "watch"],
    fields: (o) => ({ ...metaFields(o), "spec.unschedulable": String(o.spec?.unschedulable === true) }),
  },
  {
    name: "pods",
    model: "V1Pod",
    singularName: "pod",
    kind: "Pod",
    group: "",
    version: "v1",
    namespaced: true,
    shortNames: ["po"],
    categories: ["all"],
    verbs: writeVerbs,
    fields: (o) => ({
      ...metaFields(o),
      "spec.nodeName": String(o.spec?.nodeName ?? ""),
      "spec.restartPolicy": String(o.spec?.restartPolicy ?? ""),
      "spec.schedulerName": String(o.spec?.schedulerName ?? ""),
      "spec.serviceAccountName": String(o.spec?.serviceAccountName ?? ""),
      "spec.hostNetwork": String(o.spec?.hostNetwork === true),
      "status.phase": String(o.status?.phase ?? ""),
      "status.podIP": String(o.status?.podIP ?? ""),
      "status.nominatedNodeName": String(o.status?.nominatedNodeName ?? ""),
    }),
  },
  {
    name: "services",
    model: "V1Service",
    singularName: "service",
    kind: "Service",
    group: "",
    version: "v1",
    namespaced: true,
    shortNames: ["svc"],
    categories: ["all"],
    verbs: writeVerbs,
    fields: metaFields,
  },
  {
    name: "serviceaccounts",
    model: "V1ServiceAccount",
    singularName: "serviceaccount",
    kind: "ServiceAccount",
    group: "",
    version: "v1",
    namespaced: true,
    shortNames: ["sa"],
    categories: [],
    verbs: writeVerbs,
    fields: metaFields,
  },
  {
    name: "configmaps",
    model: "V1ConfigMap",
    singularName: "configmap",
    kind: "ConfigMap",
    group: "",
    version: "v1",
    namespaced: true,
    shortNames: ["cm"],
    categories: [],
    verbs: writeVerbs,
    fields: metaFields,
  },
  {
    name: "limitranges",
    model: "V1LimitRange",
    singularName: "limitrange",
    kind: "LimitRange",
    group: "",
    version: "v1",
    namespaced: true,
    shortNames: ["limits"],
    categories: [],
    verbs: writeVerbs,
    fields: metaFields,
  },
  {
    name: "events",
    model: "CoreV1Event",
    singularName: "event",
    kind: "Event",
    group: "",
    version: "v1",
    namespaced: true,
    shortNames: ["ev"],
    categories: [],
    verbs: readVerbs,
    fields: (o) => ({
      ...metaFields(o),
      "involvedObject.kind": String(o.involvedObject?.kind ?? ""),
      "involvedObject.namespace": String(o.involvedObject?.namespace ?? ""),
      "involvedObject.name": String(o.involvedObject?.name ?? ""),
      "involvedObject.uid": String(o.involvedObject?.uid ?? ""),
      "involvedObject.apiVersion": String(o.involvedObject?.apiVersion ?? ""),
      "involvedObject.resourceVersion": String(o.involvedObject?.resourceVersion ?? ""),
      "involvedObject.fieldPath": String(o.involvedObject?.fieldPath ?? ""),
      reason: String(o.reason ?? ""),
      reportingComponent: String(o.reportingComponent ?? ""),
      source: String(o.source?.component ?? ""),
      type: String(o.type ?? ""),
    }),
  },
  {
    name: "daemonsets",
    model: "V1DaemonSet",
    singularName: "daemonset",
    kind: "DaemonSet",
    group: "apps",
    version: "v1",
    namespaced: true,
    shortNames: ["ds"],
    categories: ["all"],
    verbs: writeVerbs,
    fields: metaFields,
  },
  {
    name: "deployments",
    model: "V1Deployment",
    singularName: "deployment",
    kind: "Deployment",
    group: "apps",
    version: "v1",
    namespaced: true,
    shortNames: ["deploy"],
    categories: ["all"],
    verbs: writeVerbs,
    fields: metaFields,
  },
  {
    name: "replicasets",
    model: "V1ReplicaSet",
    singularName: "replicaset",
    kind: "ReplicaSet",
    group: "apps",
    version: "v1",
    namespaced: true,
    shortNames: ["rs"],
    categories: ["all"],
    verbs: readVerbs,
    fields: (o) => ({ ...metaFields(o), "status.replicas": String(o.status?.replicas ?? 0) }),
  },
  {
    name: "leases",
    model: "V1Lease",
    singularName: "lease",
    kind: "Lease",
    group: "coordination.k8s.io",
    version: "v1",
    namespaced: true,
    shortNames: [],
    categories: [],
    // Written by leader election (eni-view's replicas take turns polling EC2 through one), as client-go does.
    verbs: writeVerbs,
    fields: metaFields,
  },
  {
    name: "eniconfigs",
    model: "ENIConfig",
    singularName: "eniconfig",
    kind: "ENIConfig",
    group: "crd.k8s.amazonaws.com",
    version: "v1alpha1",
    namespaced: false,
    shortNames: [],
    categories: [],
    verbs: writeVerbs,
    crd: true,
    fields: metaFields,
  },
  {
    name: "cninodes",
    model: "CNINode",
    singularName: "cninode",
    kind: "CNINode",
    group: "vpcresources.k8s.aws",
    version: "v1alpha1",
    namespaced: false,
    shortNames: ["cnd"],
    categories: [],
    verbs: readVerbs,
    crd: true,
    fields: metaFields,
  },
  {
    name: "securitygrouppolicies",
    model: "SecurityGroupPolicy",
    singularName: "securitygrouppolicy",
    kind: "SecurityGroupPolicy",
    group: "vpcresources.k8s.aws",
    version: "v1beta1",
    namespaced: true,
    shortNames: ["sgp"],
    categories: [],
    verbs: writeVerbs,
    crd: true,
    fields: metaFields,
  },
];

/** Which resources a server answers for: the built-in ones, and custom ones whose CRD is installed. */
export type ServedFilter = (def: ResourceDef) => boolean;

export const builtInOnly: ServedFilter = (def) => def.crd !== true;

/** Read at each request: a test may install or remove a CRD by changing the array. */
export function servedWith(crds: readonly string[]): ServedFilter {
  return (def) => def.crd !== true || crds.includes(def.name);
}

export const resourceByName = new Map(resources.map((r) => [r.name, r]));

export function groupVersion(def: ResourceDef): string {
  return def.group === "" ? def.version : `${def.group}/${def.version}`;
}

export function resourceDef(name: string): ResourceDef {
  const def = resourceByName.get(name);
  if (!def) throw new Error(`unknown resource ${name}`);
  return def;
}
