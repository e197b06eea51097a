// Which ENIs belong to which node, in which role, with which pod slots.
import { IPS_PER_PREFIX } from "./capacity.ts";
import { formatIpv4, parseIpv4, parseIpv4Cidr } from "./ipv4.ts";
import type { EniInput, EniRole } from "./types.ts";

export function eniRole(eni: EniInput): EniRole {
  if (eni.interfaceType === "trunk") return "trunk";
  if (eni.interfaceType === "branch") return "branch";
  // An EFA-only interface has no IP at all. An EFA with ENA ("efa") is an ENI with IPs like any other: IPAMD
  // manages it where it manages the card (pod IPs on it; it only never frees it, datastore IsEFA), so on the
  // default card it is the primary at device 0 and a secondary elsewhere; on other cards it is drawn apart.
  if (eni.interfaceType === "efa-only") return "efa";
  if (eni.interfaceType === "efa" && eni.networkCardIndex !== 0) return "efa";
  // IPAMD always manages the primary ENI, whatever its tags say (setUnmanagedENIs).
  if (eni.noManage && eni.deviceIndex !== 0) return "unmanaged";
  return eni.deviceIndex === 0 ? "primary" : "secondary";
}

export interface EniGrouping {
  /** Instance id -> ENIs attached to it (branch ENIs included, via their trunk or instance_id tag). */
  byInstance: Map<string, EniInput[]>;
  /** In-use ENIs attached to no instance of the account (or requester-managed), by primary IP: a Fargate
   * pod's ENI is found so. */
  withoutInstance: Map<string, EniInput>;
  /** CNI ENIs with status available: detached, or leaked by a node that went away. */
  detached: EniInput[];
}

/** Groups the VPC's ENIs by instance. Load balancers, endpoints and other AWS-managed ENIs are dropped. */
export function groupEnisByInstance(enis: readonly EniInput[]): EniGrouping {
  const byInstance = new Map<string, EniInput[]>();
  const detached: EniInput[] = [];
  const instanceOfTrunk = new Map<string, string>();
  const branches: EniInput[] = [];
  const withoutInstance = new Map<string, EniInput>();
  // By its IPv4 address and, in an IPv6 cluster (whose Fargate node's address is its pod's IPv6), its IPv6 ones.
  const byAddress = (eni: EniInput) => {
    for (const ip of [eni.primaryIp, ...(eni.ipv6Addresses ?? [])])
      if (ip !== null && !withoutInstance.has(ip)) withoutInstance.set(ip, eni);
  };
  const add = (instanceId: string, eni: EniInput) => {
    const list = byInstance.get(instanceId);
    if (list === undefined) byInstance.set(instanceId, [eni]);
    else list.push(eni);
  };
  for (const eni of enis) {
    if (eni.interfaceType === "other") continue;
    if (eni.status === "available") {
      if (eni.cniManaged && eni.interfaceType !== "branch") detached.push(eni);
      continue;
    }
    if (eni.interfaceType === "branch" && eni.instanceId === null) {
      branches.push(eni);
      continue;
    }
    if (eni.instanceId === null) {
      byAddress(eni);
      continue;
    }
    // An ENI AWS made on the account's behalf (a Fargate pod's) may name the service's own instance, which
    // no list of the account has: it is found by its address as well.
    if (eni.requesterManaged) byAddress(eni);
    if (eni.interfaceType === "trunk") instanceOfTrunk.set(eni.id, eni.instanceId);
    add(eni.instanceId, eni);
  }
  // Branch ENIs are not attached in EC2's sense: they ride a VLAN of the node's trunk ENI.
  for (const eni of branches) {
    const instanceId =
      eni.tagInstanceId ?? (eni.trunkEniId ? instanceOfTrunk.get(eni.trunkEniId) : undefined);
    if (instanceId) add(instanceId, eni);
  }
  return { byInstance, withoutInstance, detached };
}

export interface EniSlotPlan {
  role: EniRole;
  onDefaultCard: boolean;
  podCapacity: boolean;
  /** Pod IPs the ENI holds when full; null to use what it holds now. */
  slotLimit: number | null;
}

/** An ENI's slots before pods are placed: what its EC2 data alone decides, the same from build to build. */
export interface EniLayout {
  /** Slot IPs in address order (stable: equal addresses keep EC2's order). */
  ips: string[];
  /** The numeric address of each slot; -1 where the text is not an IPv4 address. */
  addresses: number[];
  /** The /28 of each slot, or null when the ENI has no prefix slots. */
  slotPrefixes: (string | undefined)[] | null;
  /** The ENI's delegated prefixes that parse. */
  prefixes: string[];
}

/** An ENI before its pods are placed. The report's slot objects are only made once every pod is placed,
 * so that each is written once and a rebuild can keep the previous ones. */
export interface EniDraft extends EniSlotPlan {
  input: EniInput;
  deviceIndex: number;
  layout: EniLayout;
  /** Number of the ENI's first slot in the build's numbering of all slots (node by node, ENI by ENI). */
  firstSlot: number;
}

