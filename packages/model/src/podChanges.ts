// A rebuild after pods alone changed: the pods added, removed or replaced are found by comparing the two
// pod lists object by object, and only the nodes they touch (the node each one names and the node whose
// ENI holds its IP) are placed again, with all of their pods, as a cluster of those nodes alone. Every
// other node, pod report and pending pod is the previous build's object. At 20,000 nodes a full build
// reads all 600,000 pods (about 0.7 s); this reads a few nodes' pods and walks flat arrays of the rest.
//
// It is exact, not an estimate: a pod's placement depends only on itself and the slots as long as no IP
// is claimed twice and every pod holding a slot counts on the slot's node. The previous build records
// whether that held (BuildMemo.podsIndependent), the nodes placed again must show it still holds, and
// otherwise this returns null and the caller builds from scratch (as it does for any change of the nodes,
// ENIs, instances, subnets or CNI settings). podChanges.test.ts checks it against full builds.
import { assembleNodes } from "./assemble.ts";
import type { NodesRemade } from "./changedTotals.ts";
import { parseIpv4 } from "./ipv4.ts";
import { buildNodeDrafts } from "./nodeReports.ts";
import {
  eventsByPod,
  numberSlots,
  POD_HOST,
  POD_IPV6,
  POD_PENDING,
  POD_REPORT,
  POD_UNKNOWN_NODE,
  POD_UNPLACED,
  pendingReport,
  placePods,
  type SlotsByAddress,
  unknownNodeEntry,
  unplacedEntry,
} from "./placement.ts";
import { plausibleInstanceTypes } from "./plausibleLimits.ts";
import type { BuildMemo, Placed, PlacedLists } from "./report.ts";
import type {
  ClusterInput,
  EventInput,
  PendingPodReport,
  PodInput,
  PodKey,
  PodReport,
  Report,
} from "./types.ts";

// How far the comparison of the two pod lists looks ahead for a run of pods added or removed.
const LOOK_AHEAD = 8;
// More changes than this share of the pods, and placing them all again is as quick.
const MOST_CHANGED = 0.05;

/** The pod key in each slot (null: warm) as an array and the slots changed since, so that a change of a
 * few pods does not copy an array of every slot (760,000 at 20,000 nodes). */
export interface SlotPods {
  base: readonly (PodKey | null)[];
  changed: ReadonlyMap<number, PodKey | null>;
}
// Past this many slots changed, they are written into a new array.
const MOST_SLOTS_CHANGED = 16_384;

/** The pod key in each slot, as one array. */
export function slotPodsArray(slots: SlotPods): readonly (PodKey | null)[] {
  if (slots.changed.size === 0) return slots.base;
  const out = slots.base.slice();
  for (const [slot, pod] of slots.changed) out[slot] = pod;
  return out;
}

/** The same items, in the same order (both absent counts as the same). */
function sameItems<T>(a: readonly T[] | undefined, b: readonly T[] | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The same items in the same order, each the same object or `same` in content. */
function sameItemsBy<T>(
  a: readonly T[] | undefined,
  b: readonly T[] | undefined,
  same: (x: T, y: T) => boolean,
): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !same(a[i]!, b[i]!)) return false;
  return true;
}

/** Plain data equal in content. A live source maps an object anew on every update of it: a node's status
 * heartbeat, which changes nothing the model reads, comes as a new NodeInput. */
function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => sameData(x, b[i]));
  }
  const aRecord = a as Record<string, unknown>;
  const bRecord = b as Record<string, unknown>;
  const keys = Object.keys(aRecord);
  if (keys.length !== Object.keys(bRecord).length) return false;
  return keys.every((k) => Object.hasOwn(bRecord, k) && sameData(aRecord[k], bRecord[k]));
}

/** The same settings: a live source reads the aws-node DaemonSet into a new object each time. */
function sameFields(a: object, b: object): boolean {
  if (a === b) return true;
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  const bRecord = b as Record<string, unknown>;
  const aRecord = a as Record<string, unknown>;
  return aKeys.every((k) => aRecord[k] === bRecord[k]);
}

