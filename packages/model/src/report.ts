// buildReport: the cluster as the VPC CNI sees it. Built with maps and sorted indexes in a few linear
// passes, so that it stays fast at 5,000 nodes and 150,000 pods.
import { assembleNodes } from "./assemble.ts";
import { type NodesRemade, type ReportTotals, type SpaceChange, totalsAfter } from "./changedTotals.ts";
import { coolingIps } from "./cooling.ts";
import { distinctInput } from "./distinct.ts";
import { type EniGrouping, type EniLayouts, groupEnisByInstance } from "./enis.ts";
import { listSome } from "./listSome.ts";
import { buildNodeDrafts, listsFromFacts, type NodeFacts } from "./nodeReports.ts";
import { numberSlots, placePods, type SlotNumbering } from "./placement.ts";
import { plausibleInstanceTypes } from "./plausibleLimits.ts";
import { type ChangedPlacement, placeChangedPods, type SlotPods, slotPodsArray } from "./podChanges.ts";
import { type SpaceMemo, withSubnetSpace, withZoneSpace } from "./subnetSpace.ts";
import { detachedEniReport, subnetReports, summarise, zoneReports } from "./totals.ts";
import type {
  ClusterInput,
  DetachedEniReport,
  EniInput,
  NodeReport,
  PendingPodReport,
  PodKey,
  PodReport,
  Report,
  SubnetReport,
} from "./types.ts";

/** What a build knew that the next one can use: a rebuild passes only the previous report. */
export interface BuildMemo {
  /** The input as it was given: a rebuild whose input differs from it only in pods places only those. */
  input: ClusterInput;
  /** The key of each of the report's pods: reusing them saves a full build 150,000 strings. Null after
   * a build that placed only changed pods: keeping the list would copy it at every pod change. */
  podKeys: PodKey[] | null;
  /** Slot layouts by ENI input object: the same object again needs no parsing or sorting. */
  layouts: EniLayouts;
  /** Slot numbering and address order: the same layouts in the same order need no new sort. */
  slots: SlotNumbering;
  /** The nodes the build made, and the pod key in each slot they were made from. */
  nodes: readonly NodeReport[];
  pending: readonly PendingPodReport[];
  slotPods: SlotPods;
  /** Each mapped subnet's counts and what they were counted from. */
  spaces: SpaceMemo;
  /** The summary, the zones (before their subnets' space) and the subnets, for sums after a few nodes. */
  totals: ReportTotals;
  /** The subnets too small for the nodes' next ENI: what the nodes and subnets alone decide. */
  subnetWarnings: string[];
  lists: PlacedLists;
  /** Per input pod, the node it counts on and what it made of the report (placement.ts POD_* bits). */
  podNode: Int32Array;
  podFlags: Uint8Array;
  /** No IP was claimed twice and every pod holding a slot counts on the slot's node: a pod's placement
   * then depends on nothing but itself and the slots, and pods can be placed alone. */
  podsIndependent: boolean;
  /** Per node, what it adds to the cluster-wide lists (unknown types, no instance, VPCs). */
  facts: readonly NodeFacts[];
  /** Node name -> position; null when two nodes share a name (a capture's). */
  nodeIndex: Map<string, number> | null;
  grouping: EniGrouping;
  vpcIds: ReadonlySet<string>;
  /** The warnings the nodes and EC2 data give, before and after the placement's. */
  nodeWarnings: string[];
  eniWarnings: string[];
  detachedEnis: DetachedEniReport[];
}

// By the report's pods list, which a server's topology keeps as it is (a report's own object is not).
const memos = new WeakMap<readonly PodReport[], BuildMemo>();

/** What the build of `report` left for the next one; undefined for a report no build here made. */
export function buildMemoOf(report: Pick<Report, "pods">): BuildMemo | undefined {
  return memos.get(report.pods);
}

/** `next` when it differs from `previous` in any item, else `previous` itself. */
function sameOr<T>(next: T[], previous: readonly T[] | undefined): T[] {
  if (previous === undefined || previous.length !== next.length) return next;
  for (let i = 0; i < next.length; i++) if (next[i] !== previous[i]) return next;
  return previous as T[];
}

