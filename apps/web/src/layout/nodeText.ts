// A node and what is under the pointer, in words: for box headers, the tooltip and the node panel.
import { type EniReport, eniCount, type NodeReport, nodeEniCounts } from "@eni-view/model";
import { t } from "../i18n/i18n.ts";
import { type CoolingIp, coolingText } from "./cooling.ts";
import type { Hit } from "./hitTest.ts";
import type { PodIndex } from "./podIndex.ts";
import { reportText } from "./reportWords.ts";

/** The status colour alone: what the zoomed-out picture paints for each of 100,000 nodes, with no words. */
export function nodeTone(n: NodeReport): "ok" | "bad" | "warn" {
  return !n.ready ? "bad" : n.cordoned ? "warn" : "ok";
}

export function nodeStatus(n: NodeReport): { label: string; tone: "ok" | "bad" | "warn" } {
  if (!n.ready)
    return { label: t(n.cordoned ? "node.status.notReadyCordoned" : "node.status.notReady"), tone: "bad" };
  if (n.cordoned) return { label: t("node.status.cordoned"), tone: "warn" };
  return { label: t("node.status.ready"), tone: "ok" };
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
  return t("node.podsLine", { pods: n.pods, max: n.maxPods ?? "?" });
}

export function overcommitText(n: NodeReport): string {
  const values = { maxPods: n.maxPods, byEni: n.maxPodsByEni, branches: n.branchEnis };
  return n.branchEnis ? t("node.overcommitBranches", values) : t("node.overcommit", values);
}

/** The model's nodeEniText ("3/3 +1 other cards", "unknown", "none") in the page's language: the default card's
 * ENIs of those the node may have (branch ENIs and other cards' interfaces are not ENI slots). A report from
 * before node kinds has no kind and no enisKnown: its ENIs of the type's maximum. */
export function nodeEniWords(node: NodeReport): string {
  if (node.kind === undefined) return `${eniCount(node)}/${node.capacity.maxEnis ?? "?"}`;
  if (node.kind === "hybrid") return t("panel.enisHybrid");
  const c = nodeEniCounts(node);
  if (!c.known) return t("panel.unknown");
  const possible = c.possible ?? "?";
  return c.otherCards > 0
    ? t("panel.enisOther", { attached: c.attached, possible, other: c.otherCards })
    : `${c.attached}/${possible}`;
}

/** An ENI in words: id, where it sits (device index, card, or the trunk's VLAN) and its role. */
export function eniWords(eni: EniReport): string {
  if (eni.role === "branch") return t("node.eni.branch", { id: eni.id });
  if (eni.role === "fargate") return t("node.eni.fargate", { id: eni.id });
  const values = {
    id: eni.id,
    device: eni.deviceIndex,
    card: eni.networkCardIndex,
    role: t(`node.eni.role.${eni.role}`),
  };
  return eni.networkCardIndex > 0 ? t("node.eni.deviceCard", values) : t("node.eni.device", values);
}

/** The node's kind as the box header says it: nothing for the plain EC2 case. */
export function kindWords(n: NodeReport): string | null {
  const kind = n.kind ?? "ec2";
  const words = kind === "ec2" ? null : t(`node.kind.${kind}`);
  const v6 = n.ipFamily === "ipv6" ? "IPv6" : null;
  return [words, v6].filter((w) => w !== null).join(" ") || null;
}

type LineLabel =
  | "pod"
  | "phase"
  | "owner"
  | "slot"
  | "cooldown"
  | "network"
  | "IP"
  | "interface"
  | "prefix"
  | "ENI"
  | "node"
  | "status"
  | "pods"
  | "warning"
  | "IPs";

/**
 * Label/value lines describing a hit: the pod, IP, ENI and node, or the node itself. The third element is
 * true when the value is cluster data (a name, an address, the report's own words), not page text.
 */
export function describeHit(
  hit: Hit,
  pods: PodIndex,
  cooling: ReadonlyMap<string, CoolingIp> = new Map(),
): [string, string, boolean?][] {
  const n = hit.node.layout.node;
  const c = hit.cell;
  const pod = c?.pod ? pods.get(c.pod) : undefined;
  const eni = hit.row?.eni ?? null;
  const lines: [string, string, boolean?][] = [];
  const line = (label: LineLabel, value: string, data?: boolean) =>
    lines.push(data ? [t(`node.label.${label}`), value, true] : [t(`node.label.${label}`), value]);
  if (c?.pod) {
    line("pod", c.pod, true);
    if (pod) line("phase", `${pod.phase}${pod.status !== pod.phase ? ` (${pod.status})` : ""}`, true);
    if (pod?.owner) line("owner", pod.owner, true);
  } else if (c) {
    const cool = c.kind === "warm" && c.ip !== null ? cooling.get(c.ip) : undefined;
    if (cool) {
      line("slot", t("node.slot.cooling"));
      line("cooldown", coolingText(cool));
    } else if (c.kind === "free" && eniAttaching(hit.row?.eni ?? null))
      line("slot", t("node.slot.attaching"));
    else line("slot", t(`node.slot.${c.kind}`));
  }
  if (hit.hostPod) {
    line("pod", `${hit.hostPod.pod.namespace}/${hit.hostPod.pod.name}`, true);
    line("network", t("node.slot.host"));
  }
  if (c?.ip) line("IP", c.ip, true);
  if (c?.prefix) line(c.kind === "interface" ? "interface" : "prefix", c.prefix, true);
  if (eni) line("ENI", eniWords(eni));
  else if (hit.row?.kind === "placeholder")
    line("ENI", t("node.notAttached", { device: hit.row.deviceIndex }));
  else if (hit.row?.kind === "off-eni" && hit.row.caption) line("ENI", hit.row.caption);
  line("node", n.name, true);
  if (!c && !hit.hostPod) {
    line(
      "status",
      t("node.statusLine", {
        status: nodeStatus(n).label,
        type: n.instanceType ?? t("node.unknownType"),
        zone: n.zone ?? t("node.noZone"),
      }),
    );
    line("pods", podsLine(n));
    // The report's own words for the node; a report without them still says it is overcommitted.
    const warnings = n.warnings ?? [];
    if (n.overcommitted && warnings.length === 0) line("warning", overcommitText(n));
    // The report's own sentences, in the page's language when recognised (reportWords.ts).
    for (const w of warnings) line("warning", reportText(w).text);
    line("IPs", t("node.ipsLine", { used: n.ipsUsed, warm: n.ipsWarm, assigned: n.ipsAssigned }));
  }
  return lines;
}