// Beyond this many slots the old packed sort key (address x 2^16 + position) would overflow, and no
// real ENI comes near it: such a list is kept in EC2's order.
const SLOT_INDEX_BITS = 2 ** 16;
// Up to this many slots an insertion sort beats allocating a typed array to sort.
const INSERTION_SORT_MAX = 32;

/** Sorts the slots by address, equal addresses (and unparsable ones, as 0) keeping their order. */
function sortByAddress(layout: EniLayout): void {
  const { ips, addresses, slotPrefixes } = layout;
  const n = ips.length;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = Math.max(addresses[i]!, 0) >= Math.max(addresses[i - 1]!, 0);
  if (sorted || n >= SLOT_INDEX_BITS) return;
  if (n <= INSERTION_SORT_MAX) {
    for (let i = 1; i < n; i++) {
      const address = addresses[i]!;
      const key = Math.max(address, 0);
      const ip = ips[i]!;
      const prefix = slotPrefixes?.[i];
      let j = i - 1;
      while (j >= 0 && Math.max(addresses[j]!, 0) > key) {
        addresses[j + 1] = addresses[j]!;
        ips[j + 1] = ips[j]!;
        if (slotPrefixes !== null) slotPrefixes[j + 1] = slotPrefixes[j];
        j--;
      }
      addresses[j + 1] = address;
      ips[j + 1] = ip;
      if (slotPrefixes !== null) slotPrefixes[j + 1] = prefix;
    }
    return;
  }
  // (address x 2^16 + position) sorts natively, with no comparator call per pair, and keeps ties in order.
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) packed[i] = Math.max(addresses[i]!, 0) * SLOT_INDEX_BITS + i;
  packed.sort();
  const oldIps = ips.slice();
  const oldAddresses = addresses.slice();
  const oldPrefixes = slotPrefixes?.slice();
  for (let i = 0; i < n; i++) {
    const from = packed[i]! % SLOT_INDEX_BITS;
    ips[i] = oldIps[from]!;
    addresses[i] = oldAddresses[from]!;
    if (slotPrefixes !== null) slotPrefixes[i] = oldPrefixes![from];
  }
}

/** The ENI's slots (secondary IPs, the IPs of its /28s, a branch or Fargate ENI's own IP) in address order.
 * An IPv6 /80 is listed with the prefixes but makes no slots: the pods in it are placed by address. */
export function eniLayout(eni: EniInput, role: EniRole = eniRole(eni)): EniLayout {
  const layout: EniLayout = { ips: [], addresses: [], slotPrefixes: null, prefixes: [] };
  const { ips, addresses, prefixes } = layout;
  if (role === "branch" || role === "fargate") {
    // A branch ENI carries exactly one pod, on its primary IP; so does a Fargate pod's ENI.
    if (eni.primaryIp !== null) {
      ips.push(eni.primaryIp);
      addresses.push(parseIpv4(eni.primaryIp) ?? -1);
    }
    return layout;
  }
  for (const ip of eni.secondaryIps) {
    ips.push(ip);
    addresses.push(parseIpv4(ip) ?? -1);
  }
  for (const prefix of eni.prefixes) {
    const block = parseIpv4Cidr(prefix);
    if (block === null) continue;
    prefixes.push(prefix);
    layout.slotPrefixes ??= new Array<string | undefined>(ips.length).fill(undefined);
    for (let i = 0; i < Math.min(block.size, IPS_PER_PREFIX); i++) {
      ips.push(formatIpv4(block.base + i));
      addresses.push(block.base + i);
      layout.slotPrefixes.push(prefix);
    }
  }
  sortByAddress(layout);
  for (const prefix of eni.ipv6Prefixes ?? []) prefixes.push(prefix);
  return layout;
}

/**
 * Layouts by the EniInput they were made from. Inputs are values that are never changed in place, so an
 * ENI handed over again as the same object (EC2 data not refreshed since) keeps its layout: no IP is
 * parsed or sorted again.
 */
export type EniLayouts = Map<EniInput, EniLayout>;

export function eniDraft(
  eni: EniInput,
  plan: EniSlotPlan,
  previous: EniLayouts | null,
  layouts: EniLayouts,
): EniDraft {
  let layout = previous?.get(eni);
  if (layout === undefined) layout = eniLayout(eni, plan.role);
  layouts.set(eni, layout);
  return {
    role: plan.role,
    onDefaultCard: plan.onDefaultCard,
    podCapacity: plan.podCapacity,
    slotLimit: plan.slotLimit,
    input: eni,
    deviceIndex: eni.deviceIndex ?? -1,
    layout,
    firstSlot: 0,
  };
}

/** Device slots first (by card, then device index), branch ENIs after them. */
export function compareEnis(a: EniDraft, b: EniDraft): number {
  const aBranch = a.role === "branch" ? 1 : 0;
  const bBranch = b.role === "branch" ? 1 : 0;
  return (
    aBranch - bBranch ||
    a.input.networkCardIndex - b.input.networkCardIndex ||
    a.deviceIndex - b.deviceIndex ||
    (a.input.id < b.input.id ? -1 : a.input.id > b.input.id ? 1 : 0)
  );
}