/** Everything but the pods, events and released IPs is what the previous build read: the same EC2
 * objects (the EC2 poller hands over the held object for an unchanged one), Kubernetes objects equal. */
function onlyPodsChanged(before: ClusterInput, input: ClusterInput): boolean {
  return (
    input.capturedAt === undefined &&
    before.capturedAt === undefined &&
    input.clusterName === before.clusterName &&
    input.region === before.region &&
    sameFields(input.cni, before.cni) &&
    sameItemsBy(input.nodes, before.nodes, sameData) &&
    sameItems(input.enis, before.enis) &&
    sameItems(input.instances, before.instances) &&
    sameItems(input.subnets, before.subnets) &&
    sameItems(input.extraInstanceTypes, before.extraInstanceTypes) &&
    sameItemsBy(input.eniConfigs, before.eniConfigs, sameData) &&
    sameItemsBy(input.cniNodes, before.cniNodes, sameData) &&
    sameItems(input.cidrReservations, before.cidrReservations)
  );
}

/** Positions of the pods only in `before` (removed) and only in `after` (added), both ascending; every
 * other pod is the same object in the same order. Null past `limit` changes. */
export function diffPods(
  before: readonly PodInput[],
  after: readonly PodInput[],
  limit: number,
): { removed: number[]; added: number[] } | null {
  const removed: number[] = [];
  const added: number[] = [];
  let i = 0;
  let j = 0;
  while (i < before.length && j < after.length) {
    const a = before[i]!;
    const b = after[j]!;
    if (a === b) {
      i++;
      j++;
      continue;
    }
    if (removed.length + added.length > limit) return null;
    // A pod replaced (changed) keeps its place in a list kept in key order.
    if (a.name === b.name && a.namespace === b.namespace) {
      removed.push(i++);
      added.push(j++);
      continue;
    }
    let skipAfter = 0;
    let skipBefore = 0;
    for (let k = 1; k <= LOOK_AHEAD && skipAfter === 0 && skipBefore === 0; k++) {
      if (after[j + k] === a) skipAfter = k;
      else if (before[i + k] === b) skipBefore = k;
    }
    if (skipAfter > 0) for (let k = 0; k < skipAfter; k++) added.push(j++);
    else if (skipBefore > 0) for (let k = 0; k < skipBefore; k++) removed.push(i++);
    else {
      removed.push(i++);
      added.push(j++);
    }
  }
  while (i < before.length) removed.push(i++);
  while (j < after.length) added.push(j++);
  return removed.length + added.length > limit ? null : { removed, added };
}

/** The first slot (in address order) holding `ip`, as placing finds it; -1 when none does. */
function slotAt(byAddress: SlotsByAddress, ip: string): number {
  const address = parseIpv4(ip);
  if (address === null) return -1;
  const { addresses, count } = byAddress;
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (addresses[mid]! < address) lo = mid + 1;
    else hi = mid;
  }
  return lo < count && addresses[lo] === address ? lo : -1;
}

/** Whether placing counts the pod at all: finished pods' IPs are already released. */
const counted = (pod: PodInput): boolean => pod.phase !== "Succeeded" && pod.phase !== "Failed";

/** Each of `positions` (ascending) whose entry has `bit`, with how many entries before it have the bit:
 * its index in the list of those entries. */
function ranks(
  flags: Uint8Array,
  positions: readonly number[],
  bit: number,
): { at: number; index: number }[] {
  const out: { at: number; index: number }[] = [];
  let count = 0;
  let from = 0;
  for (const at of positions) {
    for (let p = from; p < at; p++) if ((flags[p]! & bit) !== 0) count++;
    from = at;
    if ((flags[at]! & bit) !== 0) out.push({ at, index: count });
  }
  return out;
}

// Up to this many changes a list is copied once and changed in place.
const FEW = 32;
// Runs of a list copied at once are joined this many at a time (a call takes only so many arguments).
const JOIN = 4096;

