// The node reports, made once every pod is placed: slot objects ENI by ENI (in the order they are
// numbered, so memory is walked in sequence), counters from the placement's arrays. When a previous
// report is given, every ENI, slot list, slot and node whose content did not change is the previous
// object itself, so that diffing two reports and redrawing a node can stop at `===`.
import type { EniDraft } from "./enis.ts";
import { listSome } from "./listSome.ts";
import type { NodeDraft } from "./nodeReports.ts";
import type { Placement } from "./placement.ts";
import { PreviousItems } from "./previous.ts";
import type {
  EniReport,
  HostNetworkPodRef,
  NodeCapacity,
  NodeReport,
  PodInput,
  PodKey,
  SlotReport,
} from "./types.ts";

function sameStrings(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameCapacity(a: NodeCapacity, b: NodeCapacity): boolean {
  return (
    a === b ||
    (a.instanceType === b.instanceType &&
      a.known === b.known &&
      a.vcpus === b.vcpus &&
      a.maxEnis === b.maxEnis &&
      a.ipv4PerEni === b.ipv4PerEni &&
      a.podEnis === b.podEnis &&
      a.podIpsPerEni === b.podIpsPerEni &&
      a.podIps === b.podIps &&
      a.maxPods === b.maxPods &&
      a.maxPodsUncapped === b.maxPodsUncapped &&
      a.mode === b.mode &&
      sameStrings(a.notes, b.notes))
  );
}

function sameEniConfig(a: NodeReport["eniConfig"], b: NodeReport["eniConfig"]): boolean {
  return (
    a === b ||
    (a !== null && b !== null && a.name === b.name && a.subnetId === b.subnetId && a.found === b.found)
  );
}

/** The ENI's slots with their pods: the previous list when nothing in it changed. */
function eniSlots(
  draft: EniDraft,
  slotPods: readonly (PodKey | null)[],
  old: readonly SlotReport[] | undefined,
  oldSlotPods: readonly (PodKey | null)[] | null,
) {
  const { ips, slotPrefixes } = draft.layout;
  const base = draft.firstSlot;
  const n = ips.length;
  const aligned = old !== undefined && old.length === n ? old : undefined;
  if (aligned !== undefined && oldSlotPods !== null) {
    // The old slots were made from this layout and oldSlotPods: the same pods mean the same slots, found
    // in two flat arrays without reading 250,000 slot objects.
    let used = 0;
    let k = 0;
    for (; k < n; k++) {
      const pod = slotPods[base + k] ?? null;
      if (pod !== oldSlotPods[base + k]) break;
      if (pod !== null) used++;
    }
    if (k === n) return { slots: aligned as SlotReport[], used };
  }
  if (aligned !== undefined) {
    let used = 0;
    let k = 0;
    for (; k < n; k++) {
      const slot = aligned[k]!;
      const pod = slotPods[base + k] ?? null;
      if (slot.pod !== pod || slot.ip !== ips[k] || slot.prefix !== slotPrefixes?.[k]) break;
      if (pod !== null) used++;
    }
    if (k === n) return { slots: aligned as SlotReport[], used };
  }
  const slots: SlotReport[] = [];
  let used = 0;
  for (let k = 0; k < n; k++) {
    const ip = ips[k]!;
    const pod = slotPods[base + k] ?? null;
    const prefix = slotPrefixes?.[k];
    if (pod !== null) used++;
    const same = aligned?.[k];
    if (same !== undefined && same.pod === pod && same.ip === ip && same.prefix === prefix) slots.push(same);
    else slots.push(prefix === undefined ? { ip, pod } : { ip, pod, prefix });
  }
  return { slots, used };
}

/** Slots of an ENI with pods in its IPv6 /80: its IPv4 slots, then one per pod address; the old list when equal. */
function withIpv6Slots(
  slots: SlotReport[],
  used: number,
  extra: readonly SlotReport[],
  old: readonly SlotReport[] | undefined,
) {
  const all = [...slots, ...extra];
  const same =
    old !== undefined &&
    old.length === all.length &&
    all.every((s, i) => s.ip === old[i]!.ip && s.pod === old[i]!.pod && s.prefix === old[i]!.prefix);
  return { slots: same ? (old as SlotReport[]) : all, used: used + extra.length };
}

function eniReport(
  draft: EniDraft,
  slotPods: readonly (PodKey | null)[],
  old: EniReport | null,
  oldSlotPods: readonly (PodKey | null)[] | null,
  ipv6Slots: readonly SlotReport[] | undefined,
): EniReport {
  const made = eniSlots(draft, slotPods, old?.slots, ipv6Slots === undefined ? oldSlotPods : null);
  const { slots, used } =
    ipv6Slots === undefined ? made : withIpv6Slots(made.slots, made.used, ipv6Slots, old?.slots);
  const eni = draft.input;
  const prefixes =
    old !== null && sameStrings(old.prefixes, draft.layout.prefixes) ? old.prefixes : draft.layout.prefixes;
  const assigned = slots.length;
  const slotLimit = draft.slotLimit ?? assigned;
  const warm = draft.podCapacity ? assigned - used : 0;
  if (
    old !== null &&
    old.slots === slots &&
    old.prefixes === prefixes &&
    old.id === eni.id &&
    old.deviceIndex === draft.deviceIndex &&
    old.networkCardIndex === eni.networkCardIndex &&
    old.onDefaultCard === draft.onDefaultCard &&
    old.subnetId === eni.subnetId &&
    old.role === draft.role &&
    old.interfaceType === eni.interfaceType &&
    old.primaryIp === eni.primaryIp &&
    old.podCapacity === draft.podCapacity &&
    old.slotLimit === slotLimit &&
    old.ipsAssigned === assigned &&
    old.ipsUsed === used &&
    old.ipsWarm === warm &&
    old.attachTime === eni.attachTime
  ) {
    return old;
  }
  return {
    id: eni.id,
    deviceIndex: draft.deviceIndex,
    networkCardIndex: eni.networkCardIndex,
    onDefaultCard: draft.onDefaultCard,
    subnetId: eni.subnetId,
    role: draft.role,
    interfaceType: eni.interfaceType,
    primaryIp: eni.primaryIp,
    slots,
    prefixes,
    podCapacity: draft.podCapacity,
    slotLimit,
    ipsAssigned: assigned,
    ipsUsed: used,
    ipsWarm: warm,
    attachTime: eni.attachTime,
  };
}

function previousEni(old: NodeReport | null, k: number, id: string): EniReport | null {
  if (old === null) return null;
  const same = old.enis[k];
  if (same !== undefined && same.id === id) return same;
  return old.enis.find((e) => e.id === id) ?? null;
}

/** The node's hostNetwork pods in input order: the previous list when it names the same pods. */
function hostNetworkRefs(
  first: number,
  next: Int32Array,
  pods: readonly PodInput[],
  old: readonly HostNetworkPodRef[] | undefined,
): HostNetworkPodRef[] {
  if (old !== undefined) {
    let k = 0;
    let p = first;
    for (; p >= 0 && k < old.length; p = next[p]!, k++) {
      const ref = old[k]!;
      if (ref.name !== pods[p]!.name || ref.namespace !== pods[p]!.namespace) break;
    }
    if (p < 0 && k === old.length) return old as HostNetworkPodRef[];
  }
  const refs: HostNetworkPodRef[] = [];
  for (let p = first; p >= 0; p = next[p]!) refs.push({ namespace: pods[p]!.namespace, name: pods[p]!.name });
  return refs;
}

const nodeName = (n: NodeReport): string => n.name;
const noSecondKey = (): string => "";

/**
 * `sameSlots`: the previous build numbered the slots exactly as this one (same layouts, same nodes) and
 * put these pods in them; its slot lists can then be checked against that instead of slot by slot.
 */
export function assembleNodes(
  drafts: readonly NodeDraft[],
  placed: Placement,
  inputPods: readonly PodInput[],
  previous: readonly NodeReport[] | null,
  sameSlots: readonly (PodKey | null)[] | null,
): NodeReport[] {
  const prevNodes = previous === null ? null : new PreviousItems(previous, nodeName, noSecondKey, true);
  // Nodes of one type share one capacity object: compare it with the previous one once per pair.
  let lastCapacity: NodeCapacity | null = null;
  let lastOldCapacity: NodeCapacity | null = null;
  let lastSame = false;
  const nodes: NodeReport[] = [];
  for (let n = 0; n < drafts.length; n++) {
    const draft = drafts[n]!;
    const at = prevNodes === null ? -1 : prevNodes.find(draft.name, "");
    const old = at >= 0 ? previous![at]! : null;

    const enis: EniReport[] = [];
    let enisSame = old !== null && old.enis.length === draft.enis.length;
    let ipsAssigned = 0;
    let ipsUsed = 0;
    let ipsWarm = 0;
    for (let k = 0; k < draft.enis.length; k++) {
      const eniDraft = draft.enis[k]!;
      const before = previousEni(old, k, eniDraft.input.id);
      // Only the ENI at this node's place and position was made from this draft's slots last time.
      const oldSlotPods = at === n && before === old!.enis[k] ? sameSlots : null;
      const eni = eniReport(eniDraft, placed.slotPods, before, oldSlotPods, placed.ipv6Slots.get(eniDraft));
      enis.push(eni);
      if (enisSame && old!.enis[k] !== eni) enisSame = false;
      if (eni.podCapacity) {
        ipsAssigned += eni.ipsAssigned;
        ipsUsed += eni.ipsUsed;
        ipsWarm += eni.ipsWarm;
      }
    }
    const hostNetworkPods = hostNetworkRefs(
      placed.hostFirst[n]!,
      placed.hostNext,
      inputPods,
      old?.hostNetworkPods,
    );
    let capacity = draft.capacity;
    let notes = draft.notes;
    let podsOffEni: PodKey[] = placed.offEni[n] ?? [];
    let warnings = draft.warnings;
    if (podsOffEni.length > 0 && draft.enisKnown && draft.kind !== "hybrid") {
      warnings = [
        ...warnings,
        `${podsOffEni.length} pod IP(s) on none of this node's ENIs: ${listSome(podsOffEni)}`,
      ];
    }
    let eniConfig = draft.eniConfig;
    let podCidrs = draft.podCidrs;
    let cniFeatures = draft.cniFeatures;
    if (old !== null) {
      if (capacity !== lastCapacity || old.capacity !== lastOldCapacity) {
        lastCapacity = capacity;
        lastOldCapacity = old.capacity;
        lastSame = sameCapacity(capacity, old.capacity);
      }
      if (lastSame) capacity = old.capacity;
      if (sameStrings(notes, old.notes)) notes = old.notes;
      if (sameStrings(warnings, old.warnings)) warnings = old.warnings;
      if (sameStrings(podsOffEni, old.podsOffEni)) podsOffEni = old.podsOffEni;
      if (sameStrings(podCidrs, old.podCidrs)) podCidrs = old.podCidrs;
      if (sameEniConfig(eniConfig, old.eniConfig)) eniConfig = old.eniConfig;
      if (sameStrings(cniFeatures, old.cniFeatures)) cniFeatures = old.cniFeatures;
    }
    const pods = placed.podCounts[n]!;
    const podsRunning = placed.runningCounts[n]!;
    const podsWaitingForIp = placed.waitingCounts[n]!;
    if (
      old !== null &&
      enisSame &&
      old.capacity === capacity &&
      old.notes === notes &&
      old.warnings === warnings &&
      old.podsOffEni === podsOffEni &&
      old.podCidrs === podCidrs &&
      old.kind === draft.kind &&
      old.ipFamily === draft.ipFamily &&
      old.enisKnown === draft.enisKnown &&
      old.branchEnis === draft.branchEnis &&
      old.eniConfig === eniConfig &&
      old.cniFeatures === cniFeatures &&
      old.hostNetworkPods === hostNetworkPods &&
      old.name === draft.name &&
      old.instanceId === draft.instanceId &&
      old.instanceType === draft.instanceType &&
      old.zone === draft.zone &&
      old.nodeGroup === draft.nodeGroup &&
      old.capacityType === draft.capacityType &&
      old.internalIp === draft.internalIp &&
      old.ready === draft.ready &&
      old.cordoned === draft.cordoned &&
      old.maxPods === draft.maxPods &&
      old.maxPodsByEni === draft.maxPodsByEni &&
      old.overcommitted === draft.overcommitted &&
      old.eniSlotsFree === draft.eniSlotsFree &&
      old.ipsAssigned === ipsAssigned &&
      old.ipsUsed === ipsUsed &&
      old.ipsWarm === ipsWarm &&
      old.pods === pods &&
      old.podsRunning === podsRunning &&
      old.podsWaitingForIp === podsWaitingForIp
    ) {
      nodes.push(old);
      continue;
    }
    nodes.push({
      name: draft.name,
      instanceId: draft.instanceId,
      instanceType: draft.instanceType,
      zone: draft.zone,
      nodeGroup: draft.nodeGroup,
      capacityType: draft.capacityType,
      internalIp: draft.internalIp,
      kind: draft.kind,
      ipFamily: draft.ipFamily,
      enisKnown: draft.enisKnown,
      branchEnis: draft.branchEnis,
      podCidrs,
      ready: draft.ready,
      cordoned: draft.cordoned,
      maxPods: draft.maxPods,
      maxPodsByEni: draft.maxPodsByEni,
      capacity,
      overcommitted: draft.overcommitted,
      enis: enisSame ? old!.enis : enis,
      eniSlotsFree: draft.eniSlotsFree,
      ipsAssigned,
      ipsUsed,
      ipsWarm,
      pods,
      podsRunning,
      hostNetworkPods,
      podsWaitingForIp,
      podsOffEni,
      notes,
      warnings,
      eniConfig,
      cniFeatures,
    });
  }
  return nodes;
}
