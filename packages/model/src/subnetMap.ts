// A subnet's every address by what holds it, in the spirit of a disk-defragmenter map: the report
// counts it (SubnetSpace), the page draws it and the CLI prints it. Typed arrays, one byte of kind and
// one holder index per address, so a /16's 65,536 addresses map in a few milliseconds.
import { IPS_PER_PREFIX } from "./capacity.ts";
import { formatIpv4, parseIpv4, parseIpv4Cidr } from "./ipv4.ts";
import type {
  CidrReservationReport,
  EniReport,
  ForeignEniReport,
  NodeReport,
  PodKey,
  SubnetSpace,
} from "./types.ts";

/** What holds an address; the index is the byte stored per address. */
export const ADDRESS_KINDS = [
  "free",
  "aws-reserved",
  "node",
  "pod",
  "warm",
  "prefix",
  "other",
  "reserved-prefix",
  "reserved-explicit",
] as const;
export type AddressKind = (typeof ADDRESS_KINDS)[number];

const FREE = 0;
const AWS_RESERVED = 1;
const NODE = 2;
const POD = 3;
const WARM = 4;
const PREFIX = 5;
const OTHER = 6;
const RESERVED_PREFIX = 7;
const RESERVED_EXPLICIT = 8;

/** Subnets in a VPC are /16 to /28: a larger block is not a subnet, and is not mapped. */
export const LARGEST_MAPPED_PREFIX = 16;

/** Who holds an address beyond its kind: the ENI and node, the pod, or the reservation. */
export interface AddressHolder {
  kind: AddressKind;
  eniId: string | null;
  node: string | null;
  pod: PodKey | null;
  /** The /28 of a prefix address. */
  prefix: string | null;
  /** What a person reads: "pod default/web-1", "load_balancer ELB net/web/1a2b (amazon-elb)", ... */
  label: string;
}

export interface SubnetAddressMap {
  cidr: string;
  /** The CIDR's first address as a number. */
  base: number;
  size: number;
  /** Index into ADDRESS_KINDS per address. */
  kinds: Uint8Array;
  /** Index into `holders` per address; -1 for free and AWS-reserved addresses. */
  holderOf: Int32Array;
  holders: AddressHolder[];
}

/** A node's ENI, with its node, as the map takes it. */
export interface NodeEni {
  node: string;
  eni: EniReport;
}

/** The nodes' ENIs by subnet id, so each subnet's map reads only its own. */
export function nodeEnisBySubnet(nodes: readonly NodeReport[]): Map<string, NodeEni[]> {
  const out = new Map<string, NodeEni[]>();
  for (const node of nodes) {
    for (const eni of node.enis) {
      const list = out.get(eni.subnetId);
      if (list === undefined) out.set(eni.subnetId, [{ node: node.name, eni }]);
      else list.push({ node: node.name, eni });
    }
  }
  return out;
}

/** How a person names an ENI no node holds; `words` says "on i-…" and "[detached]" in another language. */
export function foreignEniLabel(
  eni: ForeignEniReport,
  words: { on: (instanceId: string) => string; detached: string } = {
    on: (id) => `on ${id}`,
    detached: "[detached]",
  },
): string {
  const parts = [eni.interfaceType];
  if (eni.description !== "") parts.push(eni.description);
  if (eni.requesterId !== null) parts.push(`(${eni.requesterId})`);
  if (eni.instanceId !== null) parts.push(words.on(eni.instanceId));
  if (eni.status === "available") parts.push(words.detached);
  return `${parts.join(" ")} ${eni.id}`;
}

/** The words of a pod's, warm IP's or prefix's holder, made from its other fields (null for other kinds):
 * the map's wire form leaves them out and makes them again. */
export function derivedLabel(h: Omit<AddressHolder, "label">): string | null {
  const on = `on ${h.eniId} of ${h.node}`;
  if (h.kind === "pod") return `pod ${h.pod} ${on}`;
  if (h.kind === "warm") return `warm IP ${on}`;
  if (h.kind === "prefix") return `prefix ${h.prefix} ${on}`;
  return null;
}

/**
 * Every address of `cidr` by holder. Null when the CIDR is not IPv4 or is larger than a /16. Addresses
 * outside the CIDR are ignored (an ENI's data never puts them there; a bad capture might). Without
 * `withHolders` only the kinds are filled (the report's counts need no holder per pod).
 */
