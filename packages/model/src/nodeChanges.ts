// Which nodes a rebuild must make again when nodes or EC2 data changed, not only pods: a node added,
// changed (Ready, cordoned, labels, max pods) or removed, and the nodes whose instance or ENIs EC2 handed
// over anew (ENIs attached or detached, IPs or prefixes assigned). Every other node keeps its report,
// its ENIs' slots and its pods' placement; podChanges.ts places the pods of these nodes again.
//
// It returns null, and the caller builds from scratch, where the change reaches past single nodes:
// the cluster's name, region or CNI settings, ENIConfigs, CNINodes, CIDR reservations, the instance-type
// table, subnets other than in their free-address counts, nodes listed in another order, two nodes of
// one name, a capture (assembled by hand), or ENIs that attach to no instance in EC2's sense (branch and
// trunk ENIs, a Fargate pod's ENI): those are found through other ENIs, so one of them changing can move
// another node's ENIs. Past a share of the nodes changed, a full build is as quick.
import { type EniGrouping, groupEnisByInstance } from "./enis.ts";
import { diffList } from "./listDiff.ts";
import { sameData, sameFields, sameItems, sameItemsBy } from "./sameInput.ts";
import type { ClusterInput, EniInput, NodeReport, SubnetInput } from "./types.ts";

// More nodes changed than this share (and at least MIN_NODES), and a full build is as quick.
const MOST_NODES_CHANGED = 0.05;
const MIN_NODES = 16;

export interface NodeChanges {
  /** Per input node, its position in the previous build; -1 for a node added. */
  oldOf: Int32Array;
  /** Per previous node, its position now; -1 for a node removed. */
  newOf: Int32Array;
  /** No node added or removed: every node is where it was. */
  samePlaces: boolean;
  /** Per input node, 1 when it must be made again. */
  dirty: Uint8Array;
  /** Any node is made again or removed for what changed in nodes or EC2 (pods aside). */
  any: boolean;
  /** Previous positions of the nodes removed. */
  removed: number[];
  /** Node name -> position now. */
  nodeIndex: Map<string, number>;
  grouping: EniGrouping;
  /** The ENIs EC2 no longer lists, or lists as another object: their layouts are let go. */
  enisGone: EniInput[];
  /** Subnets of ENIs that changed: their address maps are made again. */
  subnets: Set<string>;
  /** Instances changed, or nodes came or went: which subnets are in use must be found again. */
  usedAgain: boolean;
  /** The subnets, when they were read again (free-address counts changed). */
  subnetInputs: readonly SubnetInput[] | null;
}

/** Subnets equal but for their free-address counts, which change with every IP EC2 hands out. */
function sameSubnet(a: SubnetInput, b: SubnetInput): boolean {
  return sameData({ ...a, availableIps: 0 }, { ...b, availableIps: 0 });
}

/** Everything but nodes, instances, ENIs, free-address counts, pods, events and released IPs is what
 * the previous build read. */
export function sameSettings(before: ClusterInput, input: ClusterInput): boolean {
  return (
    input.capturedAt === undefined &&
    before.capturedAt === undefined &&
    input.clusterName === before.clusterName &&
    input.region === before.region &&
    sameFields(input.cni, before.cni) &&
    sameItemsBy(input.subnets, before.subnets, sameSubnet) &&
    sameItems(input.extraInstanceTypes, before.extraInstanceTypes) &&
    sameItemsBy(input.eniConfigs, before.eniConfigs, sameData) &&
    sameItemsBy(input.cniNodes, before.cniNodes, sameData) &&
    sameItems(input.cidrReservations, before.cidrReservations)
  );
}

const sameId = (a: { id: string }, b: { id: string }): boolean => a.id === b.id;

/**
 * The nodes to make again for `input`, given the previous build's input, its nodes and its node index;
 * null when only a build from scratch is right (see the top of this file).
 */
