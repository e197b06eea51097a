// A node and what is under the pointer, in words: for box headers, the tooltip and the node panel.
import { type EniReport, KIND_LABELS, type NodeReport } from "@eni-view/model";
import { type CoolingIp, coolingText } from "./cooling.ts";
import type { Hit } from "./hitTest.ts";
import type { PodIndex } from "./podIndex.ts";

export function nodeStatus(n: NodeReport): { label: string; tone: "ok" | "bad" | "warn" } {
  if (!n.ready) return { label: n.cordoned ? "NotReady, cordoned" : "NotReady", tone: "bad" };
  if (n.cordoned) return { label: "cordoned", tone: "warn" };
  return { label: "Ready", tone: "ok" };
}

/**
 * An ENI the CNI attached that holds no IP or prefix yet: IPAMD creates ENIs pre-loaded with IPs, so until
 * EC2 lists them the ENI is still attaching, and its room is not room a pod can take.
 */
export function eniAttaching(eni: EniReport | null): boolean {
  return (
    eni !== null &&
    eni.role === "secondary" &&
    eni.podCapacity &&
    eni.slots.length === 0 &&
    eni.prefixes.length === 0
  );
}

export function podsLine(n: NodeReport): string {
  return `${n.pods}/${n.maxPods ?? "?"} pods`;
}

export function overcommitText(n: NodeReport): string {
  const branches = n.branchEnis ? ` + ${n.branchEnis} branch ENIs` : "";
  return `kubelet max pods ${n.maxPods} > ${n.maxPodsByEni}${branches} the ENIs hold`;
}

/** An ENI in words: id, where it sits (device index, card, or the trunk's VLAN) and its role. */
export function eniWords(eni: EniReport): string {
  if (eni.role === "branch")
    return `${eni.id} · branch ENI on a VLAN of the trunk (security groups for pods)`;
  if (eni.role === "fargate") return `${eni.id} · the Fargate pod's own ENI`;
  const card = eni.networkCardIndex > 0 ? ` · card ${eni.networkCardIndex}` : "";
  return `${eni.id} · eth${eni.deviceIndex}${card} · ${eni.role}`;
}

/** The node's kind as the box header says it: nothing for the plain EC2 case. */
export function kindWords(n: NodeReport): string | null {
  const kind = n.kind ?? "ec2";
  const words = kind === "ec2" ? null : KIND_LABELS[kind];
  const v6 = n.ipFamily === "ipv6" ? "IPv6" : null;
  return [words, v6].filter((w) => w !== null).join(" ") || null;
}

const slotText = {
  primary: "primary IP of the ENI (never a pod's)",
  warm: "warm IP: assigned to the ENI, free for the next pod",
  free: "room on this ENI: not assigned from the subnet yet",
  placeholder: "ENI not attached yet: headroom the instance type allows",
  interface: "interface on another network card: no pod IPs",
  pod: "pod",
} as const;

/** Label/value lines describing a hit: the pod, IP, ENI and node, or the node itself. */
export function describeHit(
  hit: Hit,
  pods: PodIndex,
  cooling: ReadonlyMap<string, CoolingIp> = new Map(),
): [string, string][] {
  const n = hit.node.layout.node;
  const c = hit.cell;
  const pod = c?.pod ? pods.get(c.pod) : undefined;
  const eni = hit.row?.eni ?? null;
  const lines: [string, string][] = [];
  if (c?.pod) {
    lines.push(["pod", c.pod]);
    if (pod) lines.push(["phase", `${pod.phase}${pod.status !== pod.phase ? ` (${pod.status})` : ""}`]);
    if (pod?.owner) lines.push(["owner", pod.owner]);
  } else if (c) {
    const cool = c.kind === "warm" && c.ip !== null ? cooling.get(c.ip) : undefined;
    if (cool) {
      lines.push(["slot", "cooling down: IPAMD holds a freed IP back for IP_COOLDOWN_PERIOD"]);
      lines.push(["cooldown", coolingText(cool)]);
    } else if (c.kind === "free" && eniAttaching(hit.row?.eni ?? null))
      lines.push(["slot", "ENI attaching: EC2 lists none of its IPs yet"]);
    else lines.push(["slot", slotText[c.kind]]);
  }
  if (hit.hostPod) {
    lines.push(["pod", `${hit.hostPod.pod.namespace}/${hit.hostPod.pod.name}`]);
    lines.push(["network", "hostNetwork: uses the node IP, no ENI slot"]);
  }
  if (c?.ip) lines.push(["IP", c.ip]);
  if (c?.prefix) lines.push([c.kind === "interface" ? "interface" : "prefix", c.prefix]);
  if (eni) lines.push(["ENI", eniWords(eni)]);
  else if (hit.row?.kind === "placeholder") lines.push(["ENI", `eth${hit.row.deviceIndex} not attached`]);
  else if (hit.row?.kind === "off-eni" && hit.row.caption) lines.push(["ENI", hit.row.caption]);
  lines.push(["node", n.name]);
  if (!c && !hit.hostPod) {
    lines.push([
      "status",
      `${nodeStatus(n).label} · ${n.instanceType ?? "unknown type"} · ${n.zone ?? "no zone"}`,
    ]);
    lines.push(["pods", podsLine(n)]);
    // The report's own words for the node; a report without them still says it is overcommitted.
    const warnings = n.warnings ?? [];
    if (n.overcommitted && warnings.length === 0) lines.push(["warning", overcommitText(n)]);
    for (const w of warnings) lines.push(["warning", w]);
    lines.push(["IPs", `${n.ipsUsed} used · ${n.ipsWarm} warm · ${n.ipsAssigned} assigned`]);
  }
  return lines;
}