export { listSome };

/**
 * Subnets with fewer free addresses than one more ENI's (or /28's) worth: the CNI's next
 * CreateNetworkInterface or AssignPrivateIpAddresses fails there and new pods wait in ContainerCreating.
 */
function lowSubnets(
  subnets: readonly SubnetReport[],
  nodes: readonly NodeReport[],
  prefixDelegation: boolean,
): string[] {
  const needed = new Map<string, number>();
  for (const node of nodes) {
    // A new ENI takes its primary address plus a full load of secondary IPs; with PD a /28 needs 16 in a row.
    const perEni = prefixDelegation ? 16 : (node.capacity.podIpsPerEni ?? 0) + 1;
    for (const eni of node.enis) needed.set(eni.subnetId, Math.max(needed.get(eni.subnetId) ?? 0, perEni));
  }
  const out: string[] = [];
  for (const s of subnets) {
    const want = needed.get(s.id);
    if (want === undefined || s.availableIps >= want) continue;
    out.push(
      `subnet ${s.id}${s.name ? ` (${s.name})` : ""} in ${s.zone ?? "an unknown zone"} has ${s.availableIps} free IP(s), fewer than the ${want} ${prefixDelegation ? "a /28 prefix" : "a new ENI"} takes: pods that need more IPs there will wait in ContainerCreating`,
    );
  }
  return out;
}

/**
 * With prefix delegation a new prefix needs an aligned /28 that is wholly free: a subnet can have free
 * addresses and none, and IPAMD's next prefix then fails with InsufficientCidrBlocks.
 */
function noFreeBlocks(subnets: readonly SubnetReport[]): string[] {
  return subnets
    .filter((s) => s.used && s.space && s.space.freeBlocks28 === 0)
    .map(
      (s) =>
        `subnet ${s.id}${s.name ? ` (${s.name})` : ""} ${s.cidr} has no free /28 (${s.space!.free} free address(es), fragmented): with prefix delegation IPAMD's next prefix fails with InsufficientCidrBlocks; a prefix CIDR reservation keeps /28s for it`,
    );
}

/**
 * Under custom networking a node's pod ENIs go to its ENIConfig's subnet: an ENIConfig that does not exist
 * leaves the node without pod ENIs, and a subnet in another AZ cannot be attached to it.
 */
function eniConfigWarnings(input: ClusterInput, nodes: readonly NodeReport[]): string[] {
  if (!input.cni.customNetworking) return [];
  const subnetZones = new Map(input.subnets.map((s) => [s.id, s.zone]));
  const missing = new Map<string, string[]>();
  const otherZone: string[] = [];
  for (const node of nodes) {
    const ec = node.eniConfig;
    if (ec === null) continue;
    if (!ec.found) {
      const names = missing.get(ec.name);
      if (names === undefined) missing.set(ec.name, [node.name]);
      else names.push(node.name);
      continue;
    }
    const zone = ec.subnetId !== null ? subnetZones.get(ec.subnetId) : undefined;
    if (zone && node.zone && zone !== node.zone) {
      otherZone.push(`${node.name} in ${node.zone} -> ${ec.name} subnet ${ec.subnetId} in ${zone}`);
    }
  }
  const out: string[] = [];
  for (const [name, names] of missing) {
    out.push(
      `custom networking is on but ENIConfig ${name} does not exist (${names.length} node${names.length === 1 ? "" : "s"}: ${listSome(names)}): IPAMD attaches no pod ENIs there`,
    );
  }
  if (otherZone.length > 0) {
    out.push(
      `ENIConfig subnet in another AZ than its node on ${otherZone.length} node(s) (${listSome(otherZone)}): an ENI cannot attach across AZs, so no pod ENIs there`,
    );
  }
  return out;
}

/**
 * The VPC CNI's ENIs on instances that are no node's: an instance whose node was removed between two reads
 * (or that never joined), and ENIs attached to an instance the EC2 data does not even list.
 */
