// What the labs read off the live topology: a deployment's pods, whether the cluster has settled, the ENIs
// the warm-pool rules lead a node to, and the capacity formulas with the cluster's own numbers. Pure
// functions of the report, so a step's expectation is checked on exactly what the map draws.
import {
  HOST_NETWORK_SYSTEM_PODS,
  IPS_PER_PREFIX,
  type NodeReport,
  prefixDelegationCap,
  type Report,
  steadyState,
} from "@eni-view/model";
import { eniAttaching } from "../layout/nodeText.ts";
import type { Msg } from "./labTypes.ts";

export interface DeploymentPods {
  /** Pods holding an IP, by key. */
  placed: string[];
  /** Pending pods (not scheduled, or bound and waiting for an IP), by key. */
  pending: string[];
}

const key = (p: { namespace: string; name: string }) => `${p.namespace}/${p.name}`;

export function deploymentPods(topo: Report, namespace: string, name: string): DeploymentPods {
  const owner = `Deployment/${name}`;
  return {
    placed: topo.pods.filter((p) => p.namespace === namespace && p.owner === owner).map(key),
    pending: topo.pending.filter((p) => p.namespace === namespace && p.owner === owner).map(key),
  };
}

/** The ENIs a node's CNI hands pod IPs from (default card, not trunk/EFA/no_manage). */
export function podEnis(node: NodeReport) {
  return node.enis.filter((e) => e.onDefaultCard && e.podCapacity && e.role !== "branch");
}

/** Nothing is on its way: no pod waits for an IP without a reason yet, no ENI is attaching, no node is
 * being drained. A step is judged only on a settled cluster, never half-way through a change. */
export function settled(topo: Report): boolean {
  if (topo.pending.some((p) => p.reason === "starting")) return false;
  return !topo.nodes.some((n) => n.cordoned || !n.ready || n.enis.some((e) => eniAttaching(e)));
}

/** ENIs IPAMD settles on for the node's current pod IPs (the model's warm-pool rules); null when the
 * instance type or max pods is unknown. */
export function expectedEnis(node: NodeReport, topo: Report): number | null {
  const cap = node.capacity;
  if (cap.maxEnis === null || cap.ipv4PerEni === null || node.maxPods === null) return null;
  return steadyState(
    topo.cluster.cni,
    { maxEnis: cap.maxEnis, ipv4PerEni: cap.ipv4PerEni, maxPods: node.maxPods },
    node.ipsUsed,
  ).enis;
}

/** Nodes holding fewer ENIs than the warm-pool rules call for (IPAMD frees only empty ENIs, so more is
 * what a scale-down leaves and is fine). */
export function nodesShortOfEnis(topo: Report): NodeReport[] {
  return topo.nodes.filter((n) => {
    const want = expectedEnis(n, topo);
    return want !== null && n.enis.filter((e) => e.onDefaultCard).length < want;
  });
}

/** Pods kubelet lets a node run beyond aws-node and kube-proxy, which every node runs on the host network. */
export function podSlots(node: NodeReport): number {
  return Math.max(0, (node.maxPods ?? 0) - HOST_NETWORK_SYSTEM_PODS);
}

/** How many pods of a deployment the nodes have room for: kubelet's max pods, less aws-node and kube-proxy
 * and the other pods holding IPs there. */
export function roomFor(topo: Report, namespace: string, name: string): number {
  const mine = new Set(deploymentPods(topo, namespace, name).placed);
  const others = topo.pods.filter((p) => !mine.has(key(p))).length;
  const slots = topo.nodes.filter((n) => n.ready && !n.cordoned).reduce((s, n) => s + podSlots(n), 0);
  return Math.max(0, slots - others);
}

/** The formula's figures for one instance type, read from the model's capacity of a node of that type. */
export interface CapacityFigures {
  instanceType: string;
  enis: number;
  ipv4PerEni: number;
  /** Secondary IPs per ENI: IPv4 per ENI − 1 (the ENI's own primary address). */
  perEni: number;
  /** ENIs × (IPv4 per ENI − 1) + 2. */
  maxPods: number;
  /** The prefix-delegation formula, uncapped, and the cap the max-pods calculator puts on it. */
  pdUncapped: number;
  pdCap: number | null;
  pdMaxPods: number;
  vcpus: number | null;
  /** Custom networking: (ENIs − 1) × (IPv4 per ENI − 1) + 2. */
  customMaxPods: number;
}

