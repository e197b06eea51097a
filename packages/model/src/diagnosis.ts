// Why a pod is not running: one reason per pod, with the scheduler's or kubelet's own words kept.
import type { EventInput, PendingReason, PodInput } from "./types.ts";

export interface PendingDiagnosis {
  reason: PendingReason;
  message: string;
}

// Printed by the scheduler's NodeResourcesFit plugin for pods over the node's max pods.
const TOO_MANY_PODS = /\bToo many pods\b/i;
// "Insufficient cpu", "Insufficient memory", "Insufficient vpc.amazonaws.com/pod-eni" ...
const INSUFFICIENT = /\bInsufficient [\w./-]+/;
// The aws-cni plugin's ADD failure when IPAMD has no free IP for the pod (any CNI version, any runtime),
// and Cilium's when the node's pod CIDR is used up (hybrid nodes run Cilium or Calico, not the VPC CNI;
// cilium/cilium#9793, #15881).
const NO_IP = /failed to assign an IP address|postIpamFailure\s+range is full/i;
// Extended resources that are addresses: branch ENIs (security groups for pods) and the Windows pod IPv4
// addresses the VPC resource controller advertises. Too few of them is IP exhaustion, not CPU or memory.
const NO_ADDRESS_RESOURCE = /\bInsufficient vpc\.amazonaws\.com\/(pod-eni|PrivateIPv4Address)\b/;

function timeOf(event: EventInput): number {
  if (event.lastSeen === null) return Number.NEGATIVE_INFINITY;
  const t = Date.parse(event.lastSeen);
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

/** The most recent event matching `keep`; later entries win ties. */
function latest(events: readonly EventInput[], keep: (e: EventInput) => boolean): EventInput | undefined {
  let best: EventInput | undefined;
  for (const e of events) {
    if (keep(e) && (best === undefined || timeOf(e) >= timeOf(best))) best = e;
  }
  return best;
}

/** eni-view's own words when the cluster has none (a page may say them in another language). */
export const NOT_SCHEDULED_MESSAGE = "not scheduled to a node yet";
export function startingMessage(status: string): string {
  return `waiting for an IP (${status})`;
}

/** Diagnoses one unfinished pod. `podEvents` are the events about this pod (any order). */
export function diagnosePending(pod: PodInput, podEvents: readonly EventInput[] = []): PendingDiagnosis {
  if (pod.nodeName === null) {
    const message =
      pod.scheduledMessage ?? latest(podEvents, (e) => e.reason === "FailedScheduling")?.message ?? "";
    if (TOO_MANY_PODS.test(message)) return { reason: "too-many-pods", message };
    if (NO_ADDRESS_RESOURCE.test(message)) return { reason: "ip-exhausted", message };
    if (INSUFFICIENT.test(message)) return { reason: "insufficient-resources", message };
    if (message !== "" || pod.scheduledReason !== null) {
      return { reason: "unschedulable", message: message || (pod.scheduledReason ?? "") };
    }
    return { reason: "other", message: NOT_SCHEDULED_MESSAGE };
  }

  if (pod.podIp === null && !pod.hostNetwork) {
    const sandbox = latest(podEvents, (e) => e.reason === "FailedCreatePodSandBox");
    if (sandbox !== undefined && NO_IP.test(sandbox.message)) {
      return { reason: "ip-exhausted", message: sandbox.message };
    }
  }
  const warning = latest(podEvents, (e) => e.type === "Warning");
  // Every pod of a scale-up spends a moment bound without an IP while kubelet asks the CNI for one: that is
  // a pod starting, not one stuck for an unknown reason.
  if (warning === undefined && pod.podIp === null && !pod.hostNetwork)
    return { reason: "starting", message: startingMessage(pod.waitingReason ?? pod.status) };
  return { reason: "other", message: warning?.message ?? pod.waitingReason ?? pod.status };
}