function strayEniWarnings(
  input: ClusterInput,
  nodes: readonly NodeReport[],
  byInstance: ReadonlyMap<string, readonly EniInput[]>,
): string[] {
  const nodeInstances = new Set<string>();
  for (const n of nodes) if (n.instanceId !== null) nodeInstances.add(n.instanceId);
  const stray: [string, EniInput[]][] = [];
  for (const [instanceId, enis] of byInstance) {
    if (nodeInstances.has(instanceId)) continue;
    const cni = enis.filter((e) => e.cniManaged);
    if (cni.length > 0) stray.push([instanceId, cni]);
  }
  // By instance id, not by where EC2 listed them: a rebuild that regroups a few instances (nodeChanges.ts)
  // gives the same text.
  stray.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const noNode: string[] = [];
  const unknownInstance: string[] = [];
  // Made only when some instance is no node's (rare): at 20,000 nodes it is a set of 20,000 ids.
  const listed = stray.length === 0 ? null : new Set(input.instances.map((i) => i.id));
  for (const [instanceId, cni] of stray) {
    if (listed!.has(instanceId))
      noNode.push(`${instanceId} (${cni.length} ENI${cni.length === 1 ? "" : "s"})`);
    else for (const e of cni) unknownInstance.push(`${e.id} on ${instanceId}`);
  }
  const out: string[] = [];
  if (noNode.length > 0) {
    out.push(
      `${noNode.length} instance(s) with the VPC CNI's ENIs but no node (left the cluster, or not joined yet): ${listSome(noNode)}`,
    );
  }
  if (unknownInstance.length > 0) {
    out.push(
      `${unknownInstance.length} CNI ENI(s) attached to an instance that is in neither the node list nor the EC2 instances data: ${listSome(unknownInstance)}`,
    );
  }
  return out;
}

/** Warnings about the inputs and the nodes as drafted, before any pod is placed. */
function clusterWarnings(
  input: ClusterInput,
  nodes: readonly NodeReport[],
  unknownTypes: ReadonlyMap<string, string[]>,
  noInstance: readonly string[],
): string[] {
  const warnings: string[] = [];
  // aws-node runs on Linux EC2 nodes only: Auto Mode, Fargate, hybrid and Windows nodes never have it.
  const cniNodes = nodes.filter((n) => n.kind === "ec2");
  if (!input.cni.detected && (cniNodes.length > 0 || nodes.length === 0)) {
    warnings.push(
      "aws-node DaemonSet not seen: VPC CNI defaults assumed (secondary IPs, WARM_ENI_TARGET=1, no custom networking)",
    );
  }
  const withInstance = nodes.filter((n) => n.instanceId !== null);
  const capture = input.capturedAt !== undefined;
  // Every node but a hybrid one has ENIs in EC2 (a Fargate pod's too): without EC2 data none of them is known.
  const enisUnknown = nodes.filter((n) => !n.enisKnown && n.kind !== "hybrid").length;
  if (input.enis.length === 0 && input.instances.length === 0 && enisUnknown > 0) {
    warnings.push(
      `${capture ? "the capture has" : "the sources have"} no EC2 data (no ENIs, no instances): ENIs unknown on ${enisUnknown} node(s), their pods listed without ENIs`,
    );
  } else if (withInstance.length > 0 && withInstance.every((n) => n.enis.length === 0)) {
    // Every EC2 node has a primary ENI, so finding none points at the capture, not the cluster.
    warnings.push(
      input.enis.length === 0
        ? `${capture ? "the capture has" : "the EC2 data has"} no ENIs: ENIs unknown on every node`
        : `none of the ${input.enis.length} ENIs in the EC2 data is attached to a node's instance: was it read from another region, account or VPC?`,
    );
  }
  for (const [type, names] of unknownTypes) {
    warnings.push(
      `instance type ${type} is not in the built-in table (${names.length} node${names.length === 1 ? "" : "s"}: ${listSome(names)}): max pods by ENI unknown`,
    );
  }
  if (noInstance.length > 0 && !(input.enis.length === 0 && input.instances.length === 0)) {
    warnings.push(
      `no EC2 instance data for ${noInstance.length} node(s), ENIs unknown: ${listSome(noInstance)}`,
    );
  }
  const overcommitted = nodes.filter((n) => n.overcommitted);
  if (overcommitted.length > 0) {
    warnings.push(
      `kubelet max pods exceeds what the ENIs can hold on ${overcommitted.length} node(s) (${listSome(
        overcommitted.map((n) => `${n.name} ${n.maxPods} > ${(n.maxPodsByEni ?? 0) + (n.branchEnis ?? 0)}`),
      )}): pods past the ENI limit hang in ContainerCreating`,
    );
  }
  return warnings;
}

