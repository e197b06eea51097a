// Sums over nodes: per subnet, per availability zone and for the whole cluster.
import { IPS_PER_PREFIX } from "./capacity.ts";
import { subnetUsableIps } from "./ipv4.ts";
import { enisAllowed } from "./nodeKinds.ts";
import type {
  DetachedEniReport,
  EniInput,
  NodeReport,
  PendingPodReport,
  ReportSummary,
  SubnetInput,
  SubnetReport,
  Totals,
  ZoneReport,
} from "./types.ts";

export function emptyTotals(): Totals {
  return {
    nodes: 0,
    enisAttached: 0,
    enisPossible: 0,
    nodesCapacityUnknown: 0,
    nodesEnisUnknown: 0,
    enisOtherCards: 0,
    ipsAssigned: 0,
    ipsUsed: 0,
    ipsWarm: 0,
    pods: 0,
    podsRunning: 0,
    pendingPods: 0,
    maxPods: 0,
    maxPodsByEni: 0,
  };
}

/** Adds the node's figures to `t`; with `sign` -1, takes them away (a node made again is counted anew). */
export function addNode(t: Totals, node: NodeReport, sign: 1 | -1 = 1): void {
  t.nodes += sign;
  for (const eni of node.enis) {
    if (eni.role === "branch") continue;
    if (eni.onDefaultCard) t.enisAttached += sign;
    else t.enisOtherCards += sign;
  }
  const allowed = enisAllowed(node);
  // A node without EC2 data has ENIs nobody knows (a hybrid node has none by design).
  const enisUnknown = allowed !== null && node.enisKnown === false && node.kind !== "hybrid";
  if (!enisUnknown) t.enisPossible += sign * (allowed ?? 0);
  if (allowed === null) t.nodesCapacityUnknown += sign;
  if (enisUnknown) t.nodesEnisUnknown += sign;
  t.ipsAssigned += sign * node.ipsAssigned;
  t.ipsUsed += sign * node.ipsUsed;
  t.ipsWarm += sign * node.ipsWarm;
  t.pods += sign * node.pods;
  t.podsRunning += sign * node.podsRunning;
  t.maxPods += sign * (node.maxPods ?? 0);
  t.maxPodsByEni += sign * (node.maxPodsByEni ?? 0);
}

export function summarise(
  nodes: readonly NodeReport[],
  pending: readonly PendingPodReport[],
  extra: { hostNetworkPods: number; podsOnUnknownNodes: number; unplacedPods: number; detachedEnis: number },
): ReportSummary {
  const t = emptyTotals();
  let overcommittedNodes = 0;
  const kinds: ReportSummary["kinds"] = {};
  for (const node of nodes) {
    addNode(t, node);
    if (node.overcommitted) overcommittedNodes++;
    kinds[node.kind] = (kinds[node.kind] ?? 0) + 1;
  }
  t.pendingPods = pending.length;
  return { ...t, ...extra, overcommittedNodes, kinds };
}

/** The subnets of the cluster's VPC(s) (all of them when no VPC is known), with the IPs its ENIs hold. */
export function subnetReports(
  subnets: readonly SubnetInput[],
  nodes: readonly NodeReport[],
  vpcIds: ReadonlySet<string>,
): SubnetReport[] {
  const reports = new Map<string, SubnetReport>();
  for (const s of subnets) {
    if (vpcIds.size > 0 && s.vpcId !== null && !vpcIds.has(s.vpcId)) continue;
    reports.set(s.id, {
      id: s.id,
      name: s.name,
      cidr: s.cidr,
      zone: s.zone,
      availableIps: s.availableIps,
      totalIps: subnetUsableIps(s.cidr) ?? 0,
      enis: 0,
      ipsAssigned: 0,
      ipsUsed: 0,
      ipsWarm: 0,
    });
  }
  for (const node of nodes) {
    for (const eni of node.enis) {
      const r = reports.get(eni.subnetId);
      if (r === undefined) continue;
      r.enis++;
      if (eni.podCapacity) {
        r.ipsAssigned += eni.ipsAssigned;
        r.ipsUsed += eni.ipsUsed;
        r.ipsWarm += eni.ipsWarm;
      }
    }
  }
  return [...reports.values()].sort(
    (a, b) => (a.zone ?? "").localeCompare(b.zone ?? "") || a.cidr.localeCompare(b.cidr),
  );
}

export function zoneReports(
  nodes: readonly NodeReport[],
  pending: readonly PendingPodReport[],
  subnets: readonly SubnetReport[],
): ZoneReport[] {
  const zones = new Map<string, ZoneReport>();
  const zoneOf = (name: string | null): ZoneReport => {
    const key = name ?? "unknown";
    let z = zones.get(key);
    if (z === undefined) {
      z = { zone: key, ...emptyTotals(), subnetAvailableIps: 0 };
      zones.set(key, z);
    }
    return z;
  };
  const nodeZone = new Map<string, string | null>();
  for (const node of nodes) {
    addNode(zoneOf(node.zone), node);
    nodeZone.set(node.name, node.zone);
  }
  for (const p of pending) {
    if (p.node !== null && nodeZone.has(p.node)) zoneOf(nodeZone.get(p.node) ?? null).pendingPods++;
  }
  // Only subnets the nodes' ENIs use: a VPC's other private subnets are no headroom for these nodes (they
  // stay in the subnet table).
  for (const s of subnets) {
    if (s.zone !== null && s.enis > 0 && zones.has(s.zone))
      zoneOf(s.zone).subnetAvailableIps += s.availableIps;
  }
  return [...zones.values()].sort((a, b) => a.zone.localeCompare(b.zone));
}

export function detachedEniReport(eni: EniInput): DetachedEniReport {
  return {
    id: eni.id,
    subnetId: eni.subnetId,
    zone: eni.zone,
    description: eni.description,
    instanceId: eni.tagInstanceId ?? null,
    // Every address it holds is taken from the subnet: primary, secondaries and whole /28s.
    ips: (eni.primaryIp !== null ? 1 : 0) + eni.secondaryIps.length + eni.prefixes.length * IPS_PER_PREFIX,
    createdAt: eni.createdAt,
  };
}

/** ENIs the nodes may have, as people read it: a lower bound ("15+?") while some nodes' types or ENIs are
 * unknown, "?" when every node's are. */
export function eniTotal(
  t: Pick<Totals, "enisPossible" | "nodes" | "nodesCapacityUnknown" | "nodesEnisUnknown">,
): string {
  return knownTotal(t.enisPossible, {
    nodes: t.nodes,
    nodesCapacityUnknown: t.nodesCapacityUnknown + (t.nodesEnisUnknown ?? 0),
  });
}

/** A total of ENIs or pods by ENI as people read it: "96", "96+?" when some nodes' limits are unknown
 * (the total is then only what the known ones allow), "?" when every node's is. */
export function knownTotal(value: number, t: Pick<Totals, "nodes" | "nodesCapacityUnknown">): string {
  if (t.nodesCapacityUnknown === 0) return String(value);
  return t.nodesCapacityUnknown >= t.nodes ? "?" : `${value}+?`;
}
