// The subnets' address space in the report: which subnets the cluster uses, the ENIs in them that no
// node holds, their CIDR reservations, and per subnet and zone the counts of the address map.
import { type NodeEni, nodeEnisBySubnet, subnetAddressMap, summariseAddressMap } from "./subnetMap.ts";
import type {
  CidrReservationReport,
  ClusterInput,
  EniInput,
  ForeignEniReport,
  NodeReport,
  SubnetReport,
  SubnetSpace,
  ZoneReport,
  ZoneSpace,
} from "./types.ts";

export function foreignEniReport(eni: EniInput): ForeignEniReport {
  return {
    id: eni.id,
    interfaceType: eni.typeName ?? eni.interfaceType,
    description: eni.description,
    requesterId: eni.requesterId ?? null,
    instanceId: eni.instanceId,
    status: eni.status,
    ips: [...(eni.primaryIp === null ? [] : [eni.primaryIp]), ...eni.secondaryIps],
    prefixes: eni.prefixes,
  };
}

/** The subnets a node's ENI or instance, an ENIConfig or the CNI's discovery tag points at. */
export function usedSubnets(input: ClusterInput, nodes: readonly NodeReport[]): Set<string> {
  const used = new Set<string>();
  const nodeInstances = new Set<string>();
  for (const node of nodes) {
    if (node.instanceId !== null) nodeInstances.add(node.instanceId);
    for (const eni of node.enis) used.add(eni.subnetId);
    if (node.eniConfig?.subnetId) used.add(node.eniConfig.subnetId);
  }
  for (const i of input.instances) if (i.subnetId !== null && nodeInstances.has(i.id)) used.add(i.subnetId);
  for (const ec of input.eniConfigs ?? []) used.add(ec.subnet);
  for (const s of input.subnets) if (s.cniDiscovery) used.add(s.id);
  return used;
}

/** A subnet's counts by what they were counted from: the same ENI reports (a rebuild keeps unchanged
 * ones as the same objects), foreign ENIs and reservations give the same counts without a new map. */
export type SpaceMemo = Map<
  string,
  { cidr: string; enis: readonly NodeEni[]; around: string; space: SubnetSpace | null }
>;

function sameEnis(a: readonly NodeEni[], b: readonly NodeEni[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.eni !== b[i]!.eni || a[i]!.node !== b[i]!.node) return false;
  return true;
}

/** The subnet reports with `used`, and for those in use their foreign ENIs, reservations and counts. */
export function withSubnetSpace(
  subnets: readonly SubnetReport[],
  input: ClusterInput,
  nodes: readonly NodeReport[],
  memo: { previous: SpaceMemo | null; next: SpaceMemo } | null = null,
): SubnetReport[] {
  const used = usedSubnets(input, nodes);
  const nodeEniIds = new Set<string>();
  for (const node of nodes) for (const eni of node.enis) nodeEniIds.add(eni.id);
  const others = new Map<string, ForeignEniReport[]>();
  for (const eni of input.enis) {
    if (nodeEniIds.has(eni.id) || !used.has(eni.subnetId)) continue;
    const list = others.get(eni.subnetId);
    const report = foreignEniReport(eni);
    if (list === undefined) others.set(eni.subnetId, [report]);
    else list.push(report);
  }
  const reservations = new Map<string, CidrReservationReport[]>();
  for (const r of input.cidrReservations ?? []) {
    const list = reservations.get(r.subnetId);
    const report = { id: r.id, cidr: r.cidr, type: r.type, description: r.description };
    if (list === undefined) reservations.set(r.subnetId, [report]);
    else list.push(report);
  }
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const nodeEnis = nodeEnisBySubnet(nodes);
  return subnets.map((s) => {
    if (!used.has(s.id)) return { ...s, used: false };
    const o = (others.get(s.id) ?? []).sort(byId);
    const r = (reservations.get(s.id) ?? []).sort(byId);
    const enis = nodeEnis.get(s.id) ?? [];
    const around = JSON.stringify([o, r]);
    const before = memo?.previous?.get(s.id);
    let space: SubnetSpace | null;
    if (
      before !== undefined &&
      before.cidr === s.cidr &&
      before.around === around &&
      sameEnis(before.enis, enis)
    ) {
      space = before.space;
    } else {
      const map = subnetAddressMap(s.cidr, enis, o, r, false);
      space = map === null ? null : summariseAddressMap(map);
    }
    memo?.next.set(s.id, { cidr: s.cidr, enis, around, space });
    return { ...s, used: true, space, others: o, reservations: r };
  });
}

/** Each zone's sums over its mapped subnets in use. */
export function withZoneSpace(zones: readonly ZoneReport[], subnets: readonly SubnetReport[]): ZoneReport[] {
  const sums = new Map<string, ZoneSpace & { usable: number }>();
  for (const s of subnets) {
    if (!s.used || !s.space || s.zone === null) continue;
    let z = sums.get(s.zone);
    if (z === undefined) {
      z = {
        subnets: 0,
        free: 0,
        freeBlocks28: 0,
        largestFreeRun: 0,
        otherIps: 0,
        podIps: 0,
        podShare: 0,
        usable: 0,
      };
      sums.set(s.zone, z);
    }
    z.subnets++;
    z.free += s.space.free;
    z.freeBlocks28 += s.space.freeBlocks28;
    z.largestFreeRun = Math.max(z.largestFreeRun, s.space.largestFreeRun);
    z.otherIps += s.space.otherIps;
    z.podIps += s.space.podIps;
    z.usable += s.space.size - s.space.awsReserved;
  }
  return zones.map((zone) => {
    const z = sums.get(zone.zone);
    if (z === undefined) return zone;
    const { usable, ...space } = z;
    return { ...zone, space: { ...space, podShare: usable === 0 ? 0 : space.podIps / usable } };
  });
}