export function capacityFigures(node: NodeReport): CapacityFigures | null {
  const cap = node.capacity;
  if (!cap.known || cap.maxEnis === null || cap.ipv4PerEni === null) return null;
  const perEni = cap.ipv4PerEni - 1;
  const pdUncapped = cap.maxEnis * perEni * IPS_PER_PREFIX + HOST_NETWORK_SYSTEM_PODS;
  const pdCap = cap.vcpus === null ? null : prefixDelegationCap(cap.vcpus);
  return {
    instanceType: cap.instanceType,
    enis: cap.maxEnis,
    ipv4PerEni: cap.ipv4PerEni,
    perEni,
    maxPods: cap.maxEnis * perEni + HOST_NETWORK_SYSTEM_PODS,
    pdUncapped,
    pdCap,
    pdMaxPods: pdCap === null ? pdUncapped : Math.min(pdUncapped, pdCap),
    vcpus: cap.vcpus,
    customMaxPods: Math.max(0, cap.maxEnis - 1) * perEni + HOST_NETWORK_SYSTEM_PODS,
  };
}

/** One node per instance type (by name), the cluster's types in a stable order. */
export function nodesByType(topo: Report): NodeReport[] {
  const seen = new Map<string, NodeReport>();
  for (const n of [...topo.nodes].sort((a, b) => a.name.localeCompare(b.name))) {
    const t = n.instanceType ?? "";
    if (!seen.has(t)) seen.set(t, n);
  }
  return [...seen.values()];
}

/** The first node (by name) whose figures are known: what a step's "why" fills its formula with. */
export function firstFigures(topo: Report): CapacityFigures | null {
  for (const n of nodesByType(topo)) {
    const f = capacityFigures(n);
    if (f) return f;
  }
  return null;
}

export function isFull(node: NodeReport): boolean {
  return node.maxPods !== null && node.pods >= node.maxPods;
}

/** Secondary IPs no pod holds, by node: the warm pool the map draws as outlines. */
export function warmIps(node: NodeReport): string[] {
  return podEnis(node).flatMap((e) => e.slots.filter((s) => s.pod === null).map((s) => s.ip));
}

export function eniIps(eni: NodeReport["enis"][number]): string[] {
  return [...(eni.primaryIp ? [eni.primaryIp] : []), ...eni.slots.map((s) => s.ip)];
}

/** IP-using pods on a node, by key. */
export function podsOn(topo: Report, node: string): string[] {
  return topo.pods.filter((p) => p.node === node).map(key);
}

/** The warm-pool settings aws-node runs with that differ from the defaults the labs are written for
 * (WARM_ENI_TARGET=1, no WARM_IP_TARGET or MINIMUM_IP_TARGET, no prefix delegation), as typed in its env;
 * null when there are none, or when no aws-node was seen. */
export function otherWarmSettings(topo: Report): string | null {
  const cni = topo.cluster.cni;
  if (!cni.detected) return null;
  const set = [
    cni.prefixDelegation ? "ENABLE_PREFIX_DELEGATION=true" : null,
    cni.warmIpTarget !== null ? `WARM_IP_TARGET=${cni.warmIpTarget}` : null,
    cni.minimumIpTarget !== null ? `MINIMUM_IP_TARGET=${cni.minimumIpTarget}` : null,
    !cni.prefixDelegation && cni.warmEniTarget !== 1 ? `WARM_ENI_TARGET=${cni.warmEniTarget ?? 0}` : null,
  ].filter((x) => x !== null);
  return set.length > 0 ? set.join(", ") : null;
}

/** The sentence a step adds to its "why" when aws-node runs with other warm-pool settings: the text speaks
 * of the defaults, the step's expectation follows the cluster's own. */
export function warmSettingsNote(topo: Report): Msg[] {
  const settings = otherWarmSettings(topo);
  return settings === null ? [] : [{ key: "common.warmSettings", values: { settings } }];
}
