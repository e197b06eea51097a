// Every pod on the ENI slot that holds its IP; hostNetwork pods on their node; Pending pods diagnosed.
//
// The pods come in whatever order the source lists them (the Kubernetes API: namespace by namespace),
// not node by node, so looking each one's slot up and writing it into the slot object would touch
// memory all over the heap for each of 150,000 pods. Instead every slot has a number (node by node, ENI
// by ENI, in address order); the pods' addresses are sorted and merged with the slots' sorted addresses,
// both read in sequence; each pod's key is written into a flat array at its slot's number, and the slot
// objects are made afterwards, ENI by ENI (assemble.ts). Counters per node are typed arrays.
import { sortByAddress } from "./addressOrder.ts";
import { diagnosePending } from "./diagnosis.ts";
import type { EniDraft, EniLayout } from "./enis.ts";
import { parseIpv4 } from "./ipv4.ts";
import { inIpv6Block, parseIpv6, parseIpv6Cidr } from "./ipv6.ts";
import type { NodeDraft } from "./nodeReports.ts";
import { PreviousItems } from "./previous.ts";
import type { EventInput, PendingPodReport, PodInput, PodKey, PodReport, SlotReport } from "./types.ts";

/** The slots that hold an IPv4 address, sorted by it (equal addresses: by slot number). */
export interface SlotsByAddress {
  count: number;
  addresses: Float64Array;
  slots: Int32Array;
  /** Each one's ENI (position in `SlotTable.enis`). */
  enis: Int32Array;
}

/** Every slot of every node's ENIs, numbered, and sorted by address. */
export interface SlotTable {
  /** All ENIs, node by node; `EniDraft.firstSlot` says where each one's slots start. */
  enis: EniDraft[];
  /** Their layouts, in the same order: equal lists mean equal numbering and order. */
  layouts: EniLayout[];
  /** ENI (position in `enis`) -> its node (position in the drafts). */
  eniNode: Int32Array;
  slotCount: number;
  byAddress: SlotsByAddress;
}

/** What the next build needs of a slot table to use its order again. */
export type SlotNumbering = Pick<SlotTable, "layouts" | "eniNode" | "byAddress">;

/**
 * Numbers the slots of `nodes` (setting each ENI draft's `firstSlot`) and sorts them by address; the
 * previous build's order when the same layouts come in the same order on the same nodes.
 */
export function numberSlots(nodes: readonly NodeDraft[], previous: SlotNumbering | null): SlotTable {
  const enis: EniDraft[] = [];
  const layouts: EniLayout[] = [];
  const owners: number[] = [];
  let slotCount = 0;
  for (let n = 0; n < nodes.length; n++) {
    for (const eni of nodes[n]!.enis) {
      eni.firstSlot = slotCount;
      slotCount += eni.layout.ips.length;
      enis.push(eni);
      layouts.push(eni.layout);
      owners.push(n);
    }
  }
  if (previous !== null && previous.layouts.length === layouts.length) {
    let same = true;
    for (let e = 0; e < layouts.length && same; e++) {
      same = previous.layouts[e] === layouts[e] && previous.eniNode[e] === owners[e];
    }
    if (same) return { enis, layouts, eniNode: previous.eniNode, slotCount, byAddress: previous.byAddress };
  }
  const slotEni = new Int32Array(slotCount);
  const addresses = new Float64Array(slotCount);
  const slots = new Int32Array(slotCount);
  let count = 0;
  for (let e = 0; e < enis.length; e++) {
    const layout = layouts[e]!;
    const first = enis[e]!.firstSlot;
    for (let i = 0; i < layout.addresses.length; i++) {
      slotEni[first + i] = e;
      const address = layout.addresses[i]!;
      if (address < 0) continue;
      addresses[count] = address;
      slots[count++] = first + i;
    }
  }
  sortByAddress(addresses, slots, count);
  const slotEnis = new Int32Array(count);
  for (let i = 0; i < count; i++) slotEnis[i] = slotEni[slots[i]!]!;
  return {
    enis,
    layouts,
    eniNode: Int32Array.from(owners),
    slotCount,
    byAddress: { count, addresses, slots, enis: slotEnis },
  };
}

/** What a previous build left that placing the pods can reuse. */
export interface PreviousPods {
  pods: readonly PodReport[];
  /** The key of each of `pods`, when known: reusing them saves building 150,000 strings. */
  podKeys: readonly PodKey[] | null;
  pending: readonly PendingPodReport[];
}

