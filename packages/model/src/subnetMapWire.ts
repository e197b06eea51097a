// One subnet's address map as the server sends it to a page that holds only the overview (server route
// GET /api/subnets/:id/addresses): the page has every subnet's counts (SubnetSpace) but not the nodes'
// ENIs the map is made of. Run-length coded: a /16's 65,536 kinds are a few hundred runs, and each
// address's holder is the step from the address before's, which is +1 along a row of pods. Names said
// many times (ENI ids, nodes, owners) are sent once, and the words of a pod's, warm IP's or prefix's holder
// are made again on the page: a /16 of 14,000 pods is 1.2 MB of JSON where it was 5.7 MB.
import type { Topology } from "./api.ts";
import { formatIpv4, parseIpv4Cidr } from "./ipv4.ts";
import { nodeDetail } from "./overview.ts";
import { cellMatches, type SearchResult } from "./search.ts";
import {
  ADDRESS_KINDS,
  type AddressHolder,
  type AddressKind,
  derivedLabel,
  nodeEnisBySubnet,
  type SubnetAddressMap,
  subnetAddressMap,
} from "./subnetMap.ts";
import type { NodeReport, PodPhase, PodReport, SubnetReport } from "./types.ts";

/** A holder as a tuple: kind (index into ADDRESS_KINDS), ENI id, node, pod, prefix, label (null where
 * derivedLabel makes it), and for a pod its phase and owner. ENI id, node and owner are indexes into the
 * wire's `strings`, -1 for none. */
export type HolderTuple = [
  number,
  number,
  number,
  string | null,
  string | null,
  string | null,
  PodPhase | null,
  number,
];

export interface SubnetMapWire {
  /** The topology the map was made from. */
  seq: number;
  generatedAt: string;
  subnet: string;
  cidr: string;
  /** [kind, run length, kind, run length, …] over the addresses in order. */
  kinds: number[];
  /** [step, run length, …]: each address's holder index minus the address before's (the first's from -1). */
  holderSteps: number[];
  /** The names the holders give by index. */
  strings: string[];
  holders: HolderTuple[];
}

/** A pod of the map as its cell's colour needs it. */
export type MapPod = Pick<PodReport, "phase" | "owner">;

/** One subnet's map from a whole topology (its nodes' ENIs, its other ENIs, its reservations); null when the
 * subnet is not IPv4 or larger than a /16. */
export function subnetMapOf(
  topology: { nodes: readonly NodeReport[] },
  subnet: SubnetReport,
  bySubnet = nodeEnisBySubnet(topology.nodes),
): SubnetAddressMap | null {
  return subnetAddressMap(
    subnet.cidr,
    bySubnet.get(subnet.id) ?? [],
    subnet.others ?? [],
    subnet.reservations ?? [],
  );
}

function runs(values: ArrayLike<number>, step: boolean): number[] {
  const out: number[] = [];
  let prev = -1;
  for (let i = 0; i < values.length; i++) {
    const v = step ? values[i]! - prev : values[i]!;
    prev = values[i]!;
    const n = out.length;
    if (n > 0 && out[n - 2] === v) out[n - 1]!++;
    else out.push(v, 1);
  }
  return out;
}

export function encodeSubnetMap(
  map: SubnetAddressMap,
  at: { seq: number; generatedAt: string; subnet: string },
  pods: readonly PodReport[] = [],
): SubnetMapWire {
  const byKey = new Map<string, PodReport>();
  for (const p of pods) byKey.set(`${p.namespace}/${p.name}`, p);
  const strings: string[] = [];
  const indexOf = new Map<string, number>();
  const str = (x: string | null): number => {
    if (x === null) return -1;
    let i = indexOf.get(x);
    if (i === undefined) {
      i = strings.push(x) - 1;
      indexOf.set(x, i);
    }
    return i;
  };
  const holders = map.holders.map((h): HolderTuple => {
    const pod = h.pod === null ? undefined : byKey.get(h.pod);
    return [
      ADDRESS_KINDS.indexOf(h.kind),
      str(h.eniId),
      str(h.node),
      h.pod,
      h.prefix,
      derivedLabel(h) === h.label ? null : h.label,
      pod?.phase ?? null,
      str(pod?.owner ?? null),
    ];
  });
  return {
    ...at,
    cidr: map.cidr,
    kinds: runs(map.kinds, false),
    holderSteps: runs(map.holderOf, true),
    strings,
    holders,
  };
}

/** The map back, checked: a body that does not describe the CIDR's addresses throws (a clear error on the
 * page, never a grid of wrong cells). */
export function decodeSubnetMap(wire: SubnetMapWire): SubnetAddressMap {
  return decodeSubnetMapWithPods(wire).map;
}

