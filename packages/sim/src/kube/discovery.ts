// Legacy discovery documents (/api, /apis, /api/v1, /apis/<group>/<version>). Aggregated discovery is
// not served: kubectl asks for it but falls back to these when the answer is plain application/json.
import { builtInOnly, groupVersion, type ResourceDef, resources, type ServedFilter } from "./resources.ts";

export const kubernetesVersion = { major: "1", minor: "31", gitVersion: "v1.31.4-eks-2d5f260" };

export function versionInfo() {
  return {
    ...kubernetesVersion,
    gitCommit: "2d5f260a0bfb2dbfeb1d2d4ebc2a4d2e5e6a6f4b",
    gitTreeState: "clean",
    buildDate: "2025-01-07T19:47:29Z",
    goVersion: "go1.22.10",
    compiler: "gc",
    platform: "linux/amd64",
  };
}

export function apiVersions(serverAddress: string) {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

function groups(served: ServedFilter): Map<string, string[]> {
  const byGroup = new Map<string, string[]>();
  for (const r of resources) {
    if (r.group === "" || !served(r)) continue;
    const versions = byGroup.get(r.group) ?? [];
    if (!versions.includes(r.version)) versions.push(r.version);
    byGroup.set(r.group, versions);
  }
  return byGroup;
}

function apiGroup(name: string, versions: string[]) {
  const entries = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: entries, preferredVersion: entries[0] };
}

export function apiGroupList(served: ServedFilter = builtInOnly) {
  return {
    kind: "APIGroupList",
    apiVersion: "v1",
    groups: [...groups(served)].map(([name, versions]) => apiGroup(name, versions)),
  };
}

/** The group document (/apis/apps), or null for a group the server does not have. */
export function apiGroupDoc(name: string, served: ServedFilter = builtInOnly) {
  const versions = groups(served).get(name);
  return versions ? { kind: "APIGroup", apiVersion: "v1", ...apiGroup(name, versions) } : null;
}

function resourceEntry(r: ResourceDef) {
  return {
    name: r.name,
    singularName: r.singularName,
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: r.verbs,
    ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
    ...(r.categories.length ? { categories: r.categories } : {}),
  };
}

/** The resource list of one group version, or null when the server does not serve it. */
export function apiResourceList(group: string, version: string, isServed: ServedFilter = builtInOnly) {
  const served = resources.filter((r) => r.group === group && r.version === version && isServed(r));
  if (served.length === 0) return null;
  const entries: object[] = [];
  for (const r of served) {
    entries.push(resourceEntry(r));
    if (r.name === "pods") {
      // kubectl drain evicts through this subresource when discovery lists it.
      entries.push({
        name: "pods/eviction",
        singularName: "",
        namespaced: true,
        group: "policy",
        version: "v1",
        kind: "Eviction",
        verbs: ["create"],
      });
    }
    if (r.name === "deployments") {
      // kubectl scale finds the Scale kind of a resource through this subresource entry.
      entries.push({
        name: "deployments/scale",
        singularName: "",
        namespaced: true,
        group: "autoscaling",
        version: "v1",
        kind: "Scale",
        verbs: ["get", "patch", "update"],
      });
    }
  }
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: groupVersion(served[0] as ResourceDef),
    resources: entries,
  };
}