export interface Placement {
  pods: PodReport[];
  /** The key of each of `pods`. */
  podKeys: PodKey[];
  pending: PendingPodReport[];
  /** Slot number -> the key of the pod in it, null for a warm IP. */
  slotPods: (PodKey | null)[];
  /** Per node (position in the drafts): pods counting toward max pods, Running ones, ones waiting for an IP. */
  podCounts: Int32Array;
  runningCounts: Int32Array;
  waitingCounts: Int32Array;
  /** hostNetwork pods per node as a linked list of positions in the input's pods: first, then next. */
  hostFirst: Int32Array;
  hostNext: Int32Array;
  hostNetworkPods: number;
  /** "ns/name (ip)" of pods whose IP is on no ENI. */
  unplaced: string[];
  /** Pods holding an IP of another node's ENI. */
  misplaced: string[];
  /** IPs claimed by more than one live pod. */
  duplicates: string[];
  /** Pods with an IPv6 address in no /80 of their node's ENIs (nodes whose ENIs are known). */
  ipv6: string[];
  /** IPv6 pods placed in an ENI's /80: the slots they make there, in input order. */
  ipv6Slots: Map<EniDraft, SlotReport[]>;
  /** Per node (position in the drafts): pods whose IP is on none of its ENIs. */
  offEni: (PodKey[] | undefined)[];
  /** "ns/name on node" of pods bound to a node the node list does not have. */
  onUnknownNodes: string[];
  /** Per input pod: the node (position in the drafts) it counts on, -1 for none. */
  podNode: Int32Array;
  /** Per input pod: what it made of the report (POD_* bits). */
  podFlags: Uint8Array;
  /** Pods holding a slot with no node name: a claim across nodes the misplaced list does not show. */
  nodelessSlots: number;
}

/** A pod's bits in `Placement.podFlags`: which of the report's lists name it. */
export const POD_REPORT = 1;
export const POD_PENDING = 2;
export const POD_UNKNOWN_NODE = 4;
export const POD_UNPLACED = 8;
export const POD_IPV6 = 16;
export const POD_HOST = 32;

/** The ENI of node `draft` whose IPv6 /80 (or own IPv6 address) holds `ip`, and that prefix; or null. */
function ipv6Eni(draft: NodeDraft, ip: string): { eni: EniDraft; prefix: string | undefined } | null {
  const address = parseIpv6(ip);
  if (address === null) return null;
  for (const eni of draft.enis) {
    for (const prefix of eni.input.ipv6Prefixes ?? []) {
      const block = parseIpv6Cidr(prefix);
      if (block !== null && inIpv6Block(address, block)) return { eni, prefix };
    }
    for (const own of eni.input.ipv6Addresses ?? []) {
      if (parseIpv6(own) === address) return { eni, prefix: undefined };
    }
  }
  return null;
}

function podKey(namespace: string, name: string): PodKey {
  return `${namespace}/${name}`;
}

/** The entries of the report's lists of pods off every ENI and on unknown nodes, as placing writes them. */
export const unplacedEntry = (key: PodKey, ip: string): string => `${key} (${ip})`;
export const unknownNodeEntry = (pod: PodInput): string =>
  `${podKey(pod.namespace, pod.name)} on ${pod.nodeName}`;

/** Events about pods by pod key: what a Pending pod's diagnosis reads. */
export function eventsByPod(events: readonly EventInput[]): Map<PodKey, EventInput[]> {
  const byPod = new Map<PodKey, EventInput[]>();
  for (const event of events) {
    if (event.kind !== "Pod") continue;
    const key = podKey(event.namespace, event.name);
    const list = byPod.get(key);
    if (list === undefined) byPod.set(key, [event]);
    else list.push(event);
  }
  return byPod;
}

/** A Pending pod's report: `old` itself when nothing in it changed. */
export function pendingReport(
  pod: PodInput,
  events: ReadonlyMap<PodKey, EventInput[]>,
  old: PendingPodReport | null,
): PendingPodReport {
  const diagnosis = diagnosePending(pod, events.get(podKey(pod.namespace, pod.name)));
  if (
    old !== null &&
    old.node === pod.nodeName &&
    old.reason === diagnosis.reason &&
    old.message === diagnosis.message &&
    old.status === pod.status &&
    old.owner === pod.owner &&
    old.since === pod.createdAt &&
    sameLabels(old.labels ?? {}, pod.labels)
  ) {
    return old;
  }
  return {
    namespace: pod.namespace,
    name: pod.name,
    node: pod.nodeName,
    reason: diagnosis.reason,
    message: diagnosis.message,
    status: pod.status,
    owner: pod.owner,
    since: pod.createdAt,
    labels: pod.labels,
  };
}

