// The default scheduler's filters in its order, reduced to what decides pod placement on EKS nodes:
// NodeUnschedulable, TaintToleration (a not-Ready node counts as tainted not-ready), node selector and
// required node affinity, then NodeResourcesFit (max pods, cpu, memory and the
// vpc.amazonaws.com/pod-eni extended resource). Reasons are the framework's own words.
import type { NodeSelectorRequirement, NodeSelectorTerm, PodScheduling, Taint } from "../types.ts";
import { NOT_READY_TAINT, taintReason, tolerated, UNSCHEDULABLE_TAINT, untoleratedTaint } from "./taints.ts";

/** A node as the scheduler sees it: labels, state and status.allocatable. */
export interface ScheduleNode {
  name: string;
  labels: Record<string, string>;
  unschedulable: boolean;
  ready: boolean;
  /** spec.taints in the node's order. */
  taints: readonly Taint[];
  /** allocatable pods, cpu (millicores), memory (bytes), vpc.amazonaws.com/pod-eni. */
  pods: number;
  cpuMilli: number;
  memoryBytes: number;
  podEni: number;
  /** allocatable vpc.amazonaws.com/PrivateIPv4Address (Windows nodes, from the VPC resource controller); absent
   * when the source does not say, and then not checked. */
  privateIpv4?: number;
}

/** What the pods placed on a node already take. */
export interface NodeUsage {
  pods: number;
  cpuMilli: number;
  memoryBytes: number;
  cpuScoreMilli: number;
  memoryScoreBytes: number;
  podEni: number;
  privateIpv4: number;
  /** Pods per owner (controller uid or key): the spread score. */
  owners: Map<string, number>;
}

export function emptyUsage(): NodeUsage {
  return {
    pods: 0,
    cpuMilli: 0,
    memoryBytes: 0,
    cpuScoreMilli: 0,
    memoryScoreBytes: 0,
    podEni: 0,
    privateIpv4: 0,
    owners: new Map(),
  };
}

/** Count a pod on (sign 1) or off (sign -1) a node. */
export function addToUsage(u: NodeUsage, pod: PodScheduling, owner: string | null, sign: 1 | -1): void {
  u.pods += sign;
  u.cpuMilli += sign * pod.cpuMilli;
  u.memoryBytes += sign * pod.memoryBytes;
  u.cpuScoreMilli += sign * pod.cpuScoreMilli;
  u.memoryScoreBytes += sign * pod.memoryScoreBytes;
  u.podEni += sign * pod.podEni;
  u.privateIpv4 += sign * (pod.privateIpv4 ?? 0);
  if (owner) u.owners.set(owner, (u.owners.get(owner) ?? 0) + sign);
}

export const NOT_SCHEDULABLE = "node(s) were unschedulable";
export const NOT_READY = taintReason(NOT_READY_TAINT);
export const NO_AFFINITY = "node(s) didn't match Pod's node affinity/selector";
export const TOO_MANY_PODS = "Too many pods";

function requirementHolds(r: NodeSelectorRequirement, values: Record<string, string>): boolean {
  const has = Object.hasOwn(values, r.key);
  const v = values[r.key];
  switch (r.operator) {
    case "In":
      return has && (r.values ?? []).includes(v as string);
    case "NotIn":
      return !has || !(r.values ?? []).includes(v as string);
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
    case "Gt":
    case "Lt": {
      const n = Number(v);
      const bound = Number(r.values?.[0]);
      if (!has || !Number.isInteger(n) || !Number.isInteger(bound)) return false;
      return r.operator === "Gt" ? n > bound : n < bound;
    }
    default:
      return false;
  }
}

function termHolds(t: NodeSelectorTerm, node: Pick<ScheduleNode, "name" | "labels">): boolean {
  const fields: Record<string, string> = { "metadata.name": node.name };
  return (
    (t.matchExpressions ?? []).every((r) => requirementHolds(r, node.labels)) &&
    (t.matchFields ?? []).every((r) => requirementHolds(r, fields))
  );
}

/** requiredDuringSchedulingIgnoredDuringExecution: any one term whose expressions and fields all hold. */
export function requiredAffinityMatches(
  terms: readonly NodeSelectorTerm[] | null,
  node: Pick<ScheduleNode, "name" | "labels">,
): boolean {
  if (!terms || terms.length === 0) return true;
  return terms.some((t) => termHolds(t, node));
}

/** NodeAffinity's score: the weights of the preferred terms the node matches (an empty term matches
 * nothing, as in the API). */
export function preferredAffinityScore(pod: PodScheduling, node: ScheduleNode): number {
  let sum = 0;
  for (const p of pod.preferredAffinity ?? []) {
    const t = p.preference;
    const empty = (t.matchExpressions ?? []).length === 0 && (t.matchFields ?? []).length === 0;
    if (!empty && termHolds(t, node)) sum += p.weight;
  }
  return sum;
}

/** The node's taints, with the not-ready taint the node lifecycle controller would have added when the
 * node is not Ready and the source did not record it. */
export function effectiveTaints(node: ScheduleNode): readonly Taint[] {
  if (node.ready || node.taints.some((t) => t.key === NOT_READY_TAINT.key)) return node.taints;
  return [...node.taints, NOT_READY_TAINT];
}

/** Why the pod cannot go on this node: the first failing filter's reasons; empty when it fits. */
export function misfit(pod: PodScheduling, node: ScheduleNode, u: NodeUsage): string[] {
  if (node.unschedulable && !tolerated(pod.tolerations, UNSCHEDULABLE_TAINT)) return [NOT_SCHEDULABLE];
  const taint = untoleratedTaint(effectiveTaints(node), pod.tolerations);
  if (taint) return [taintReason(taint)];
  if (pod.nodeSelector) {
    for (const [k, v] of Object.entries(pod.nodeSelector)) {
      if (node.labels[k] !== v) return [NO_AFFINITY];
    }
  }
  if (!requiredAffinityMatches(pod.nodeAffinity, node)) return [NO_AFFINITY];
  const reasons: string[] = [];
  if (u.pods + 1 > node.pods) reasons.push(TOO_MANY_PODS);
  if (pod.cpuMilli > 0 && u.cpuMilli + pod.cpuMilli > node.cpuMilli) reasons.push("Insufficient cpu");
  if (pod.memoryBytes > 0 && u.memoryBytes + pod.memoryBytes > node.memoryBytes)
    reasons.push("Insufficient memory");
  if (pod.podEni > 0 && u.podEni + pod.podEni > node.podEni)
    reasons.push("Insufficient vpc.amazonaws.com/pod-eni");
  const ipv4 = pod.privateIpv4 ?? 0;
  if (ipv4 > 0 && node.privateIpv4 !== undefined && u.privateIpv4 + ipv4 > node.privateIpv4)
    reasons.push("Insufficient vpc.amazonaws.com/PrivateIPv4Address");
  return reasons;
}
