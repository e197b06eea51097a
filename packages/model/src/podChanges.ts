// A rebuild after pods, nodes or EC2 data changed: the pods added, removed or replaced are found by
// comparing the two pod lists object by object, the nodes to make again by nodeChanges.ts (a node added,
// changed or removed, or its instance's ENIs handed over anew), and only those nodes and the nodes the
// changed pods touch (the node each one names and the node whose ENI holds its IP) are placed again, with
// all of their pods, as a cluster of those nodes alone. Every other node, pod report and pending pod is
// the previous build's object. At 20,000 nodes a full build reads all 600,000 pods (about 0.7 s); this
// reads a few nodes' pods and walks flat arrays of the rest.
//
// It is exact, not an estimate: a pod's placement depends only on itself and the slots as long as no IP
// is claimed twice and every pod holding a slot counts on the slot's node. The previous build records
// whether that held (BuildMemo.podsIndependent), the nodes placed again must show it still holds, and
// otherwise this returns null and the caller builds from scratch (as it does for a change past single
// nodes: see nodeChanges.ts). When a changed node's slots moved the numbering of all slots, it is made
// again from the previous one (slotRenumber.ts). podChanges.test.ts checks it against full builds.
import { assembleNodes } from "./assemble.ts";
import type { NodesRemade } from "./changedTotals.ts";
import { parseIpv4 } from "./ipv4.ts";
import { diffList } from "./listDiff.ts";
import { type NodeChanges, nodeChanges, sameSettings } from "./nodeChanges.ts";
import { buildNodeDrafts, type NodeDraft, type NodeFacts } from "./nodeReports.ts";
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
  type SlotNumbering,
  type SlotsByAddress,
  samePodReport,
  unknownNodeEntry,
  unplacedEntry,
} from "./placement.ts";
import { plausibleInstanceTypes } from "./plausibleLimits.ts";
import type { BuildMemo, Placed, PlacedLists } from "./report.ts";
import { sameData, sameItems, sameItemsBy } from "./sameInput.ts";
import { type Renumbered, renumberSlots } from "./slotRenumber.ts";
import type {
  ClusterInput,
  EventInput,
  NodeReport,
  PendingPodReport,
  PodInput,
  PodKey,
  PodReport,
  Report,
} from "./types.ts";

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

/** Everything but the pods, events and released IPs is what the previous build read: the same EC2
 * objects (the EC2 poller hands over the held object for an unchanged one), Kubernetes objects equal. */
function onlyPodsChanged(before: ClusterInput, input: ClusterInput): boolean {
  return (
    sameSettings(before, input) &&
    sameItemsBy(input.nodes, before.nodes, sameData) &&
    sameItems(input.enis, before.enis) &&
    sameItems(input.instances, before.instances) &&
    sameItems(input.subnets, before.subnets)
  );
}

/** Positions of the pods only in `before` (removed) and only in `after` (added), both ascending; every
 * other pod is the same object in the same order. Null past `limit` changes. */
export function diffPods(
  before: readonly PodInput[],
  after: readonly PodInput[],
  limit: number,
): { removed: number[]; added: number[] } | null {
  return diffList(before, after, limit, samePodKey);
}

const samePodKey = (a: PodInput, b: PodInput): boolean => a.name === b.name && a.namespace === b.namespace;

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

/** What placing only the changed pods and nodes gave. */
export interface ChangedPlacement {
  /** The input the rest of the report reads. */
  input: ClusterInput;
  placed: Placed;
  /** The nodes made again, before and after. */
  remade: NodesRemade;
  /** What changed in nodes or EC2 data, with the numbering of all slots now; null after pods alone. */
  nodes: (NodeChanges & { slots: SlotNumbering; facts: NodeFacts[] }) | null;
}

/**
 * The placement of `input`'s pods, given the previous build's memo, placing only the pods that changed
 * and the pods of the nodes that changed (nodeChanges.ts); null when a full build is needed (a change
 * past single nodes, too many pods changed, or pods that are not independent of each other).
 */
