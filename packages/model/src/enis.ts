// Which ENIs belong to which node, in which role, with which pod slots.
import { IPS_PER_PREFIX } from "./capacity.ts";
import { formatIpv4, parseIpv4, parseIpv4Cidr } from "./ipv4.ts";
import type { EniInput, EniReport, EniRole, SlotReport } from "./types.ts";

export function eniRole(eni: EniInput): EniRole {
  if (eni.interfaceType === "trunk") return "trunk";
  if (eni.interfaceType === "branch") return "branch";
  if (eni.interfaceType === "efa" || eni.interfaceType === "efa-only") return "efa";
  if (eni.noManage) return "unmanaged";
  return eni.deviceIndex === 0 ? "primary" : "secondary";
}

export interface EniGrouping {
  /** Instance id -> ENIs attached to it (branch ENIs included, via their trunk or instance_id tag). */
  byInstance: Map<string, EniInput[]>;
  /** CNI ENIs with status available: detached, or leaked by a node that went away. */
  detached: EniInput[];
}

/** Groups the VPC's ENIs by instance. Load balancers, endpoints and other AWS-managed ENIs are dropped. */
export function groupEnisByInstance(enis: readonly EniInput[]): EniGrouping {
  const byInstance = new Map<string, EniInput[]>();
  const detached: EniInput[] = [];
  const instanceOfTrunk = new Map<string, string>();
  const branches: EniInput[] = [];
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
    if (eni.instanceId === null) continue;
    if (eni.interfaceType === "trunk") instanceOfTrunk.set(eni.id, eni.instanceId);
    add(eni.instanceId, eni);
  }
  // Branch ENIs are not attached in EC2's sense: they ride a VLAN of the node's trunk ENI.
  for (const eni of branches) {
    const instanceId =
      eni.tagInstanceId ?? (eni.trunkEniId ? instanceOfTrunk.get(eni.trunkEniId) : undefined);
    if (instanceId) add(instanceId, eni);
  }
  return { byInstance, detached };
}

export interface EniSlotPlan {
  role: EniRole;
  podCapacity: boolean;
  /** Pod IPs the ENI holds when full; null to use what it holds now. */
  slotLimit: number | null;
}

const SLOT_INDEX_BITS = 2 ** 16;

function sortByAddress(slots: SlotReport[]): void {
  let sorted = true;
  let previous = -1;
  for (let i = 0; i < slots.length && sorted; i++) {
    const n = parseIpv4(slots[i]!.ip) ?? 0;
    sorted = n >= previous;
    previous = n;
  }
  if (sorted || slots.length >= SLOT_INDEX_BITS) return;
  // (address x 2^16 + position) sorts natively, with no comparator call per pair.
  const packed = new Float64Array(slots.length);
  for (let i = 0; i < slots.length; i++) packed[i] = (parseIpv4(slots[i]!.ip) ?? 0) * SLOT_INDEX_BITS + i;
  packed.sort();
  const copy = slots.slice();
  for (let i = 0; i < packed.length; i++) slots[i] = copy[packed[i]! % SLOT_INDEX_BITS]!;
}

/** The ENI as the report shows it, slots empty (pods are placed afterwards). */
export function eniReport(eni: EniInput, plan: EniSlotPlan): EniReport {
  const slots: SlotReport[] = [];
  const prefixes: string[] = [];
  if (plan.role === "branch") {
    // A branch ENI carries exactly one pod, on its primary IP.
    if (eni.primaryIp !== null) slots.push({ ip: eni.primaryIp, pod: null });
  } else {
    for (const ip of eni.secondaryIps) slots.push({ ip, pod: null });
    for (const prefix of eni.prefixes) {
      const block = parseIpv4Cidr(prefix);
      if (block === null) continue;
      prefixes.push(prefix);
      for (let i = 0; i < Math.min(block.size, IPS_PER_PREFIX); i++) {
        slots.push({ ip: formatIpv4(block.base + i), pod: null, prefix });
      }
    }
    sortByAddress(slots);
  }
  return {
    id: eni.id,
    deviceIndex: eni.deviceIndex ?? -1,
    networkCardIndex: eni.networkCardIndex,
    subnetId: eni.subnetId,
    role: plan.role,
    interfaceType: eni.interfaceType,
    primaryIp: eni.primaryIp,
    slots,
    prefixes,
    podCapacity: plan.podCapacity,
    slotLimit: plan.slotLimit ?? slots.length,
    ipsAssigned: slots.length,
    ipsUsed: 0,
    ipsWarm: 0,
    attachTime: eni.attachTime,
  };
}

/** Device slots first (by card, then device index), branch ENIs after them. */
export function compareEnis(a: EniReport, b: EniReport): number {
  const aBranch = a.role === "branch" ? 1 : 0;
  const bBranch = b.role === "branch" ? 1 : 0;
  return (
    aBranch - bBranch ||
    a.networkCardIndex - b.networkCardIndex ||
    a.deviceIndex - b.deviceIndex ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}