/** `old` without the items at the `removed` indices (ascending), with `added` items at their indices in
 * the result (ascending): copied in runs between the changes, not item by item. */
function edited<T>(
  old: readonly T[],
  removed: readonly number[],
  added: readonly { index: number; item: T }[],
): T[] {
  if (removed.length === 0 && added.length === 0) return old as T[];
  if (removed.length + added.length <= FEW) {
    // A few changes: one copy, moved in place around each (no runs to join).
    const out = old.slice();
    for (let k = removed.length - 1; k >= 0; k--) out.splice(removed[k]!, 1);
    for (const { index, item } of added) out.splice(index, 0, item);
    return out;
  }
  const parts: T[][] = [];
  let from = 0;
  let r = 0;
  let length = 0;
  const copy = (count: number): void => {
    while (count > 0) {
      while (r < removed.length && removed[r] === from) {
        from++;
        r++;
      }
      const stop = Math.min(r < removed.length ? removed[r]! : old.length, from + count);
      parts.push(old.slice(from, stop));
      length += stop - from;
      count -= stop - from;
      from = stop;
    }
  };
  for (const { index, item } of added) {
    copy(index - length);
    parts.push([item]);
    length++;
  }
  copy(old.length - removed.length - (length - added.length));
  const joined: T[][] = [];
  for (let k = 0; k < parts.length; k += JOIN) joined.push(([] as T[]).concat(...parts.slice(k, k + JOIN)));
  return joined.length === 1 ? joined[0]! : ([] as T[]).concat(...joined);
}

/**
 * The placement of `input`'s pods, given the previous build's memo, placing only the pods that changed;
 * null when a full build is needed (anything but pods changed, too many pods changed, or pods that are
 * not independent of each other). `input` in the result is the one the rest of the report reads;
 * `remade`, the nodes made again, before and after.
 */