export function placeChangedPods(
  input: ClusterInput,
  previous: Pick<Report, "nodes" | "pods" | "pending">,
  memo: BuildMemo,
): ChangedPlacement | null {
  const before = memo.input;
  if (!memo.podsIndependent || memo.nodeIndex === null) return null;
  const podsOnly = onlyPodsChanged(before, input);
  const changes = podsOnly ? null : nodeChanges(before, input, previous.nodes, memo.nodeIndex, memo.grouping);
  if (!podsOnly && changes === null) return null;
  const limit = Math.max(64, Math.floor(before.pods.length * MOST_CHANGED));
  const diff = diffPods(before.pods, input.pods, limit);
  if (diff === null) return null;
  const plausible = plausibleInstanceTypes(input.extraInstanceTypes ?? []);
  if (plausible.warnings.length > 0) input = { ...input, extraInstanceTypes: [...plausible.types] };
  const { removed, added } = diff;
  const pods = input.pods;
  const nodeCount = input.nodes.length;
  const nodeIndex = changes?.nodeIndex ?? memo.nodeIndex;
  const grouping = changes?.grouping ?? memo.grouping;
  // Previous node position -> position now (null: the same).
  const newOf = changes === null || changes.samePlaces ? null : changes.newOf;

  // The nodes to place again: the changed ones, each changed pod's own, and the one whose ENI holds its
  // IP (found in the previous numbering: a node whose ENIs changed is changed already).
  const dirty = changes?.dirty ?? new Uint8Array(nodeCount);
  const { byAddress, eniNode } = memo.slots;
  const touch = (pod: PodInput): void => {
    if (!counted(pod)) return;
    const n = pod.nodeName === null ? undefined : nodeIndex.get(pod.nodeName);
    if (n !== undefined) dirty[n] = 1;
    if (pod.hostNetwork || pod.podIp === null) return;
    const at = slotAt(byAddress, pod.podIp);
    if (at < 0) return;
    const owner = eniNode[byAddress.enis[at]!]!;
    const now = newOf === null ? owner : newOf[owner]!;
    if (now >= 0) dirty[now] = 1;
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
  // Pods to place again besides those on the nodes to place again: the added ones on no known node,
  // those of nodes removed, and those on unknown nodes that a node added now names.
  const again = new Uint8Array(pods.length);
  const isAdded = new Uint8Array(pods.length);
  for (const j of added) {
    isAdded[j] = 1;
    if (counted(pods[j]!)) again[j] = 1;
  }
  // Pods in the lists of pods off every ENI or on unknown nodes, which a changed node's slots could
  // now hold: checked once the slots are numbered.
  const listedKept: number[] = [];
  if (changes?.any === true) {
    const listed = POD_UNKNOWN_NODE | POD_UNPLACED | POD_IPV6;
    for (let j = 0; j < pods.length; j++) {
      const node = podNode[j]!;
      if (newOf !== null && node >= 0) {
        podNode[j] = newOf[node]!;
        if (podNode[j]! < 0) again[j] = 1;
      }
      if ((podFlags[j]! & listed) === 0 || again[j] === 1) continue;
      const pod = pods[j]!;
      const named = pod.nodeName === null ? undefined : nodeIndex.get(pod.nodeName);
      if ((podFlags[j]! & POD_UNKNOWN_NODE) !== 0 && named !== undefined) {
        again[j] = 1;
        dirty[named] = 1;
      } else if (pod.podIp !== null && !pod.hostNetwork) listedKept.push(j);
    }
  }

  // Those nodes drafted again, and the numbering of all slots with their slots.
  const dirtyNodes: number[] = [];
  for (let n = 0; n < nodeCount; n++) if (dirty[n] === 1) dirtyNodes.push(n);
  if (changes !== null && dirtyNodes.length > Math.max(16, nodeCount * 0.05)) return null;
  const subAt: number[] = [];
  for (let j = 0; j < pods.length; j++) {
    const node = podNode[j]!;
    if (again[j] === 1 || (isAdded[j] === 0 && node >= 0 && dirty[node] === 1)) subAt.push(j);
  }
  const subPods = subAt.map((j) => pods[j]!);
  const drafted = buildNodeDrafts(
    { ...input, nodes: dirtyNodes.map((n) => input.nodes[n]!), pods: subPods },
    grouping,
    memo.layouts,
  );
  const drafts = drafted.nodes;
  // The previous numbering holds when no node came or went and the drafts have the same ENI layouts.
  let renumbered: Renumbered | null = null;
  if (newOf !== null || !sameLayouts(drafts, dirtyNodes, memo.slots)) {
    renumbered = renumberSlots(
      memo.slots,
      memo.slotPods,
      before.nodes.length,
      changes?.oldOf ?? identity(nodeCount),
      dirty,
      drafts,
    );
    if (renumbered === null) return null;
    // A pod off every ENI whose address a changed node's slot now holds claims it from outside.
    // (One on a changed node is placed again with it.)
    for (const j of listedKept) {
      if (podNode[j]! >= 0 && dirty[podNode[j]!] === 1) continue;
      if (slotAt(renumbered.slots.byAddress, pods[j]!.podIp!) >= 0) return null;
    }
  }

  // Those nodes and pods placed as a cluster of their own: the same slots, so the same placement.
  const table = numberSlots(drafts, null);
  const sub = placePods(drafts, table, subPods, input.events, null);
  if (sub.duplicates.length > 0 || sub.misplaced.length > 0 || sub.nodelessSlots > 0) return null;
  const oldNodes: NodeReport[] = [];
  for (const n of dirtyNodes) {
    const o = changes === null ? n : changes.oldOf[n]!;
    if (o >= 0) oldNodes.push(previous.nodes[o]!);
  }
  const subNodes = assembleNodes(drafts, sub, subPods, oldNodes, null);

  // The slots of those nodes in the build's numbering of all slots.
  let slotPods: SlotPods;
  if (renumbered !== null) {
    const all = renumbered.slotPods;
    let e = 0;
    for (const draft of drafts) {
      for (const eni of draft.enis) {
        const first = renumbered.firstSlots[e++]!;
        for (let s = 0; s < eni.layout.ips.length; s++) all[first + s] = sub.slotPods[eni.firstSlot + s]!;
      }
    }
    slotPods = { base: all, changed: new Map() };
  } else {
    const changedSlots = new Map(memo.slotPods.changed);
    const layouts = memo.slots.layouts;
    let e = 0;
    let first = 0;
    for (let k = 0; k < dirtyNodes.length; k++) {
      const n = dirtyNodes[k]!;
      while (e < eniNode.length && eniNode[e]! < n) first += layouts[e++]!.ips.length;
      for (const eni of drafts[k]!.enis) {
        const length = eni.layout.ips.length;
        for (let s = 0; s < length; s++) changedSlots.set(first + s, sub.slotPods[eni.firstSlot + s]!);
        first += length;
        e++;
      }
    }
    slotPods =
      changedSlots.size > MOST_SLOTS_CHANGED
        ? { base: slotPodsArray({ base: memo.slotPods.base, changed: changedSlots }), changed: new Map() }
        : { base: memo.slotPods.base, changed: changedSlots };
  }
  let nodes: NodeReport[];
  let nodesChanged = false;
  if (newOf === null) {
    nodes = previous.nodes.slice();
    for (let k = 0; k < dirtyNodes.length; k++) {
      if (nodes[dirtyNodes[k]!] !== subNodes[k]) nodesChanged = true;
      nodes[dirtyNodes[k]!] = subNodes[k]!;
    }
  } else {
    nodesChanged = true;
    nodes = new Array<NodeReport>(nodeCount);
    let k = 0;
    for (let n = 0; n < nodeCount; n++)
      nodes[n] = dirty[n] === 1 ? subNodes[k++]! : previous.nodes[changes!.oldOf[n]!]!;
  }

  // Each pod placed again: a kept one keeps its reports' places (whether it has a pod report and a
  // pending one depends on the pod alone), its report made again when its node or ENI changed; an added
  // one brings its reports.
  const addedPods: { index: number; item: PodReport }[] = [];
  const addedPending: { index: number; item: PendingPodReport }[] = [];
  const keptAt: number[] = [];
  const keptReports: PodReport[] = [];
  {
    const lists = POD_REPORT | POD_PENDING;
    let subPod = 0;
    let subPending = 0;
    for (let s = 0; s < subAt.length; s++) {
      const j = subAt[s]!;
      const flags = sub.podFlags[s]!;
      const wasAdded = isAdded[j] === 1;
      // A kept pod on an unchanged node comes out as before: its placement depends on nothing else.
      if (
        !wasAdded &&
        (changes === null ? podFlags[j] !== flags : (podFlags[j]! & lists) !== (flags & lists))
      )
        return null;
      podNode[j] = sub.podNode[s]! >= 0 ? dirtyNodes[sub.podNode[s]!]! : -1;
      podFlags[j] = flags;
      if ((flags & POD_REPORT) !== 0) subPod++;
      if ((flags & POD_PENDING) !== 0) subPending++;
      if (!wasAdded) {
        if (changes !== null && (flags & POD_REPORT) !== 0) {
          keptAt.push(j);
          keptReports.push(sub.pods[subPod - 1]!);
        }
        continue;
      }
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
  let podReports = edited(previous.pods, goneReports, addedPods);
  if (keptAt.length > 0) {
    // A kept pod's report names its node and ENI: the same unless they changed.
    const at = ranks(podFlags, keptAt, POD_REPORT);
    for (let k = 0; k < at.length; k++) {
      const old = podReports[at[k]!.index]!;
      const now = keptReports[k]!;
      if (old === now || samePodReport(old, now)) continue;
      if (podReports === previous.pods) podReports = podReports.slice();
      podReports[at[k]!.index] = now;
    }
  }
  let pending = edited(previous.pending, gonePending, addedPending);
  if (!sameItems(input.events, before.events) && pending.length > 0) {
    // New events can change why a pod waits.
    const events: Map<PodKey, EventInput[]> = eventsByPod(input.events);
    const waiting: number[] = [];
    for (let j = 0; j < pods.length; j++) if ((podFlags[j]! & POD_PENDING) !== 0) waiting.push(j);
    pending = waiting.map((j, k) => pendingReport(pods[j]!, events, pending[k]!));
  }

  // The lists of pods off every ENI or on unknown nodes: read again only when such a pod changed, or a
  // node did.
  const listed = POD_UNKNOWN_NODE | POD_IPV6 | POD_UNPLACED;
  let hostNetworkPods = memo.lists.hostNetworkPods;
  let relist = changes?.any === true;
  for (const i of removed) {
    if ((memo.podFlags[i]! & POD_HOST) !== 0) hostNetworkPods--;
    if ((memo.podFlags[i]! & listed) !== 0) relist = true;
  }
  for (const j of added) {
    if ((podFlags[j]! & POD_HOST) !== 0) hostNetworkPods++;
    if ((podFlags[j]! & listed) !== 0) relist = true;
  }
  const lists = relist ? listsOf(pods, podFlags) : { ...memo.lists, hostNetworkPods };
  // The nodes before and after, pair by pair; a node removed has no after, one added no before.
  const remadeBefore: (NodeReport | null)[] = [];
  const remadeAfter: (NodeReport | null)[] = [];
  for (let k = 0; k < dirtyNodes.length; k++) {
    const o = changes === null ? dirtyNodes[k]! : changes.oldOf[dirtyNodes[k]!]!;
    remadeBefore.push(o >= 0 ? previous.nodes[o]! : null);
    remadeAfter.push(subNodes[k]!);
  }
  for (const o of changes?.removed ?? []) {
    remadeBefore.push(previous.nodes[o]!);
    remadeAfter.push(null);
  }
  let nodeFacts: NodeChanges & { slots: SlotNumbering; facts: NodeFacts[] } = null!;
  if (changes !== null) {
    // Every ENI EC2 let go of needs no layout; every changed node's ENIs have theirs.
    for (const eni of changes.enisGone) memo.layouts.delete(eni);
    for (const [eni, layout] of drafted.layouts) memo.layouts.set(eni, layout);
    const facts = newOf === null ? memo.facts.slice() : Array.from(changes.oldOf, (o) => memo.facts[o]!);
    dirtyNodes.forEach((n, k) => {
      facts[n] = drafted.facts[k]!;
    });
    nodeFacts = { ...changes, slots: renumbered?.slots ?? memo.slots, facts };
  }
  return {
    input,
    placed: {
      podKeys: null,
      nodes: nodesChanged ? nodes : previous.nodes,
      pending: sameOrPrevious(pending, previous.pending),
      pods: podReports,
      slotPods,
      podNode,
      podFlags,
      podsIndependent: true,
      lists,
    },
    remade: { before: remadeBefore, after: remadeAfter },
    nodes: changes === null ? null : nodeFacts,
  };
}

/** 0, 1, ... count - 1: every node where it was. */
function identity(count: number): Int32Array {
  const out = new Int32Array(count);
  for (let n = 0; n < count; n++) out[n] = n;
  return out;
}

/** The drafts of the nodes at `positions` (no node added or removed) have the ENI layouts the
 * previous numbering has there, in order: that numbering still holds. */
function sameLayouts(
  drafts: readonly NodeDraft[],
  positions: readonly number[],
  slots: SlotNumbering,
): boolean {
  const { layouts, eniNode } = slots;
  let e = 0;
  for (let k = 0; k < positions.length; k++) {
    const n = positions[k]!;
    while (e < eniNode.length && eniNode[e]! < n) e++;
    for (const eni of drafts[k]!.enis) {
      if (e >= eniNode.length || eniNode[e] !== n || layouts[e] !== eni.layout) return false;
      e++;
    }
    if (e < eniNode.length && eniNode[e] === n) return false;
  }
  return true;
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
