// Every pod on the ENI slot that holds its IP; hostNetwork pods on their node; Pending pods diagnosed.
import { diagnosePending } from "./diagnosis.ts";
import { parseIpv4 } from "./ipv4.ts";
import { SlotIndex } from "./slotIndex.ts";
import type {
  EniReport,
  EventInput,
  NodeReport,
  PendingPodReport,
  PodInput,
  PodKey,
  PodReport,
} from "./types.ts";

export interface Placement {
  pods: PodReport[];
  pending: PendingPodReport[];
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

/** Fills the slots, pod counts and IP totals of `nodes` (and their ENIs) from the pods. */
export function placePods(
  nodes: NodeReport[],
  inputPods: readonly PodInput[],
  events: readonly EventInput[],
): Placement {
  const nodesByName = new Map<string, NodeReport>();
  for (const node of nodes) nodesByName.set(node.name, node);
  // Slot number (SlotIndex) -> its ENI (ordinal in `enis` below) and its place in that ENI's slots.
  const enis: EniReport[] = [];
  const eniNode: NodeReport[] = [];
  let slotCount = 0;
  for (const node of nodes) {
    for (const eni of node.enis) {
      enis.push(eni);
      eniNode.push(node);
      slotCount += eni.slots.length;
    }
  }
  const slotsByIp = new SlotIndex(slotCount);
  const slotEni = new Int32Array(slotCount);
  const slotInEni = new Int32Array(slotCount);
  for (let e = 0; e < enis.length; e++) {
    const slots = enis[e]!.slots;
    for (let i = 0; i < slots.length; i++) {
      const n = parseIpv4(slots[i]!.ip);
      if (n === null) continue;
      const at = slotsByIp.add(n);
      slotEni[at] = e;
      slotInEni[at] = i;
    }
  }

  const eventsByPod = new Map<PodKey, EventInput[]>();
  for (const event of events) {
    if (event.kind !== "Pod") continue;
    const key = podKey(event.namespace, event.name);
    const list = eventsByPod.get(key);
    if (list === undefined) eventsByPod.set(key, [event]);
    else list.push(event);
  }

  const pods: PodReport[] = [];
  const pending: PendingPodReport[] = [];
  const unplaced: string[] = [];
  const ipv6: string[] = [];
  const misplaced: string[] = [];
  const duplicates: string[] = [];
  let hostNetworkPods = 0;
  for (const pod of inputPods) {
    // Finished pods keep status.podIP, but the CNI released it: it may already belong to a running pod.
    if (pod.phase === "Succeeded" || pod.phase === "Failed") continue;
    const key = podKey(pod.namespace, pod.name);
    const node = pod.nodeName !== null ? nodesByName.get(pod.nodeName) : undefined;
    if (node !== undefined) {
      node.pods++;
      if (pod.phase === "Running") node.podsRunning++;
    }
    if (pod.hostNetwork) {
      hostNetworkPods++;
      node?.hostNetworkPods.push({ namespace: pod.namespace, name: pod.name });
    } else if (pod.podIp !== null) {
      const n = parseIpv4(pod.podIp);
      const at = n === null ? undefined : slotsByIp.find(n);
      let eniId: string | null = null;
      if (n === null && pod.podIp.includes(":")) {
        ipv6.push(key);
      } else if (at === undefined) {
        unplaced.push(`${key} (${pod.podIp})`);
      } else {
        const eni = enis[slotEni[at]!]!;
        const owner = eniNode[slotEni[at]!]!;
        const slot = eni.slots[slotInEni[at]!]!;
        if (slot.pod !== null) {
          duplicates.push(`${pod.podIp} claimed by ${slot.pod} and ${key}`);
        } else {
          slot.pod = key;
          eniId = eni.id;
          if (pod.nodeName !== null && owner.name !== pod.nodeName) {
            misplaced.push(`${key} on ${pod.nodeName} has ${pod.podIp} of ${eni.id} on ${owner.name}`);
          }
        }
      }
      pods.push({
        namespace: pod.namespace,
        name: pod.name,
        node: pod.nodeName ?? "",
        ip: pod.podIp,
        eni: eniId,
        phase: pod.phase,
        status: pod.status,
        owner: pod.owner,
        labels: pod.labels,
      });
    } else if (node !== undefined && pod.phase === "Pending") {
      node.podsWaitingForIp++;
    }

    if (pod.phase === "Pending") {
      const diagnosis = diagnosePending(pod, eventsByPod.get(key));
      pending.push({
        namespace: pod.namespace,
        name: pod.name,
        node: pod.nodeName,
        reason: diagnosis.reason,
        message: diagnosis.message,
        status: pod.status,
        owner: pod.owner,
        since: pod.createdAt,
      });
    }
  }

  for (const node of nodes) {
    for (const eni of node.enis) {
      let used = 0;
      for (const slot of eni.slots) if (slot.pod !== null) used++;
      eni.ipsUsed = used;
      eni.ipsWarm = eni.podCapacity ? eni.ipsAssigned - used : 0;
      if (eni.podCapacity) {
        node.ipsAssigned += eni.ipsAssigned;
        node.ipsUsed += used;
        node.ipsWarm += eni.ipsWarm;
      }
    }
  }
  return { pods, pending, hostNetworkPods, unplaced, misplaced, duplicates, ipv6 };
}