export function nodeChanges(
  before: ClusterInput,
  input: ClusterInput,
  previousNodes: readonly NodeReport[],
  nodeIndex: ReadonlyMap<string, number>,
  grouping: EniGrouping,
): NodeChanges | null {
  if (!sameSettings(before, input)) return null;
  const limit = Math.max(MIN_NODES, Math.floor(before.nodes.length * MOST_NODES_CHANGED));
  const subnets = new Set<string>();
  const dirtyInstances = new Set<string>();
  // The subnets of changed ENIs on instances, by instance: a node's are counted with the node.
  const instanceSubnets = new Map<string, string[]>();
  const enisGone: EniInput[] = [];
  let detachedChanged = false;

  if (!sameItems(input.enis, before.enis)) {
    const diff = diffList(before.enis, input.enis, limit * 4, sameId);
    if (diff === null) return null;
    const changed: EniInput[] = [];
    for (const i of diff.removed) {
      changed.push(before.enis[i]!);
      enisGone.push(before.enis[i]!);
    }
    for (const j of diff.added) changed.push(input.enis[j]!);
    for (const eni of changed) {
      // Load balancers, endpoints and the like are no node's: only subnet maps show them.
      if (eni.interfaceType === "other" || eni.status === "available") {
        subnets.add(eni.subnetId);
        if (eni.status === "available") detachedChanged = true;
        continue;
      }
      if (eni.interfaceType === "branch" || eni.interfaceType === "trunk" || eni.instanceId === null)
        return null;
      dirtyInstances.add(eni.instanceId);
      const list = instanceSubnets.get(eni.instanceId);
      if (list === undefined) instanceSubnets.set(eni.instanceId, [eni.subnetId]);
      else list.push(eni.subnetId);
    }
  }
  let instancesChanged = false;
  if (!sameItems(input.instances, before.instances)) {
    const diff = diffList(before.instances, input.instances, limit * 2, sameId);
    if (diff === null) return null;
    for (const i of diff.removed) dirtyInstances.add(before.instances[i]!.id);
    for (const j of diff.added) dirtyInstances.add(input.instances[j]!.id);
    instancesChanged = diff.removed.length + diff.added.length > 0;
  }

  const count = input.nodes.length;
  const oldOf = new Int32Array(count);
  const newOf = new Int32Array(before.nodes.length).fill(-1);
  const dirty = new Uint8Array(count);
  let changedCount = 0;
  let last = -1;
  for (let j = 0; j < count; j++) {
    const node = input.nodes[j]!;
    // Usually every node is at its place; a node added or removed shifts the rest by one.
    const o =
      j < before.nodes.length && before.nodes[j]!.name === node.name ? j : (nodeIndex.get(node.name) ?? -1);
    oldOf[j] = o;
    let changed = o < 0;
    if (node.instanceId !== null && instanceSubnets.size > 0) instanceSubnets.delete(node.instanceId);
    if (o >= 0) {
      if (o <= last) return null;
      last = o;
      newOf[o] = j;
      const was = previousNodes[o]!.instanceId;
      if (was !== null && instanceSubnets.size > 0) instanceSubnets.delete(was);
      changed =
        (node !== before.nodes[o] && !sameData(node, before.nodes[o])) ||
        (was !== null && dirtyInstances.has(was)) ||
        (node.instanceId !== null && dirtyInstances.has(node.instanceId)) ||
        // Found by its DNS name or IP: another instance may be the one now.
        (node.instanceId === null && instancesChanged);
    }
    if (changed) {
      dirty[j] = 1;
      if (++changedCount > limit) return null;
    }
  }
  const removed: number[] = [];
  for (let o = 0; o < newOf.length; o++) if (newOf[o] === -1) removed.push(o);
  // ENIs of an instance that is no node's are other ENIs in their subnets' maps.
  for (const ids of instanceSubnets.values()) for (const id of ids) subnets.add(id);
  if (changedCount + removed.length > limit) return null;
  const samePlaces = removed.length === 0 && count === before.nodes.length;
  let index = nodeIndex as Map<string, number>;
  if (!samePlaces) {
    index = new Map();
    for (let j = 0; j < count; j++) index.set(input.nodes[j]!.name, j);
    if (index.size !== count) return null;
  }

  return {
    oldOf,
    newOf,
    samePlaces,
    dirty,
    any: changedCount + removed.length > 0,
    removed,
    nodeIndex: index,
    grouping: regrouped(input.enis, grouping, dirtyInstances, detachedChanged) ?? grouping,
    enisGone,
    subnets,
    usedAgain: instancesChanged || !samePlaces,
    subnetInputs: sameItems(input.subnets, before.subnets) ? null : input.subnets,
  };
}

/** The grouping with the ENI lists of `instances` and the detached ENIs found again in `enis`, as
 * groupEnisByInstance would make them; null when nothing changed. */
function regrouped(
  enis: readonly EniInput[],
  grouping: EniGrouping,
  instances: ReadonlySet<string>,
  detachedChanged: boolean,
): EniGrouping | null {
  if (instances.size === 0 && !detachedChanged) return null;
  const byInstance = instances.size === 0 ? grouping.byInstance : new Map(grouping.byInstance);
  const lists = new Map<string, EniInput[]>();
  for (const id of instances) lists.set(id, []);
  const detached: EniInput[] = [];
  for (const eni of enis) {
    if (eni.interfaceType === "other") continue;
    if (eni.status === "available") {
      if (eni.cniManaged && eni.interfaceType !== "branch") detached.push(eni);
      continue;
    }
    if (eni.instanceId === null) continue;
    lists.get(eni.instanceId)?.push(eni);
  }
  for (const [id, list] of lists) {
    // An instance with branch ENIs has them through its trunk: groupEnisByInstance finds those.
    if (grouping.byInstance.get(id)?.some((e) => e.interfaceType === "branch"))
      return groupEnisByInstance(enis);
    if (list.length === 0) byInstance.delete(id);
    else byInstance.set(id, list);
  }
  return {
    byInstance,
    withoutInstance: grouping.withoutInstance,
    detached: detachedChanged ? detached : grouping.detached,
  };
}
