// The report's sums after a few nodes were made again, added or removed (podChanges.ts): the previous
// sums with those nodes' old figures taken away and their new ones added, and only the subnets whose
// ENIs changed mapped again, where summing from scratch reads every node, ENI and subnet address (at
// 20,000 nodes, 80,000 ENIs and twenty /16s). Integer sums, so the result is exactly what summing from
// scratch gives. It gives up (null: sum from scratch) where the set of rows itself changes: a zone or a
// node kind that comes or goes, a subnet that comes into use or leaves it.
import { type NodeEni, subnetAddressMap, summariseAddressMap } from "./subnetMap.ts";
import { foreignEniReport, type SpaceMemo, usedSubnets } from "./subnetSpace.ts";
import { addNode, emptyTotals } from "./totals.ts";
import type {
  ClusterInput,
  EniReport,
  ForeignEniReport,
  NodeReport,
  PendingPodReport,
  ReportSummary,
  SubnetInput,
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

/** What changed: the nodes made again, pair by pair, as they were (null: added) and are (null: removed). */
export interface NodesRemade {
  before: readonly (NodeReport | null)[];
  after: readonly (NodeReport | null)[];
}

/** What else a change of nodes or EC2 data touched (nodeChanges.ts). */
export interface SpaceChange {
  input: ClusterInput;
  nodes: readonly NodeReport[];
  /** Subnets of ENIs EC2 added, removed or changed. */
  subnets: ReadonlySet<string>;
  /** Which subnets are in use may have changed (instances changed, nodes came or went). */
  usedAgain: boolean;
  /** The subnets read again, when their free-address counts changed. */
  subnetInputs: readonly SubnetInput[] | null;
}

const totalsKeys = Object.keys(emptyTotals()) as (keyof Totals)[];

interface SubnetChange {
  enis: number;
  assigned: number;
  used: number;
  warm: number;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Same ENIs (by id, subnet and role) at the same places: only their slots changed. */
function sameEniPlaces(a: NodeReport, b: NodeReport): boolean {
  if (a.enis.length !== b.enis.length) return false;
  for (let e = 0; e < a.enis.length; e++) {
    const was = a.enis[e]!;
    const is = b.enis[e]!;
    if (
      was !== is &&
      (was.id !== is.id || was.subnetId !== is.subnetId || was.podCapacity !== is.podCapacity)
    )
      return false;
  }
  return true;
}

/** The sums after `remade`, or null when only a full count is right (see the top of this file). */
export function totalsAfter(
  previous: ReportTotals,
  remade: NodesRemade,
  pending: readonly PendingPodReport[],
  zoneOfNode: (name: string) => string | null | undefined,
  extra: Pick<ReportSummary, "hostNetworkPods" | "podsOnUnknownNodes" | "unplacedPods" | "detachedEnis">,
  change: SpaceChange | null,
): ReportTotals | null {
  const { before, after } = remade;
  const sums = emptyTotals();
  for (const key of totalsKeys) sums[key] = previous.summary[key];
  const zones = previous.zones.map((z) => ({ ...z }));
  const zoneAt = new Map(zones.map((z) => [z.zone, z]));
  const kinds = { ...previous.summary.kinds };
  let overcommitted = previous.summary.overcommittedNodes;
  const subnetChange = new Map<string, SubnetChange>();
  const changeOf = (subnetId: string): SubnetChange => {
    let c = subnetChange.get(subnetId);
    if (c === undefined) {
      c = { enis: 0, assigned: 0, used: 0, warm: 0 };
      subnetChange.set(subnetId, c);
    }
    return c;
  };
  // ENI report before -> after, where only slots changed; else the subnets' ENI lists are found again.
  const eniAfter = new Map<EniReport, EniReport>();
  const listAgain = new Set<string>(change?.subnets ?? []);
  const count = (node: NodeReport, sign: 1 | -1, eniCounts: boolean): boolean => {
    const zone = zoneAt.get(node.zone ?? "unknown");
    if (zone === undefined) return false;
    addNode(sums, node, sign);
    addNode(zone, node, sign);
    overcommitted += sign * (node.overcommitted ? 1 : 0);
    kinds[node.kind] = (kinds[node.kind] ?? 0) + sign;
    for (const eni of node.enis) {
      const c = changeOf(eni.subnetId);
      if (eniCounts) {
        c.enis += sign;
        listAgain.add(eni.subnetId);
      }
      if (eni.podCapacity) {
        c.assigned += sign * eni.ipsAssigned;
        c.used += sign * eni.ipsUsed;
        c.warm += sign * eni.ipsWarm;
      }
    }
    return true;
  };
  for (let k = 0; k < before.length; k++) {
    const old = before[k]!;
    const now = after[k]!;
    if (old === now) continue;
    const slotsOnly = old !== null && now !== null && sameEniPlaces(old, now);
    if (old !== null && !count(old, -1, !slotsOnly)) return null;
    if (now !== null && !count(now, 1, !slotsOnly)) return null;
    if (slotsOnly) {
      for (let e = 0; e < now.enis.length; e++) {
        if (old.enis[e] !== now.enis[e]) eniAfter.set(old.enis[e]!, now.enis[e]!);
      }
    }
  }
  // A zone or kind left with no node, or one that was not there, is not what a count from scratch gives.
  for (const z of zones) if (z.nodes === 0) return null;
  for (const [kind, n] of Object.entries(kinds))
    if (n === 0 || previous.summary.kinds[kind as keyof typeof kinds] === undefined) return null;
  sums.pendingPods = pending.length;
  for (const z of zones) z.pendingPods = 0;
  for (const p of pending) {
    if (p.node === null) continue;
    const zone = zoneOfNode(p.node);
    if (zone !== undefined) zoneAt.get(zone ?? "unknown")!.pendingPods++;
  }

  const freeIps =
    change?.subnetInputs == null ? null : new Map(change.subnetInputs.map((s) => [s.id, s.availableIps]));
  const used = change?.usedAgain ? usedSubnets(change.input, change.nodes) : null;
  const lists = listAgain.size > 0 && change !== null ? subnetEnis(change, listAgain) : null;
  const spaces: SpaceMemo = new Map(previous.spaces);
  const subnets: SubnetReport[] = [];
  for (const s of previous.subnets) {
    if (used !== null && used.has(s.id) !== (s.used === true)) return null;
    const c = subnetChange.get(s.id);
    const available = freeIps?.get(s.id) ?? s.availableIps;
    if (c === undefined && available === s.availableIps && !listAgain.has(s.id)) {
      subnets.push(s);
      continue;
    }
    let next: SubnetReport = {
      ...s,
      availableIps: available,
      enis: s.enis + (c?.enis ?? 0),
      ipsAssigned: s.ipsAssigned + (c?.assigned ?? 0),
      ipsUsed: s.ipsUsed + (c?.used ?? 0),
      ipsWarm: s.ipsWarm + (c?.warm ?? 0),
    };
    const memo = s.used ? previous.spaces.get(s.id) : undefined;
    if (lists !== null && listAgain.has(s.id)) {
      const enis = lists.nodeEnis.get(s.id) ?? [];
      // In use or not is decided by more than the node ENIs: a count from scratch says.
      if (!s.used && enis.length > 0) return null;
      if (s.used && memo !== undefined) {
        if (enis.length === 0) return null;
        const others = (lists.others.get(s.id) ?? []).sort(byId);
        const reservations = s.reservations ?? [];
        const around = JSON.stringify([others, reservations]);
        let space = memo.space;
        if (around !== memo.around || !sameNodeEnis(memo.enis, enis)) {
          const map = subnetAddressMap(memo.cidr, enis, others, reservations, false);
          space = map === null ? null : summariseAddressMap(map);
        }
        spaces.set(s.id, { cidr: memo.cidr, enis, around, space });
        next = { ...next, space, others };
      }
    } else if (memo !== undefined && c !== undefined) {
      const enis: NodeEni[] = memo.enis.map((x) => {
        const is = eniAfter.get(x.eni);
        return is === undefined ? x : { node: x.node, eni: is };
      });
      const map = subnetAddressMap(memo.cidr, enis, s.others ?? [], s.reservations ?? [], false);
      const space = map === null ? null : summariseAddressMap(map);
      spaces.set(s.id, { ...memo, enis, space });
      next = { ...next, space };
    }
    subnets.push(next);
  }
  // Only subnets the nodes' ENIs use are a zone's headroom (zoneReports).
  for (const z of zones) z.subnetAvailableIps = 0;
  for (const s of subnets) {
    if (s.zone === null || s.enis <= 0) continue;
    const z = zoneAt.get(s.zone);
    if (z !== undefined) z.subnetAvailableIps += s.availableIps;
  }
  const summary: ReportSummary = {
    ...sums,
    ...extra,
    overcommittedNodes: overcommitted,
    kinds,
  };
  return { summary, zones, subnets, spaces };
}

function sameNodeEnis(a: readonly NodeEni[], b: readonly NodeEni[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.eni !== b[i]!.eni || a[i]!.node !== b[i]!.node) return false;
  return true;
}

/** For the subnets `ids`: the nodes' ENIs in them in node order, and the other ENIs EC2 lists there, as
 * withSubnetSpace finds them. */
function subnetEnis(
  change: SpaceChange,
  ids: ReadonlySet<string>,
): { nodeEnis: Map<string, NodeEni[]>; others: Map<string, ForeignEniReport[]> } {
  const nodeEnis = new Map<string, NodeEni[]>();
  const nodeEniIds = new Set<string>();
  for (const node of change.nodes) {
    for (const eni of node.enis) {
      if (!ids.has(eni.subnetId)) continue;
      nodeEniIds.add(eni.id);
      const list = nodeEnis.get(eni.subnetId);
      if (list === undefined) nodeEnis.set(eni.subnetId, [{ node: node.name, eni }]);
      else list.push({ node: node.name, eni });
    }
  }
  const others = new Map<string, ForeignEniReport[]>();
  for (const eni of change.input.enis) {
    if (!ids.has(eni.subnetId) || nodeEniIds.has(eni.id)) continue;
    const list = others.get(eni.subnetId);
    if (list === undefined) others.set(eni.subnetId, [foreignEniReport(eni)]);
    else list.push(foreignEniReport(eni));
  }
  return { nodeEnis, others };
}
