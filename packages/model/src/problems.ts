// Where an SRE should look: the problems a node box carries, each with its own mark, and the list of them.
// Pure: the same answers for the page's canvas, its SVG/PNG export and problems list, and `eni-view report`.
import { nodeEniCounts } from "./nodeKinds.ts";
import { eniSubnets } from "./overview.ts";
import type { NodeReport, SubnetReport } from "./types.ts";

/** In the order the problems list shows them: what stops pods first. */
export const problemKinds = [
  "not-ready",
  "waiting-for-ip",
  "subnet-low",
  "overcommitted",
  "full",
  "cordoned",
  "eni-limit",
] as const;
export type ProblemKind = (typeof problemKinds)[number];

export const problemTitles: Record<ProblemKind, string> = {
  "not-ready": "NotReady",
  "waiting-for-ip": "pods waiting for an IP",
  "subnet-low": "subnet nearly out of IPs",
  overcommitted: "max pods above what the ENIs hold",
  full: "full: pods at max pods",
  cordoned: "cordoned",
  "eni-limit": "every ENI the type allows attached",
};

/** A subnet is nearly out below this share of its usable addresses free (the summary bar's red bar too). */
export const SUBNET_LOW_SHARE = 0.1;

/**
 * Subnets that are nearly out of addresses: under a tenth free, or too few free addresses for one more ENI's
 * worth of IPs on a node that uses them (IPAMD creates an ENI pre-loaded with a full ENI's IPs, and a subnet
 * without them answers InsufficientFreeAddressesInSubnet).
 */
export function lowSubnets(subnets: readonly SubnetReport[], nodes: readonly NodeReport[]): Set<string> {
  const perEni = new Map<string, number>();
  for (const n of nodes) {
    const need = n.capacity.podIpsPerEni;
    if (need === null) continue;
    for (const subnet of eniSubnets(n)) perEni.set(subnet, Math.max(perEni.get(subnet) ?? 0, need));
  }
  const low = new Set<string>();
  for (const s of subnets) {
    const share = s.totalIps > 0 ? s.availableIps / s.totalIps : 0;
    if (share < SUBNET_LOW_SHARE || s.availableIps < (perEni.get(s.id) ?? 0)) low.add(s.id);
  }
  return low;
}

/** The subnets a node takes pod IPs from: its ENIs' and its ENIConfig's. */
function nodeSubnets(n: NodeReport): string[] {
  const ids = eniSubnets(n);
  if (n.eniConfig?.subnetId) ids.push(n.eniConfig.subnetId);
  return ids;
}

/** Only EC2 and Auto Mode nodes on IPv4 attach more ENIs as pods come: for Windows, Fargate and IPv6 nodes one
 * ENI is all there is, so having no free ENI slot says nothing. Older reports have no kind: EC2. */
function attachesEnis(n: NodeReport): boolean {
  const kind = n.kind ?? "ec2";
  return (kind === "ec2" || kind === "auto-mode") && n.capacity.mode !== "ipv6-prefix";
}

export function nodeProblems(n: NodeReport, low: ReadonlySet<string>): ProblemKind[] {
  const out: ProblemKind[] = [];
  if (!n.ready) out.push("not-ready");
  if (n.podsWaitingForIp > 0) out.push("waiting-for-ip");
  if (low.size > 0 && nodeSubnets(n).some((s) => low.has(s))) out.push("subnet-low");
  if (n.overcommitted) out.push("overcommitted");
  // A Fargate node holds its one pod by design: never "full".
  if (n.kind !== "fargate" && n.maxPods !== null && n.pods >= n.maxPods) out.push("full");
  if (n.cordoned) out.push("cordoned");
  if (attachesEnis(n) && n.capacity.known && n.eniSlotsFree === 0 && nodeEniCounts(n).attached > 0)
    out.push("eni-limit");
  return out;
}

export interface ProblemEntry {
  kind: ProblemKind;
  node: string;
  /** What the mark means on this node, in words. */
  detail: string;
  /** The numbers and names in `detail`, for a page that says it in another language. */
  values: Record<string, number | string>;
  /** How bad, for sorting within a kind: bigger is worse. */
  weight: number;
}