const namespaceOf = (p: PodReport | PendingPodReport): string => p.namespace;
const nameOf = (p: PodReport | PendingPodReport): string => p.name;

/** Labels with the same keys in the same order and the same values: they print the same. */
function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  if (a === b) return true;
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  if (aKeys.length !== bKeys.length) return false;
  for (let i = 0; i < aKeys.length; i++) {
    const k = aKeys[i]!;
    if (k !== bKeys[i] || a[k] !== b[k]) return false;
  }
  return true;
}

export function samePodReport(a: PodReport, b: PodReport): boolean {
  return (
    a.namespace === b.namespace &&
    a.name === b.name &&
    a.node === b.node &&
    a.ip === b.ip &&
    a.eni === b.eni &&
    a.phase === b.phase &&
    a.status === b.status &&
    a.owner === b.owner &&
    sameLabels(a.labels, b.labels)
  );
}

function samePending(a: PendingPodReport, b: PendingPodReport): boolean {
  return (
    a.namespace === b.namespace &&
    a.name === b.name &&
    a.node === b.node &&
    a.reason === b.reason &&
    a.message === b.message &&
    a.status === b.status &&
    a.owner === b.owner &&
    a.since === b.since &&
    sameLabels(a.labels ?? {}, b.labels ?? {})
  );
}

// podSlot of a pod whose address is on no slot (or is no IPv4 address); -2 - p: the slot is pod p's.
const NO_SLOT = -1;

/**
 * Each pod's slot and its ENI (by position in `inputPods`): the first pod in input order to name an
 * address gets its slot, later ones get -2 - that pod's position; NO_SLOT when no slot holds the address.
 */
function matchAddresses(
  inputPods: readonly PodInput[],
  byAddress: SlotsByAddress,
): { podSlot: Int32Array; podEni: Int32Array } {
  const podSlot = new Int32Array(inputPods.length).fill(NO_SLOT);
  const podEni = new Int32Array(inputPods.length);
  const addresses = new Float64Array(inputPods.length);
  const ids = new Int32Array(inputPods.length);
  let count = 0;
  for (let p = 0; p < inputPods.length; p++) {
    const pod = inputPods[p]!;
    if (pod.hostNetwork || pod.podIp === null || pod.phase === "Succeeded" || pod.phase === "Failed")
      continue;
    const address = parseIpv4(pod.podIp);
    if (address === null) continue;
    addresses[count] = address;
    ids[count++] = p;
  }
  sortByAddress(addresses, ids, count);
  const slotAddresses = byAddress.addresses;
  let s = 0;
  let last = -1;
  let first = -1;
  let slot = NO_SLOT;
  let eni = 0;
  for (let i = 0; i < count; i++) {
    const address = addresses[i]!;
    const p = ids[i]!;
    if (address !== last) {
      last = address;
      while (s < byAddress.count && slotAddresses[s]! < address) s++;
      if (s < byAddress.count && slotAddresses[s] === address) {
        // The first slot numbered with this address, to the first pod in input order naming it.
        slot = byAddress.slots[s]!;
        eni = byAddress.enis[s]!;
        first = p;
        podSlot[p] = slot;
        podEni[p] = eni;
      } else {
        slot = NO_SLOT;
      }
    } else if (slot !== NO_SLOT) {
      podSlot[p] = -2 - first;
    }
  }
  return { podSlot, podEni };
}