export function placeChangedPods(
  input: ClusterInput,
  previous: Pick<Report, "nodes" | "pods" | "pending">,
  memo: BuildMemo,
): { input: ClusterInput; placed: Placed; remade: NodesRemade } | null {
  const before = memo.input;
  const nodeIndex = memo.nodeIndex;
  if (!memo.podsIndependent || nodeIndex === null || !onlyPodsChanged(before, input)) return null;
  const limit = Math.max(64, Math.floor(before.pods.length * MOST_CHANGED));
  const diff = diffPods(before.pods, input.pods, limit);
  if (diff === null) return null;
  const plausible = plausibleInstanceTypes(input.extraInstanceTypes ?? []);
  if (plausible.warnings.length > 0) input = { ...input, extraInstanceTypes: [...plausible.types] };
  const { removed, added } = diff;
  const pods = input.pods;

  // The nodes to place again: each changed pod's own, and the one whose ENI holds its IP.
  const nodeCount = input.nodes.length;
  const dirty = new Uint8Array(nodeCount);
  const { byAddress, eniNode } = memo.slots;
  const touch = (pod: PodInput): void => {
    if (!counted(pod)) return;
    const n = pod.nodeName === null ? undefined : nodeIndex.get(pod.nodeName);
    if (n !== undefined) dirty[n] = 1;
    if (pod.hostNetwork || pod.podIp === null) return;
    const at = slotAt(byAddress, pod.podIp);
    if (at >= 0) dirty[eniNode[byAddress.enis[at]!]!] = 1;
  };
  for (const i of removed) touch(before.pods[i]!);
  for (const j of added) touch(pods[j]!);

  // The per-pod arrays with the kept pods' entries moved to their new places, a run at a time.
  const podNode = new Int32Array(pods.length).fill(-1);
  const podFlags = new Uint8Array(pods.length);
  {
    let i = 0;
    let j = 0;
    let r = 0;
    let a = 0;
    while (j < pods.length) {
      while (r < removed.length && removed[r] === i) {
        i++;
        r++;
      }
      if (a < added.length && added[a] === j) {
        j++;
        a++;
        continue;
      }
      const run = Math.min(
        r < removed.length ? removed[r]! - i : before.pods.length - i,
        a < added.length ? added[a]! - j : pods.length - j,
      );
      podNode.set(memo.podNode.subarray(i, i + run), j);
      podFlags.set(memo.podFlags.subarray(i, i + run), j);
      i += run;
      j += run;
    }
  }
  // The pods to place again: every pod on those nodes, and the added pods on no known node.
  const isAdded = new Uint8Array(pods.length);
  for (const j of added) isAdded[j] = 1;
  const subAt: number[] = [];
  for (let j = 0; j < pods.length; j++) {
    if (isAdded[j] === 1) {
      // An added pod on a known node is on one of those nodes (see touch).
      if (counted(pods[j]!)) subAt.push(j);
    } else {
      const node = podNode[j]!;
      if (node >= 0 && dirty[node] === 1) subAt.push(j);
    }
  }

  // Those nodes and pods placed as a cluster of their own: the same slots, so the same placement.
  const dirtyNodes: number[] = [];
  for (let n = 0; n < nodeCount; n++) if (dirty[n] === 1) dirtyNodes.push(n);
  const subPods = subAt.map((j) => pods[j]!);
  const drafts = buildNodeDrafts(
    { ...input, nodes: dirtyNodes.map((n) => input.nodes[n]!), pods: subPods },
    memo.grouping,
    memo.layouts,
  ).nodes;
  const table = numberSlots(drafts, null);
  const sub = placePods(drafts, table, subPods, input.events, null);
  if (sub.duplicates.length > 0 || sub.misplaced.length > 0 || sub.nodelessSlots > 0) return null;
  const oldNodes = dirtyNodes.map((n) => previous.nodes[n]!);
  const subNodes = assembleNodes(drafts, sub, subPods, oldNodes, null);

  // The slots of those nodes in the build's numbering of all slots.
  const changedSlots = new Map(memo.slotPods.changed);
  {
    const layouts = memo.slots.layouts;
    let e = 0;
    let first = 0;
    for (let k = 0; k < dirtyNodes.length; k++) {
      const n = dirtyNodes[k]!;
      while (e < eniNode.length && eniNode[e]! < n) first += layouts[e++]!.ips.length;
      for (const eni of drafts[k]!.enis) {
        // The same ENI objects give the same layouts: anything else means the numbering moved.
        if (layouts[e] !== eni.layout || eniNode[e] !== n) return null;
        const length = eni.layout.ips.length;
        for (let s = 0; s < length; s++) changedSlots.set(first + s, sub.slotPods[eni.firstSlot + s]!);
        first += length;
        e++;
      }
    }
  }
  const nodes = previous.nodes.slice();
  let nodesChanged = false;
  for (let k = 0; k < dirtyNodes.length; k++) {
    if (nodes[dirtyNodes[k]!] !== subNodes[k]) nodesChanged = true;
    nodes[dirtyNodes[k]!] = subNodes[k]!;
  }

  // Each pod placed again: a kept one must come out as before (its node and the slots are unchanged, and
  // its placement depends on nothing else); an added one brings its reports.
  const addedPods: { index: number; item: PodReport }[] = [];
  const addedPending: { index: number; item: PendingPodReport }[] = [];
  {
    let subPod = 0;
    let subPending = 0;
    for (let s = 0; s < subAt.length; s++) {
      const j = subAt[s]!;
      const flags = sub.podFlags[s]!;
      if (isAdded[j] === 0 && podFlags[j] !== flags) return null;
      podNode[j] = sub.podNode[s]! >= 0 ? dirtyNodes[sub.podNode[s]!]! : -1;
      podFlags[j] = flags;
      if ((flags & POD_REPORT) !== 0) subPod++;
      if ((flags & POD_PENDING) !== 0) subPending++;
      if (isAdded[j] === 0) continue;
      if ((flags & POD_REPORT) !== 0) {
        addedPods.push({ index: 0, item: sub.pods[subPod - 1]! });
      }
      if ((flags & POD_PENDING) !== 0) addedPending.push({ index: 0, item: sub.pending[subPending - 1]! });
    }
  }
  // The pod and pending lists in input order: the previous ones with the changes put in.
  const newReports = ranks(podFlags, added, POD_REPORT);
  const newPending = ranks(podFlags, added, POD_PENDING);
  newReports.forEach((r, k) => {
    addedPods[k]!.index = r.index;
  });
  newPending.forEach((r, k) => {
    addedPending[k]!.index = r.index;
  });
  const goneReports = ranks(memo.podFlags, removed, POD_REPORT).map((r) => r.index);
  const gonePending = ranks(memo.podFlags, removed, POD_PENDING).map((r) => r.index);
  const podReports = edited(previous.pods, goneReports, addedPods);
  let pending = edited(previous.pending, gonePending, addedPending);
  if (!sameItems(input.events, before.events) && pending.length > 0) {
    // New events can change why a pod waits.
    const events: Map<PodKey, EventInput[]> = eventsByPod(input.events);
    const waiting: number[] = [];
    for (let j = 0; j < pods.length; j++) if ((podFlags[j]! & POD_PENDING) !== 0) waiting.push(j);
    pending = waiting.map((j, k) => pendingReport(pods[j]!, events, pending[k]!));
  }

  // The lists of pods off every ENI or on unknown nodes: read again only when such a pod changed.
  const listed = POD_UNKNOWN_NODE | POD_IPV6 | POD_UNPLACED;
  let hostNetworkPods = memo.lists.hostNetworkPods;
  let relist = false;
  for (const i of removed) {
    if ((memo.podFlags[i]! & POD_HOST) !== 0) hostNetworkPods--;
    if ((memo.podFlags[i]! & listed) !== 0) relist = true;
  }
  for (const j of added) {
    if ((podFlags[j]! & POD_HOST) !== 0) hostNetworkPods++;
    if ((podFlags[j]! & listed) !== 0) relist = true;
  }
  const lists = relist ? listsOf(pods, podFlags) : { ...memo.lists, hostNetworkPods };
  return {
    input,
    placed: {
      podKeys: null,
      nodes: nodesChanged ? nodes : previous.nodes,
      pending: sameOrPrevious(pending, previous.pending),
      pods: podReports,
      slotPods:
        changedSlots.size > MOST_SLOTS_CHANGED
          ? { base: slotPodsArray({ base: memo.slotPods.base, changed: changedSlots }), changed: new Map() }
          : { base: memo.slotPods.base, changed: changedSlots },
      podNode,
      podFlags,
      podsIndependent: true,
      lists,
    },
    remade: { before: oldNodes, after: subNodes },
  };
}