/** The map and its pods' phase and owner, by pod key. */
export function decodeSubnetMapWithPods(wire: SubnetMapWire): {
  map: SubnetAddressMap;
  pods: Map<string, MapPod>;
} {
  const pods = new Map<string, MapPod>();
  const str = (i: number) => (i < 0 ? null : (wire.strings[i] ?? null));
  const block = parseIpv4Cidr(wire.cidr);
  if (block === null) throw new Error(`the subnet map's CIDR ${JSON.stringify(wire.cidr)} is not IPv4`);
  const { base, size } = block;
  const kinds = new Uint8Array(size);
  const holderOf = new Int32Array(size);
  const unrun = (list: number[], what: string, put: (i: number, v: number) => void) => {
    let i = 0;
    for (let r = 0; r + 1 < list.length; r += 2) {
      const [v, n] = [list[r]!, list[r + 1]!];
      if (i + n > size) break;
      for (let k = 0; k < n; k++) put(i++, v);
    }
    if (i !== size || list.length % 2 !== 0)
      throw new Error(`the subnet map's ${what} do not cover the ${size} addresses of ${wire.cidr}`);
  };
  unrun(wire.kinds, "kinds", (i, v) => {
    if (!(v >= 0 && v < ADDRESS_KINDS.length)) throw new Error(`the subnet map has an unknown kind ${v}`);
    kinds[i] = v;
  });
  let h = -1;
  unrun(wire.holderSteps, "holders", (i, step) => {
    h += step;
    if (h < -1 || h >= wire.holders.length) throw new Error(`the subnet map names a holder it lacks (${h})`);
    holderOf[i] = h;
  });
  const holders: AddressHolder[] = wire.holders.map(([k, eni, node, pod, prefix, label, phase, owner]) => {
    const h = {
      kind: (ADDRESS_KINDS[k] ?? "other") as AddressKind,
      eniId: str(eni),
      node: str(node),
      pod,
      prefix,
    };
    if (pod !== null && phase !== null) pods.set(pod, { phase, owner: str(owner) });
    return { ...h, label: label ?? derivedLabel(h) ?? "" };
  });
  return { map: { cidr: wire.cidr, base, size, kinds, holderOf, holders }, pods };
}

/** The subnet maps of one topology, made as asked: the nodes' ENIs by subnet once per topology. */
const enisByTopology = new WeakMap<Topology, ReturnType<typeof nodeEnisBySubnet>>();

/** A subnet of the topology in use, and its map; null when there is no such subnet or it has no map. */
export function subnetMapById(
  topology: Topology,
  subnetId: string,
): { subnet: SubnetReport; map: SubnetAddressMap } | null {
  const subnet = topology.subnets.find((s) => s.id === subnetId);
  if (subnet?.used !== true) return null;
  let bySubnet = enisByTopology.get(topology);
  if (!bySubnet) {
    bySubnet = nodeEnisBySubnet(topology.nodes);
    enisByTopology.set(topology, bySubnet);
  }
  const map = subnetMapOf(topology, subnet, bySubnet);
  return map === null ? null : { subnet, map };
}

export function subnetMapWireOf(topology: Topology, subnetId: string): SubnetMapWire | null {
  const found = subnetMapById(topology, subnetId);
  if (found === null) return null;
  // The pods of the subnet's nodes, through the index the overview's node detail keeps per topology.
  const nodes = new Set<string>();
  for (const h of found.map.holders) if (h.node !== null) nodes.add(h.node);
  const { pods } = nodeDetail(topology, nodes);
  const at = { seq: topology.seq, generatedAt: topology.generatedAt, subnet: subnetId };
  return encodeSubnetMap(found.map, at, pods);
}

/** Which addresses of a subnet a search lights (GET /api/subnets/:id/matches): on the overview the page
 * holds the pods of the nodes in view only, so the server, which holds them all, says. */
export interface SubnetMatchesWire {
  seq: number;
  subnet: string;
  query: string;
  /** [1 or 0, run length, …] over the addresses in order. */
  lit: number[];
  /** Addresses lit. */
  count: number;
}

export function subnetMatches(map: SubnetAddressMap, r: SearchResult): { lit: number[]; count: number } {
  const flags = new Uint8Array(map.size);
  let count = 0;
  for (let i = 0; i < map.size; i++) {
    const h = map.holders[map.holderOf[i]!];
    if (cellMatches(r, h?.node ?? "", h?.pod ?? null, formatIpv4(map.base + i))) {
      flags[i] = 1;
      count++;
    }
  }
  return { lit: runs(flags, false), count };
}

/** The lit flags back, one per address; a body that does not cover the map's addresses throws. */
export function decodeMatches(lit: readonly number[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let i = 0;
  for (let r = 0; r + 1 < lit.length; r += 2) {
    const n = lit[r + 1]!;
    if (i + n > size) break;
    if (lit[r] === 1) out.fill(1, i, i + n);
    i += n;
  }
  if (i !== size || lit.length % 2 !== 0)
    throw new Error(`the search's matches do not cover the subnet's ${size} addresses`);
  return out;
}