/** Places `inputPods` on the slots of `nodes`, keeping the previous build's pod reports that did not change. */
export function placePods(
  nodes: readonly NodeDraft[],
  table: SlotTable,
  inputPods: readonly PodInput[],
  events: readonly EventInput[],
  previous: PreviousPods | null,
): Placement {
  // A name held by several nodes counts its pods on the last of them, as a map from name to node would.
  const nodeByName = new Map<string, number>();
  for (let n = 0; n < nodes.length; n++) nodeByName.set(nodes[n]!.name, n);
  const nodeNames: string[] = [];
  const canonical = new Int32Array(nodes.length);
  for (let n = 0; n < nodes.length; n++) {
    nodeNames.push(nodes[n]!.name);
    canonical[n] = nodeByName.get(nodes[n]!.name)!;
  }
  const eniIds = table.enis.map((e) => e.input.id);
  const { eniNode } = table;

  const podEvents = eventsByPod(events);

  const prevPods = previous === null ? null : new PreviousItems(previous.pods, namespaceOf, nameOf, false);
  const prevKeys = previous?.podKeys ?? null;
  const prevPending =
    previous === null ? null : new PreviousItems(previous.pending, namespaceOf, nameOf, false);
  // Positions in `pods` and `pending` of the reports the cursor found no previous one for.
  const podMisses: number[] = [];
  const pendingMisses: number[] = [];

  const slotPods: (PodKey | null)[] = new Array<PodKey | null>(table.slotCount).fill(null);
  const { podSlot, podEni } = matchAddresses(inputPods, table.byAddress);
  // Position in `pods` of each input pod's report, for naming the pod that holds a slot first.
  const podAt = new Int32Array(inputPods.length);
  const podCounts = new Int32Array(nodes.length);
  const runningCounts = new Int32Array(nodes.length);
  const waitingCounts = new Int32Array(nodes.length);
  const hostFirst = new Int32Array(nodes.length).fill(-1);
  const hostLast = new Int32Array(nodes.length).fill(-1);
  const hostNext = new Int32Array(inputPods.length).fill(-1);
  const pods: PodReport[] = [];
  const podKeys: PodKey[] = [];
  const pending: PendingPodReport[] = [];
  const unplaced: string[] = [];
  const ipv6: string[] = [];
  const misplaced: string[] = [];
  const duplicates: string[] = [];
  const ipv6Slots = new Map<EniDraft, SlotReport[]>();
  const offEni: (PodKey[] | undefined)[] = new Array(nodes.length);
  const onUnknownNodes: string[] = [];
  const podNode = new Int32Array(inputPods.length).fill(-1);
  const podFlags = new Uint8Array(inputPods.length);
  let nodelessSlots = 0;
  let hostNetworkPods = 0;
  let keyNamespace: string | null = null;
  let keyPrefix = "";
  for (let p = 0; p < inputPods.length; p++) {
    const pod = inputPods[p]!;
    const phase = pod.phase;
    // Finished pods keep status.podIP, but the CNI released it: it may already belong to a running pod.
    if (phase === "Succeeded" || phase === "Failed") continue;
    const nodeName = pod.nodeName;
    let node = -1;
    let nodeKnown = false;
    if (pod.hostNetwork) {
      if (nodeName !== null) {
        node = nodeByName.get(nodeName) ?? -1;
        nodeKnown = true;
        if (node >= 0) {
          hostNetworkPods++;
          podFlags[p]! |= POD_HOST;
          if (hostLast[node]! < 0) hostFirst[node] = p;
          else hostNext[hostLast[node]!] = p;
          hostLast[node] = p;
        }
      }
    } else if (pod.podIp !== null) {
      const ip = pod.podIp;
      const { namespace, name } = pod;
      // The previous report of this pod, and so its key, found before the key is needed.
      const before = prevPods === null ? -1 : prevPods.find(namespace, name);
      let key: PodKey;
      if (before >= 0 && prevKeys !== null) {
        key = prevKeys[before]!;
      } else {
        // Pods come namespace by namespace: one "namespace/" per run of them, not one per pod.
        if (namespace !== keyNamespace) {
          keyNamespace = namespace;
          keyPrefix = `${namespace}/`;
        }
        key = keyPrefix + name;
      }
      const slot = podSlot[p]!;
      let eniId: string | null = null;
      if (slot === NO_SLOT) {
        const n = nodeName === null ? -1 : (nodeByName.get(nodeName) ?? -1);
        const isIpv6 = ip.includes(":") && parseIpv4(ip) === null;
        const found = isIpv6 && n >= 0 ? ipv6Eni(nodes[n]!, ip) : null;
        if (found !== null) {
          eniId = found.eni.input.id;
          const slot: SlotReport =
            found.prefix === undefined ? { ip, pod: key } : { ip, pod: key, prefix: found.prefix };
          const slots = ipv6Slots.get(found.eni);
          if (slots === undefined) ipv6Slots.set(found.eni, [slot]);
          else slots.push(slot);
        } else if (n >= 0) {
          const list = offEni[n];
          if (list === undefined) offEni[n] = [key];
          else list.push(key);
          // Nodes whose ENIs are unknown (said once per node) or not EC2's (hybrid) are no cluster-wide alarm.
          const draft = nodes[n]!;
          if (draft.enisKnown && draft.kind !== "hybrid") {
            if (isIpv6) ipv6.push(key);
            else unplaced.push(unplacedEntry(key, ip));
            podFlags[p]! |= isIpv6 ? POD_IPV6 : POD_UNPLACED;
          }
        } else if (nodeName === null) {
          if (isIpv6) ipv6.push(key);
          else unplaced.push(unplacedEntry(key, ip));
          podFlags[p]! |= isIpv6 ? POD_IPV6 : POD_UNPLACED;
        }
      } else {
        if (slot < 0) {
          duplicates.push(`${ip} claimed by ${podKeys[podAt[-2 - slot]!]} and ${key}`);
        } else {
          slotPods[slot] = key;
          const e = podEni[p]!;
          const owner = eniNode[e]!;
          eniId = eniIds[e]!;
          if (nodeName !== null) {
            // The usual case, a pod on the node whose ENI holds its IP, needs no lookup by name.
            if (nodeNames[owner] === nodeName) {
              node = canonical[owner]!;
              nodeKnown = true;
            } else {
              misplaced.push(`${key} on ${nodeName} has ${ip} of ${eniId} on ${nodeNames[owner]}`);
            }
          } else {
            nodelessSlots++;
          }
        }
      }
      const nodeText = nodeName ?? "";
      const old = before >= 0 ? previous!.pods[before]! : null;
      if (
        old !== null &&
        old.ip === ip &&
        old.eni === eniId &&
        old.node === nodeText &&
        old.phase === phase &&
        old.status === pod.status &&
        old.owner === pod.owner &&
        sameLabels(old.labels, pod.labels)
      ) {
        pods.push(old);
      } else {
        if (before < 0 && prevPods !== null) podMisses.push(pods.length);
        pods.push({
          namespace,
          name,
          node: nodeText,
          ip,
          eni: eniId,
          phase,
          status: pod.status,
          owner: pod.owner,
          labels: pod.labels,
        });
      }
      podAt[p] = podKeys.length;
      podKeys.push(key);
      podFlags[p]! |= POD_REPORT;
    }
    if (!nodeKnown && nodeName !== null) node = nodeByName.get(nodeName) ?? -1;
    if (node < 0 && nodeName !== null) {
      onUnknownNodes.push(unknownNodeEntry(pod));
      podFlags[p]! |= POD_UNKNOWN_NODE;
    }
    podNode[p] = node;
    if (node >= 0) {
      podCounts[node]!++;
      if (phase === "Running") runningCounts[node]!++;
      if (phase === "Pending" && !pod.hostNetwork && pod.podIp === null) waitingCounts[node]!++;
    }

    if (phase === "Pending") {
      podFlags[p]! |= POD_PENDING;
      const before = prevPending === null ? -1 : prevPending.find(pod.namespace, pod.name);
      const old = before >= 0 ? previous!.pending[before]! : null;
      const report = pendingReport(pod, podEvents, old);
      if (report !== old && before < 0 && prevPending !== null) pendingMisses.push(pending.length);
      pending.push(report);
    }
  }
  // Pods the cursor missed (the list was reordered, or they moved) that are unchanged all the same.
  const podLeft = podMisses.length > 0 ? prevPods!.leftovers() : null;
  if (podLeft !== null) {
    for (const at of podMisses) {
      const next = pods[at]!;
      const before = podLeft.get(next.namespace)?.get(next.name);
      if (before === undefined || !samePodReport(previous!.pods[before]!, next)) continue;
      pods[at] = previous!.pods[before]!;
      if (prevKeys !== null) podKeys[at] = prevKeys[before]!;
    }
  }
  const pendingLeft = pendingMisses.length > 0 ? prevPending!.leftovers() : null;
  if (pendingLeft !== null) {
    for (const at of pendingMisses) {
      const next = pending[at]!;
      const before = pendingLeft.get(next.namespace)?.get(next.name);
      if (before !== undefined && samePending(previous!.pending[before]!, next)) {
        pending[at] = previous!.pending[before]!;
      }
    }
  }
  return {
    pods,
    podKeys,
    pending,
    slotPods,
    podCounts,
    runningCounts,
    waitingCounts,
    hostFirst,
    hostNext,
    hostNetworkPods,
    unplaced,
    misplaced,
    duplicates,
    ipv6,
    ipv6Slots,
    offEni,
    onUnknownNodes,
    podNode,
    podFlags,
    nodelessSlots,
  };
}