export function subnetAddressMap(
  cidr: string,
  nodeEnis: readonly NodeEni[],
  others: readonly ForeignEniReport[],
  reservations: readonly CidrReservationReport[],
  withHolders = true,
): SubnetAddressMap | null {
  const block = parseIpv4Cidr(cidr);
  if (block === null || block.prefixLength < LARGEST_MAPPED_PREFIX) return null;
  const { base, size } = block;
  const kinds = new Uint8Array(size);
  const holderOf = new Int32Array(size).fill(-1);
  const holders: AddressHolder[] = [];
  const addHolder = (h: AddressHolder): number => (withHolders ? holders.push(h) - 1 : -1);
  const put = (address: number | null, kind: number, holder: number): void => {
    if (address === null) return;
    const i = address - base;
    if (i < 0 || i >= size || kinds[i] === AWS_RESERVED) return;
    kinds[i] = kind;
    holderOf[i] = holder;
  };
  // AWS keeps the network address, the VPC router, DNS, one for future use and the broadcast address.
  for (const i of [0, 1, 2, 3, size - 1]) if (i >= 0 && i < size) kinds[i] = AWS_RESERVED;

  // Reservations first: an ENI's address inside a reserved range is shown as the ENI's.
  for (const r of reservations) {
    const rb = parseIpv4Cidr(r.cidr);
    if (rb === null) continue;
    const kind = r.type === "prefix" ? RESERVED_PREFIX : RESERVED_EXPLICIT;
    const h = addHolder({
      kind: ADDRESS_KINDS[kind]!,
      eniId: null,
      node: null,
      pod: null,
      prefix: null,
      label: `${r.type} reservation ${r.cidr}${r.description ? ` ${r.description}` : ""} ${r.id}`,
    });
    for (let a = Math.max(rb.base, base); a < Math.min(rb.base + rb.size, base + size); a++) put(a, kind, h);
  }

  for (const eni of others) {
    const h = addHolder({
      kind: "other",
      eniId: eni.id,
      node: null,
      pod: null,
      prefix: null,
      label: foreignEniLabel(eni),
    });
    for (const ip of eni.ips) put(parseIpv4(ip), OTHER, h);
    for (const p of eni.prefixes) {
      const pb = parseIpv4Cidr(p);
      if (pb !== null) for (let k = 0; k < pb.size; k++) put(pb.base + k, OTHER, h);
    }
  }

  for (const { node, eni } of nodeEnis) {
    const eniHolder = (kind: AddressKind, prefix: string | null): AddressHolder => {
      const h = { kind, eniId: eni.id, node, pod: null, prefix };
      return { ...h, label: derivedLabel(h) ?? `${eni.role} ENI ${eni.id} of ${node}` };
    };
    put(eni.primaryIp === null ? null : parseIpv4(eni.primaryIp), NODE, addHolder(eniHolder("node", null)));
    const prefixHolders = new Map<string, number>();
    for (const p of eni.prefixes) {
      const pb = parseIpv4Cidr(p);
      if (pb === null) continue;
      const h = addHolder(eniHolder("prefix", p));
      prefixHolders.set(p, h);
      for (let k = 0; k < Math.min(pb.size, IPS_PER_PREFIX); k++) put(pb.base + k, PREFIX, h);
    }
    let warmHolder = -1;
    let idleHolder = -1;
    for (const slot of eni.slots) {
      const address = parseIpv4(slot.ip);
      if (slot.pod !== null) {
        put(
          address,
          POD,
          !withHolders
            ? -1
            : addHolder({
                kind: "pod",
                eniId: eni.id,
                node,
                pod: slot.pod,
                prefix: slot.prefix ?? null,
                label: `pod ${slot.pod} on ${eni.id} of ${node}`,
              }),
        );
      } else if (slot.prefix !== undefined) {
        put(address, PREFIX, prefixHolders.get(slot.prefix) ?? addHolder(eniHolder("prefix", slot.prefix)));
      } else if (eni.podCapacity) {
        if (warmHolder < 0) warmHolder = addHolder(eniHolder("warm", null));
        put(address, WARM, warmHolder);
      } else {
        // Trunk, EFA and no_manage ENIs' addresses are the node's, not the warm pool.
        if (idleHolder < 0) idleHolder = addHolder(eniHolder("node", null));
        put(address, NODE, idleHolder);
      }
    }
  }
  return { cidr, base, size, kinds, holderOf, holders };
}

/** The counts of a map, the free /28s and the longest free run. */
export function summariseAddressMap(map: SubnetAddressMap): SubnetSpace {
  const counts = new Array<number>(ADDRESS_KINDS.length).fill(0);
  const { kinds, size } = map;
  let run = 0;
  let largestFreeRun = 0;
  for (let i = 0; i < size; i++) {
    const k = kinds[i]!;
    counts[k]!++;
    if (k === FREE) {
      run++;
      if (run > largestFreeRun) largestFreeRun = run;
    } else run = 0;
  }
  let freeBlocks28 = 0;
  // The CIDR is /28-aligned (a subnet is at most a /28), so blocks start at the map's own multiples of 16.
  for (let b = 0; b + IPS_PER_PREFIX <= size; b += IPS_PER_PREFIX) {
    let open = true;
    for (let i = b; i < b + IPS_PER_PREFIX && open; i++)
      open = kinds[i] === FREE || kinds[i] === RESERVED_PREFIX;
    if (open) freeBlocks28++;
  }
  const usable = Math.max(0, size - counts[AWS_RESERVED]!);
  return {
    size,
    awsReserved: counts[AWS_RESERVED]!,
    nodeIps: counts[NODE]!,
    podIps: counts[POD]!,
    warmIps: counts[WARM]!,
    prefixIps: counts[PREFIX]!,
    otherIps: counts[OTHER]!,
    reservedPrefixIps: counts[RESERVED_PREFIX]!,
    reservedExplicitIps: counts[RESERVED_EXPLICIT]!,
    free: counts[FREE]!,
    freeBlocks28,
    largestFreeRun,
    podShare: usable === 0 ? 0 : counts[POD]! / usable,
  };
}

/** The kind and holder of one address of the map; null when it is outside the CIDR. */
export function addressAt(
  map: SubnetAddressMap,
  ip: string,
): { index: number; kind: AddressKind; holder: AddressHolder | null } | null {
  const a = parseIpv4(ip);
  if (a === null || a < map.base || a >= map.base + map.size) return null;
  const index = a - map.base;
  const h = map.holderOf[index]!;
  return { index, kind: ADDRESS_KINDS[map.kinds[index]!]!, holder: h < 0 ? null : map.holders[h]! };
}

/** The address at an index of the map, as text. */
export function addressOf(map: SubnetAddressMap, index: number): string {
  return formatIpv4(map.base + index);
}