/** The list's line for one problem of one node. `count` picks the plural form of the page's and the CLI's
 * words ("1 pod on it", "22 pods on it"). */
export function problemEntry(kind: ProblemKind, n: NodeReport): ProblemEntry {
  switch (kind) {
    case "waiting-for-ip":
      return {
        kind,
        node: n.name,
        detail: `${n.podsWaitingForIp} bound pod${n.podsWaitingForIp === 1 ? "" : "s"} without an IP`,
        values: { count: n.podsWaitingForIp },
        weight: n.podsWaitingForIp,
      };
    case "subnet-low": {
      const subnets = [...new Set(nodeSubnets(n))].join(", ");
      return { kind, node: n.name, detail: subnets, values: { subnets }, weight: n.ipsUsed };
    }
    case "overcommitted":
      return {
        kind,
        node: n.name,
        detail: `max pods ${n.maxPods} > ${n.maxPodsByEni} by ENIs`,
        values: { maxPods: n.maxPods ?? 0, byEni: n.maxPodsByEni ?? 0 },
        weight: (n.maxPods ?? 0) - (n.maxPodsByEni ?? 0),
      };
    case "full":
      return {
        kind,
        node: n.name,
        detail: `${n.pods}/${n.maxPods} pods`,
        values: { pods: n.pods, maxPods: n.maxPods ?? 0 },
        weight: n.pods,
      };
    // Both say how many pods stand on a node that takes no new ones.
    case "not-ready":
    case "cordoned":
      return {
        kind,
        node: n.name,
        detail: `${n.pods} pods on it`,
        values: { pods: n.pods, count: n.pods },
        weight: n.pods,
      };
    case "eni-limit": {
      // The default card's ENI slots, as the ENI limit counts them: not branch ENIs, not other cards' EFAs.
      const enis = nodeEniCounts(n).attached;
      return {
        kind,
        node: n.name,
        detail: `${enis} ENIs, ${n.ipsWarm} warm IP${n.ipsWarm === 1 ? "" : "s"} left`,
        values: { enis, count: n.ipsWarm },
        // Fewer warm IPs left at the ENI limit is worse.
        weight: -n.ipsWarm,
      };
    }
  }
}

export interface ProblemIndex {
  /** Problems per node name; nodes without any are absent. */
  byNode: Map<string, ProblemKind[]>;
  /** Entries per kind, in problemKinds order; kinds with none are absent. */
  byKind: Map<ProblemKind, ProblemEntry[]>;
  lowSubnets: Set<string>;
}

export function indexProblems(nodes: readonly NodeReport[], subnets: readonly SubnetReport[]): ProblemIndex {
  const low = lowSubnets(subnets, nodes);
  const byNode = new Map<string, ProblemKind[]>();
  const lists = new Map<ProblemKind, ProblemEntry[]>();
  for (const n of nodes) {
    const kinds = nodeProblems(n, low);
    if (kinds.length === 0) continue;
    byNode.set(n.name, kinds);
    for (const k of kinds) {
      const list = lists.get(k);
      if (list) list.push(problemEntry(k, n));
      else lists.set(k, [problemEntry(k, n)]);
    }
  }
  const byKind = new Map<ProblemKind, ProblemEntry[]>();
  for (const k of problemKinds) {
    const list = lists.get(k);
    if (list) byKind.set(k, list);
  }
  return { byNode, byKind, lowSubnets: low };
}

export const problemSorts = ["worst", "name"] as const;
export type ProblemSort = (typeof problemSorts)[number];

const collator = new Intl.Collator("en", { numeric: true });

export function sortEntries(list: readonly ProblemEntry[], by: ProblemSort): ProblemEntry[] {
  return [...list].sort((a, b) =>
    by === "worst"
      ? b.weight - a.weight || collator.compare(a.node, b.node)
      : collator.compare(a.node, b.node),
  );
}