/** What placing the pods gave the report's lists and warnings. */
export interface PlacedLists {
  onUnknownNodes: readonly string[];
  ipv6: readonly string[];
  unplaced: readonly string[];
  misplaced: readonly string[];
  duplicates: readonly string[];
  hostNetworkPods: number;
}

/** A build's pods placed and nodes made, with what the next build keeps of them. */
export type Placed = Pick<
  BuildMemo,
  "podKeys" | "nodes" | "pending" | "slotPods" | "podNode" | "podFlags" | "podsIndependent"
> & { pods: PodReport[]; lists: PlacedLists };

/** What the nodes and the EC2 data alone decide: the same for every build until they change. */
type NodeParts = Omit<BuildMemo, keyof Placed | "spaces" | "totals" | "subnetWarnings" | "lists">;

/**
 * The cluster as the VPC CNI sees it.
 *
 * With `previous` (an earlier result, or a topology made of one), every node, ENI, slot list, slot, pod
 * and pending pod whose content is unchanged is the previous object itself (`===`), so that a diff of
 * the two and a view's redraw can skip it. The result is the same, object for object in content, as a
 * build without `previous`: reuse is decided by comparing the inputs behind each object, and inputs that
 * are the same objects as last time make those comparisons cheap (an ENI given as the same object keeps
 * its parsed and sorted slots). When only pods changed (the same node, ENI, instance and subnet objects),
 * only the changed pods are placed and only their nodes made again (podChanges.ts). Input objects are
 * taken as values: one that changes must come as a new object, never be changed in place between builds.
 * Reports are never modified after they are returned, so sharing them is safe.
 */
export function buildReport(
  input: ClusterInput,
  previous?: Pick<Report, "nodes" | "pods" | "pending">,
): Report {
  const memo = previous === undefined ? undefined : memos.get(previous.pods);
  if (memo !== undefined && memo.nodes === previous!.nodes && memo.pending === previous!.pending) {
    const changed = placeChangedPods(input, previous!, memo);
    if (changed !== null) {
      if (changed.nodes === null)
        return finishReport(changed.input, { ...memo, input }, changed.placed, memo, changed.remade, null);
      return finishRemade(input, changed, memo);
    }
  }
  const given = input;
  // A capture is assembled by hand and may repeat objects; the live sources key every one by name or id.
  const distinct = input.capturedAt === undefined ? { input, warnings: [] } : distinctInput(input);
  input = distinct.input;
  const plausible = plausibleInstanceTypes(input.extraInstanceTypes ?? []);
  if (plausible.warnings.length > 0) input = { ...input, extraInstanceTypes: [...plausible.types] };
  const grouping = groupEnisByInstance(input.enis);
  const { detached } = grouping;
  const {
    nodes: drafts,
    unknownTypes,
    noInstance,
    vpcIds,
    layouts,
    facts,
  } = buildNodeDrafts(input, grouping, memo?.layouts ?? null);
  const table = numberSlots(drafts, memo?.slots ?? null);
  const placed = placePods(
    drafts,
    table,
    input.pods,
    input.events,
    previous === undefined
      ? null
      : { pods: previous.pods, podKeys: memo?.podKeys ?? null, pending: previous.pending },
  );
  // The previous slot lists were made from the same numbering when the slot order was kept.
  const sameSlots =
    memo !== undefined && memo.nodes === previous?.nodes && memo.slots.byAddress === table.byAddress
      ? slotPodsArray(memo.slotPods)
      : null;
  const nodes = sameOr(
    assembleNodes(drafts, placed, input.pods, previous?.nodes ?? null, sameSlots),
    previous?.nodes,
  );
  const nodeIndex = new Map<string, number>();
  for (let n = 0; n < drafts.length; n++) nodeIndex.set(drafts[n]!.name, n);

  const parts: NodeParts = {
    input: given,
    layouts,
    slots: { layouts: table.layouts, eniNode: table.eniNode, byAddress: table.byAddress },
    nodeIndex: nodeIndex.size === drafts.length ? nodeIndex : null,
    grouping,
    vpcIds,
    facts,
    ...nodeWarningsOf(input, nodes, grouping, { unknownTypes, noInstance }, distinct.warnings, plausible),
    detachedEnis: detached.map(detachedEniReport),
  };
  return finishReport(
    input,
    parts,
    {
      podKeys: placed.podKeys,
      nodes,
      pending: sameOr(placed.pending, previous?.pending),
      pods: sameOr(placed.pods, previous?.pods),
      slotPods: { base: placed.slotPods, changed: new Map() },
      podNode: placed.podNode,
      podFlags: placed.podFlags,
      podsIndependent:
        placed.duplicates.length === 0 && placed.misplaced.length === 0 && placed.nodelessSlots === 0,
      lists: placed,
    },
    memo ?? null,
    null,
    null,
  );
}