/** `next` when it differs from `previous` in any item, else `previous` itself. */
function sameOrPrevious<T>(next: T[], previous: readonly T[]): T[] {
  return sameItems(next, previous) ? (previous as T[]) : next;
}

/** The report's lists of pods that are off every ENI or on unknown nodes, from each pod's bits. */
function listsOf(pods: readonly PodInput[], podFlags: Uint8Array): PlacedLists {
  const onUnknownNodes: string[] = [];
  const ipv6: string[] = [];
  const unplaced: string[] = [];
  let hostNetworkPods = 0;
  const listed = POD_UNKNOWN_NODE | POD_IPV6 | POD_UNPLACED | POD_HOST;
  for (let p = 0; p < pods.length; p++) {
    const flags = podFlags[p]!;
    if ((flags & listed) === 0) continue;
    const pod = pods[p]!;
    if ((flags & POD_HOST) !== 0) hostNetworkPods++;
    if ((flags & POD_IPV6) !== 0) ipv6.push(`${pod.namespace}/${pod.name}`);
    if ((flags & POD_UNPLACED) !== 0)
      unplaced.push(unplacedEntry(`${pod.namespace}/${pod.name}`, pod.podIp!));
    if ((flags & POD_UNKNOWN_NODE) !== 0) onUnknownNodes.push(unknownNodeEntry(pod));
  }
  return { onUnknownNodes, ipv6, unplaced, misplaced: [], duplicates: [], hostNetworkPods };
}
