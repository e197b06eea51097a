// The Pending tray's groups: pods of one owner waiting for the same reason with the same words are one
// line ("28 × Deployment/nginx-deployment: too many pods"). Messages are compared with what differs from pod
// to pod taken out (sandbox and container ids, pod names in quotes), so 28 sandbox failures are one group.
import type { PendingPodReport } from "@eni-view/model";

export interface PendingGroup {
  key: string;
  /** Kind/name of the owner, or the pod itself when it has none. */
  owner: string;
  reason: PendingPodReport["reason"];
  /** The message with per-pod ids stripped. */
  message: string;
  pods: PendingPodReport[];
  /** Nodes the group's pods are bound to (waiting there for an IP or to start). */
  nodes: string[];
}

/** A message without what differs from pod to pod: sandbox/container ids and the pod's own name. */
export function groupMessage(message: string): string {
  return message
    .replace(/\b[0-9a-f]{32,64}\b/g, "…")
    .replace(/sandbox "[^"]*"/g, 'sandbox "…"')
    .replace(/pod "[^"]*"/g, 'pod "…"');
}

/** Groups, biggest first, then by owner: the order the tray lists them in. */
export function groupPending(pending: readonly PendingPodReport[]): PendingGroup[] {
  const groups = new Map<string, PendingGroup>();
  for (const p of pending) {
    const owner = p.owner ?? `${p.namespace}/${p.name}`;
    const message = groupMessage(p.message);
    const key = `${p.namespace}\n${owner}\n${p.reason}\n${message}`;
    let g = groups.get(key);
    if (!g) {
      g = { key, owner, reason: p.reason, message, pods: [], nodes: [] };
      groups.set(key, g);
    }
    g.pods.push(p);
    if (p.node && !g.nodes.includes(p.node)) g.nodes.push(p.node);
  }
  return [...groups.values()].sort(
    (a, b) => b.pods.length - a.pods.length || (a.owner < b.owner ? -1 : a.owner > b.owner ? 1 : 0),
  );
}