/** The warnings the nodes and EC2 data give, before and after the placement's. */
function nodeWarningsOf(
  input: ClusterInput,
  nodes: readonly NodeReport[],
  grouping: EniGrouping,
  lists: { unknownTypes: ReadonlyMap<string, string[]>; noInstance: readonly string[] },
  distinctWarnings: readonly string[],
  plausible: ReturnType<typeof plausibleInstanceTypes>,
): Pick<BuildMemo, "nodeWarnings" | "eniWarnings"> {
  const nodeWarnings = [
    ...distinctWarnings,
    ...plausible.warnings,
    // A refused type has its own warning; it is not "missing from the table".
    ...clusterWarnings(
      input,
      nodes,
      new Map([...lists.unknownTypes].filter(([type]) => !plausible.refused.has(type))),
      lists.noInstance,
    ),
    ...strayEniWarnings(input, nodes, grouping.byInstance),
  ];
  const eniWarnings: string[] = [];
  const { detached } = grouping;
  if (detached.length > 0) {
    eniWarnings.push(
      `${detached.length} CNI ENI(s) detached (status available), holding subnet IPs: ${listSome(detached.map((e) => e.id))}`,
    );
  }
  eniWarnings.push(...eniConfigWarnings(input, nodes));
  return { nodeWarnings, eniWarnings };
}

/** The report after a few nodes were made again, added or removed (nodeChanges.ts): the node-wide
 * warnings from every node's report and facts, the sums changed by those nodes. */
function finishRemade(given: ClusterInput, changed: ChangedPlacement, memo: BuildMemo): Report {
  const change = changed.nodes!;
  const input = changed.input;
  const nodes = changed.placed.nodes;
  const lists = listsFromFacts(input.nodes, change.facts);
  const sameVpcs =
    lists.vpcIds.size === memo.vpcIds.size && [...lists.vpcIds].every((v) => memo.vpcIds.has(v));
  const { grouping } = change;
  const parts: NodeParts = {
    input: given,
    layouts: memo.layouts,
    slots: change.slots,
    nodeIndex: change.nodeIndex,
    grouping,
    vpcIds: sameVpcs ? memo.vpcIds : lists.vpcIds,
    facts: change.facts,
    ...nodeWarningsOf(
      input,
      nodes,
      grouping,
      lists,
      [],
      plausibleInstanceTypes(given.extraInstanceTypes ?? []),
    ),
    detachedEnis:
      grouping.detached === memo.grouping.detached
        ? memo.detachedEnis
        : grouping.detached.map(detachedEniReport),
  };
  const space: SpaceChange = {
    input,
    nodes,
    subnets: change.subnets,
    usedAgain: change.usedAgain,
    subnetInputs: change.subnetInputs,
  };
  // Other VPCs report other subnets: sums from scratch.
  return finishReport(input, parts, changed.placed, memo, sameVpcs ? changed.remade : null, space);
}

