// Pending pods grouped the way an SRE reads them: "28 × Deployment/nginx-deployment: Too many pods".
// Kubelet's sandbox failures carry a fresh sandbox id (and often the pod's own name) in every message,
// so grouping by the raw text gives one group per pod; the ids are stripped before comparing.
import type { PendingPodReport, PendingReason } from "./types.ts";

export interface PendingGroup {
  namespace: string;
  /** Kind/name of the owner (the Deployment of a ReplicaSet's pods); null for pods without one. */
  owner: string | null;
  reason: PendingReason;
  /** The message with sandbox and container ids and the pod's own name replaced by "…". */
  message: string;
  count: number;
  /** The pods' names, in the order they came. */
  pods: string[];
  /** The distinct nodes the pods are bound to (ip-exhausted and other bound pods); empty for pods the
   * scheduler could not place. */
  nodes: string[];
}

// Sandbox and container ids are 64 hex digits (often shortened to 12 or more); pod UIDs are UUIDs.
const HEX_ID = /\b[0-9a-f]{12,64}\b/g;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g;

/** The message as a grouping key: what differs from pod to pod for the same cause is replaced by "…". */
export function pendingMessageKey(pod: Pick<PendingPodReport, "name" | "message">): string {
  let message = pod.message.replace(UUID, "…").replace(HEX_ID, "…");
  // "failed to set up sandbox container … network for pod \"nginx-7d…\"": the pod's own name.
  // Only where it stands as a name (not inside a word: a pod called "p" leaves "pods" alone).
  if (pod.name.length > 0) {
    const name = pod.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    message = message.replace(new RegExp(`(?<![A-Za-z0-9.-])${name}(?![A-Za-z0-9.-])`, "g"), "…");
  }
  return message;
}

/** Groups by namespace, owner, reason and stripped message; the biggest group first, then by reason,
 * namespace and owner so the order is the same on every run. A pod without an owner groups with pods
 * of the same namespace, reason and message. */
export function groupPendingPods(pending: readonly PendingPodReport[]): PendingGroup[] {
  const groups = new Map<string, PendingGroup & { nodeSet: Set<string> }>();
  for (const pod of pending) {
    const message = pendingMessageKey(pod);
    const key = JSON.stringify([pod.namespace, pod.owner, pod.reason, message]);
    let group = groups.get(key);
    if (!group) {
      group = {
        namespace: pod.namespace,
        owner: pod.owner,
        reason: pod.reason,
        message,
        count: 0,
        pods: [],
        nodes: [],
        nodeSet: new Set(),
      };
      groups.set(key, group);
    }
    group.count++;
    group.pods.push(pod.name);
    if (pod.node !== null && !group.nodeSet.has(pod.node)) {
      group.nodeSet.add(pod.node);
      group.nodes.push(pod.node);
    }
  }
  // Code-unit order, not the locale's: the same order on every machine.
  const cmp = (a: string | null, b: string | null) =>
    (a ?? "") < (b ?? "") ? -1 : (a ?? "") > (b ?? "") ? 1 : 0;
  return [...groups.values()]
    .map(({ nodeSet: _, ...group }) => group)
    .sort(
      (a, b) =>
        b.count - a.count ||
        cmp(a.reason, b.reason) ||
        cmp(a.namespace, b.namespace) ||
        cmp(a.owner, b.owner) ||
        cmp(a.message, b.message),
    );
}
