// A node and what is under the pointer, in words: for box headers, the tooltip and the node panel.
import type { NodeReport } from "@eni-view/model";
import type { Hit } from "./hitTest.ts";
import type { PodIndex } from "./podIndex.ts";

export function nodeStatus(n: NodeReport): { label: string; tone: "ok" | "bad" | "warn" } {
  if (!n.ready) return { label: n.cordoned ? "NotReady, cordoned" : "NotReady", tone: "bad" };
  if (n.cordoned) return { label: "cordoned", tone: "warn" };
  return { label: "Ready", tone: "ok" };
}

export function podsLine(n: NodeReport): string {
  return `${n.pods}/${n.maxPods ?? "?"} pods`;
}

export function overcommitText(n: NodeReport): string {
  return `kubelet max pods ${n.maxPods} > ${n.maxPodsByEni} the ENIs hold`;
}

const slotText = {
  primary: "primary IP of the ENI (never a pod's)",
  warm: "warm IP: assigned to the ENI, free for the next pod",
  free: "room on this ENI: not assigned from the subnet yet",
  placeholder: "ENI not attached yet: headroom the instance type allows",
  pod: "pod",
} as const;

/** Label/value lines describing a hit: the pod, IP, ENI and node, or the node itself. */
export function describeHit(hit: Hit, pods: PodIndex): [string, string][] {
  const n = hit.node.layout.node;
  const c = hit.cell;
  const pod = c?.pod ? pods.get(c.pod) : undefined;
  const eni = hit.row?.eni ?? null;
  const lines: [string, string][] = [];
  if (c?.pod) {
    lines.push(["pod", c.pod]);
    if (pod) lines.push(["phase", `${pod.phase}${pod.status !== pod.phase ? ` (${pod.status})` : ""}`]);
    if (pod?.owner) lines.push(["owner", pod.owner]);
  } else if (c) lines.push(["slot", slotText[c.kind]]);
  if (hit.hostPod) {
    lines.push(["pod", `${hit.hostPod.pod.namespace}/${hit.hostPod.pod.name}`]);
    lines.push(["network", "hostNetwork: uses the node IP, no ENI slot"]);
  }
  if (c?.ip) lines.push(["IP", c.ip]);
  if (c?.prefix) lines.push(["prefix", c.prefix]);
  if (eni) lines.push(["ENI", `${eni.id} · eth${eni.deviceIndex} · ${eni.role}`]);
  else if (hit.row) lines.push(["ENI", `eth${hit.row.deviceIndex} not attached`]);
  lines.push(["node", n.name]);
  if (!c && !hit.hostPod) {
    lines.push([
      "status",
      `${nodeStatus(n).label} · ${n.instanceType ?? "unknown type"} · ${n.zone ?? "no zone"}`,
    ]);
    lines.push(["pods", podsLine(n)]);
    if (n.overcommitted) lines.push(["warning", overcommitText(n)]);
    lines.push(["IPs", `${n.ipsUsed} used · ${n.ipsWarm} warm · ${n.ipsAssigned} assigned`]);
  }
  return lines;
}