/** The report from placed pods and made nodes: warnings, subnets, zones and totals; remembered for the
 * next build. After a few nodes were made again (`remade`), the sums are the previous ones changed by
 * those nodes. */
function finishReport(
  input: ClusterInput,
  parts: NodeParts,
  placed: Placed,
  previous: Pick<BuildMemo, "spaces" | "totals" | "subnetWarnings"> | null,
  remade: NodesRemade | null,
  change: SpaceChange | null,
): Report {
  const { pods, lists } = placed;
  // Reports are never modified once made: the memo's read-only lists are the report's own.
  const nodes = placed.nodes as NodeReport[];
  const pending = placed.pending as PendingPodReport[];
  const warnings = [...parts.nodeWarnings];
  if (lists.onUnknownNodes.length > 0) {
    warnings.push(
      `${lists.onUnknownNodes.length} pod(s) on node(s) not in the node list (removed between two reads?), counted under no node: ${listSome(lists.onUnknownNodes)}`,
    );
  }
  if (lists.ipv6.length > 0) {
    warnings.push(
      `${lists.ipv6.length} pod IPv6 address(es) in no /80 prefix of their node's ENIs: ${listSome(lists.ipv6)}`,
    );
  }
  if (lists.unplaced.length > 0) {
    warnings.push(`${lists.unplaced.length} pod IP(s) found on no ENI: ${listSome(lists.unplaced)}`);
  }
  if (lists.misplaced.length > 0) {
    warnings.push(
      `${lists.misplaced.length} pod(s) hold an IP of another node's ENI: ${listSome(lists.misplaced)}`,
    );
  }
  if (lists.duplicates.length > 0) {
    warnings.push(
      `${lists.duplicates.length} IP(s) claimed by more than one running pod: ${listSome(lists.duplicates)}`,
    );
  }
  warnings.push(...parts.eniWarnings);

  const extra = {
    hostNetworkPods: lists.hostNetworkPods,
    podsOnUnknownNodes: lists.onUnknownNodes.length,
    unplacedPods: lists.unplaced.length,
    detachedEnis: parts.detachedEnis.length,
  };
  const nodeIndex = parts.nodeIndex;
  let totals =
    remade === null || previous === null || nodeIndex === null
      ? null
      : totalsAfter(
          previous.totals,
          remade,
          pending,
          (name) => {
            const n = nodeIndex.get(name);
            return n === undefined ? undefined : nodes[n]!.zone;
          },
          extra,
          change,
        );
  let subnetWarnings: string[];
  if (totals !== null && change === null) {
    // The same nodes' ENIs in the same subnets: the same subnets too small.
    subnetWarnings = previous!.subnetWarnings;
  } else if (totals === null) {
    const spaces: SpaceMemo = new Map();
    const subnets = withSubnetSpace(subnetReports(input.subnets, nodes, parts.vpcIds), input, nodes, {
      previous: previous?.spaces ?? null,
      next: spaces,
    });
    totals = {
      summary: summarise(nodes, pending, extra),
      zones: zoneReports(nodes, pending, subnets),
      subnets,
      spaces,
    };
    subnetWarnings = lowSubnets(subnets, nodes, input.cni.prefixDelegation);
  } else {
    // Nodes, ENIs or free-address counts changed: the subnets too small are found again.
    subnetWarnings = lowSubnets(totals.subnets, nodes, input.cni.prefixDelegation);
  }
  const { subnets, summary } = totals;
  memos.set(pods, { ...parts, ...placed, spaces: totals.spaces, totals, subnetWarnings, lists });
  warnings.push(...subnetWarnings);
  if (input.cni.prefixDelegation) warnings.push(...noFreeBlocks(subnets));
  const cooling = coolingIps(input.releasedIps, nodes);
  return {
    cluster: {
      name: input.clusterName,
      region: input.region,
      cni: input.cni,
      ...(input.capturedAt !== undefined ? { capturedAt: input.capturedAt } : {}),
    },
    summary,
    nodes,
    pods,
    pending,
    subnets,
    zones: withZoneSpace(totals.zones, subnets),
    detachedEnis: parts.detachedEnis,
    ...(cooling.length > 0 ? { cooling } : {}),
    warnings,
  };
}
