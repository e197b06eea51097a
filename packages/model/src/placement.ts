// Every pod on the ENI slot that holds its IP; hostNetwork pods on their node; Pending pods diagnosed.
//
// The pods come in whatever order the source lists them (the Kubernetes API: namespace by namespace),
// not node by node, so writing each pod into its slot object would touch 150,000 objects scattered over
// the heap. Instead every slot has a number (node by node, ENI by ENI, in address order) and placing a pod
// writes its key into a flat array at that number; the slot objects are made afterwards, ENI by ENI
// (assemble.ts). Counters per node are typed arrays for the same reason.
import { diagnosePending } from "./diagnosis.ts";
import type { EniDraft, EniLayout } from "./enis.ts";
import { parseIpv4 } from "./ipv4.ts";
import type { NodeDraft } from "./nodeReports.ts";
import { PreviousItems } from "./previous.ts";
import { SlotIndex } from "./slotIndex.ts";
import type { EventInput, PendingPodReport, PodInput, PodKey, PodReport } from "./types.ts";

/** Every slot of every node's ENIs, numbered, and the index from address to slot. */
export interface SlotTable {
  /** All ENIs, node by node; `EniDraft.firstSlot` says where each one's slots start. */
  enis: EniDraft[];
  /** Their layouts, in the same order: equal lists mean equal numbering and index. */
  layouts: EniLayout[];
  /** ENI (position in `enis`) -> its node (position in the drafts). */
  eniNode: Int32Array;
  slotCount: number;
  /** Address -> slot, and the slot's ENI (position in `enis`). */
  index: SlotIndex;
}

/** What the next build needs of a slot table to use its index again. */
export type SlotNumbering = Pick<SlotTable, "layouts" | "eniNode" | "index">;

/**
 * Numbers the slots of `nodes` (setting each ENI draft's `firstSlot`) and indexes them by address; the
 * previous build's index when the same layouts come in the same order on the same nodes.
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
    if (same) return { enis, layouts, eniNode: previous.eniNode, slotCount, index: previous.index };
  }
  const eniNode = Int32Array.from(owners);
  const index = new SlotIndex(slotCount);
  for (let e = 0; e < enis.length; e++) {
    // In numbering order, so that of two slots holding one address the first keeps it.
    const { addresses } = layouts[e]!;
    const first = enis[e]!.firstSlot;
    for (let i = 0; i < addresses.length; i++) {
      const address = addresses[i]!;
      if (address >= 0) index.add(address, first + i, e);
    }
  }
  return { enis, layouts, eniNode, slotCount, index };
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
  /** Pods with an IPv6 address only: the model places IPv4 addresses. */
  ipv6: string[];
}

function podKey(namespace: string, name: string): PodKey {
  return `${namespace}/${name}`;
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

function samePodReport(a: PodReport, b: PodReport): boolean {
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
    a.since === b.since
  );
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
  const { eniNode, index } = table;

  const eventsByPod = new Map<PodKey, EventInput[]>();
  for (const event of events) {
    if (event.kind !== "Pod") continue;
    const key = podKey(event.namespace, event.name);
    const list = eventsByPod.get(key);
    if (list === undefined) eventsByPod.set(key, [event]);
    else list.push(event);
  }

  const prevPods = previous === null ? null : new PreviousItems(previous.pods, namespaceOf, nameOf, false);
  const prevKeys = previous?.podKeys ?? null;
  const prevPending =
    previous === null ? null : new PreviousItems(previous.pending, namespaceOf, nameOf, false);
  // Positions in `pods` and `pending` of the reports the cursor found no previous one for.
  const podMisses: number[] = [];
  const pendingMisses: number[] = [];

  const slotPods: (PodKey | null)[] = new Array<PodKey | null>(table.slotCount).fill(null);
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
      hostNetworkPods++;
      if (nodeName !== null) {
        node = nodeByName.get(nodeName) ?? -1;
        nodeKnown = true;
        if (node >= 0) {
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
      const address = parseIpv4(ip);
      const bucket = address === null ? -1 : index.find(address);
      let eniId: string | null = null;
      if (address === null && ip.includes(":")) {
        ipv6.push(key);
      } else if (bucket < 0) {
        unplaced.push(`${key} (${ip})`);
      } else {
        const slot = index.slotAt(bucket);
        const holder = slotPods[slot];
        if (typeof holder === "string") {
          duplicates.push(`${ip} claimed by ${holder} and ${key}`);
        } else {
          slotPods[slot] = key;
          const e = index.eniAt(bucket);
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
      podKeys.push(key);
    }
    if (!nodeKnown && nodeName !== null) node = nodeByName.get(nodeName) ?? -1;
    if (node >= 0) {
      podCounts[node]!++;
      if (phase === "Running") runningCounts[node]!++;
      if (phase === "Pending" && !pod.hostNetwork && pod.podIp === null) waitingCounts[node]!++;
    }

    if (phase === "Pending") {
      const diagnosis = diagnosePending(pod, eventsByPod.get(podKey(pod.namespace, pod.name)));
      const before = prevPending === null ? -1 : prevPending.find(pod.namespace, pod.name);
      const old = before >= 0 ? previous!.pending[before]! : null;
      if (
        old !== null &&
        old.node === nodeName &&
        old.reason === diagnosis.reason &&
        old.message === diagnosis.message &&
        old.status === pod.status &&
        old.owner === pod.owner &&
        old.since === pod.createdAt
      ) {
        pending.push(old);
      } else {
        if (before < 0 && prevPending !== null) pendingMisses.push(pending.length);
        pending.push({
          namespace: pod.namespace,
          name: pod.name,
          node: nodeName,
          reason: diagnosis.reason,
          message: diagnosis.message,
          status: pod.status,
          owner: pod.owner,
          since: pod.createdAt,
        });
      }
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
  };
}
