// The report's sums after a few nodes were made again (podChanges.ts): the previous sums with those
// nodes' old figures taken away and their new ones added, and only the subnets whose ENIs changed mapped
// again, where summing from scratch reads every node, ENI and subnet address (at 20,000 nodes, 80,000
// ENIs and twenty /16s). Integer sums, so the result is exactly what summing from scratch gives.
import { type NodeEni, subnetAddressMap, summariseAddressMap } from "./subnetMap.ts";
import type { SpaceMemo } from "./subnetSpace.ts";
import { addNode, emptyTotals } from "./totals.ts";
import type {
  EniReport,
  NodeReport,
  PendingPodReport,
  ReportSummary,
  SubnetReport,
  Totals,
  ZoneReport,
} from "./types.ts";

/** The sums a build made, kept for the next one. `zones` are before their subnets' space is added. */
export interface ReportTotals {
  summary: ReportSummary;
  zones: ZoneReport[];
  subnets: SubnetReport[];
  spaces: SpaceMemo;
}

/** What changed: the nodes made again, before and after, at the same places. */
export interface NodesRemade {
  before: readonly NodeReport[];
  after: readonly NodeReport[];
}

const totalsKeys = Object.keys(emptyTotals()) as (keyof Totals)[];

/**
 * The sums after `remade`, or null when the nodes changed in what only a full count follows (their kind,
 * ENIs, or subnets; a rebuild after pod changes never does that).
 */
export function totalsAfter(
  previous: ReportTotals,
  remade: NodesRemade,
  pending: readonly PendingPodReport[],
  zoneOfNode: (name: string) => string | null | undefined,
  extra: Pick<ReportSummary, "hostNetworkPods" | "podsOnUnknownNodes" | "unplacedPods" | "detachedEnis">,
): ReportTotals | null {
  const { before, after } = remade;
  const sums = emptyTotals();
  for (const key of totalsKeys) sums[key] = previous.summary[key];
  const zones = previous.zones.map((z) => ({ ...z }));
  const zoneAt = new Map(zones.map((z) => [z.zone, z]));
  let overcommitted = previous.summary.overcommittedNodes;
  // Subnet id -> the change of its counts; ENI report before -> after.
  const subnetChange = new Map<string, { assigned: number; used: number; warm: number }>();
  const eniAfter = new Map<EniReport, EniReport>();
  for (let k = 0; k < before.length; k++) {
    const old = before[k]!;
    const now = after[k]!;
    if (old === now) continue;
    if (old.kind !== now.kind || old.zone !== now.zone || old.enis.length !== now.enis.length) return null;
    const zone = zoneAt.get(now.zone ?? "unknown");
    if (zone === undefined) return null;
    addNode(sums, old, -1);
    addNode(sums, now, 1);
    addNode(zone, old, -1);
    addNode(zone, now, 1);
    overcommitted += (now.overcommitted ? 1 : 0) - (old.overcommitted ? 1 : 0);
    for (let e = 0; e < now.enis.length; e++) {
      const was = old.enis[e]!;
      const is = now.enis[e]!;
      if (was === is) continue;
      if (was.id !== is.id || was.subnetId !== is.subnetId || was.podCapacity !== is.podCapacity) return null;
      eniAfter.set(was, is);
      let change = subnetChange.get(is.subnetId);
      if (change === undefined) {
        change = { assigned: 0, used: 0, warm: 0 };
        subnetChange.set(is.subnetId, change);
      }
      if (is.podCapacity) {
        change.assigned += is.ipsAssigned - was.ipsAssigned;
        change.used += is.ipsUsed - was.ipsUsed;
        change.warm += is.ipsWarm - was.ipsWarm;
      }
    }
  }
  sums.pendingPods = pending.length;
  for (const z of zones) z.pendingPods = 0;
  for (const p of pending) {
    if (p.node === null) continue;
    const zone = zoneOfNode(p.node);
    if (zone !== undefined) zoneAt.get(zone ?? "unknown")!.pendingPods++;
  }

  const spaces: SpaceMemo = new Map(previous.spaces);
  const subnets = previous.subnets.map((s) => {
    const change = subnetChange.get(s.id);
    if (change === undefined) return s;
    const counted = {
      ...s,
      ipsAssigned: s.ipsAssigned + change.assigned,
      ipsUsed: s.ipsUsed + change.used,
      ipsWarm: s.ipsWarm + change.warm,
    };
    const memo = s.used ? previous.spaces.get(s.id) : undefined;
    if (memo === undefined) return counted;
    const enis: NodeEni[] = memo.enis.map((x) => {
      const is = eniAfter.get(x.eni);
      return is === undefined ? x : { node: x.node, eni: is };
    });
    const map = subnetAddressMap(memo.cidr, enis, s.others ?? [], s.reservations ?? [], false);
    const space = map === null ? null : summariseAddressMap(map);
    spaces.set(s.id, { ...memo, enis, space });
    return { ...counted, space };
  });
  const summary: ReportSummary = {
    ...sums,
    ...extra,
    overcommittedNodes: overcommitted,
    kinds: previous.summary.kinds,
  };
  return { summary, zones, subnets, spaces };
}
