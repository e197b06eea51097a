// One draft per Kubernetes node: its EC2 instance, capacity by ENI and ENIs with their slots, everything
// of its NodeReport but what the pods decide (assemble.ts makes the report once they are placed).
import { compareEnis, type EniDraft, type EniGrouping, type EniLayouts, eniDraft, eniRole } from "./enis.ts";
import { resolveInstanceType } from "./limits/lookup.ts";
import {
  isInstanceKind,
  KIND_LABELS,
  type KindCapacityOptions,
  kindCapacity,
  nodeKindOf,
} from "./nodeKinds.ts";
import type {
  ClusterInput,
  CniConfig,
  EniConfigInput,
  EniInput,
  InstanceInput,
  NodeCapacity,
  NodeInput,
  NodeKind,
  NodeReport,
} from "./types.ts";

/** The default node label and annotation key naming a node's ENIConfig. */
export const ENI_CONFIG_KEY = "k8s.amazonaws.com/eniConfig";

/** The ENIConfig name a node asks for, as IPAMD picks it: the annotation first, then the label. */
export function eniConfigNameOf(node: NodeInput, cni: CniConfig): string | null {
  // NodeInput keeps only the one annotation value its mapping was told to read.
  if (node.eniConfigAnnotation) return node.eniConfigAnnotation;
  const label = node.labels?.[cni.eniConfigLabelDef ?? ENI_CONFIG_KEY];
  return label ? label : null;
}

function nodeEniConfig(
  node: NodeInput,
  cni: CniConfig,
  byName: Map<string, EniConfigInput>,
): NodeReport["eniConfig"] {
  const name = eniConfigNameOf(node, cni);
  if (name === null) return null;
  const found = byName.get(name);
  return { name, subnetId: found?.subnet ?? null, found: found !== undefined };
}

/** A NodeReport without what placing the pods decides: pod counts, IP totals, host-network pods. */
export interface NodeDraft
  extends Omit<
    NodeReport,
    | "enis"
    | "ipsAssigned"
    | "ipsUsed"
    | "ipsWarm"
    | "pods"
    | "podsRunning"
    | "hostNetworkPods"
    | "podsWaitingForIp"
    | "podsOffEni"
  > {
  enis: EniDraft[];
}

export interface NodeDrafts {
  nodes: NodeDraft[];
  /** Instance type -> names of its nodes, for types missing from the table. */
  unknownTypes: Map<string, string[]>;
  /** EC2-instance nodes with no EC2 instance data. */
  noInstance: string[];
  /** VPCs of the nodes' instances and ENIs: the subnets worth reporting. */
  vpcIds: Set<string>;
  /** The layout of every ENI drafted, for the next build. */
  layouts: EniLayouts;
  /** Per node, what the lists above took from it: a rebuild that drafts a few nodes again puts the
   * others' in from here. Equal facts are one object. */
  facts: NodeFacts[];
}

/** What one node adds to a build's cluster-wide lists. */
export interface NodeFacts {
  /** Its instance's and ENIs' VPC ids, joined by spaces ("" for none). */
  vpcs: string;
  /** Its instance type when the table lacks it. */
  unknownType: string | null;
  noInstance: boolean;
}

/** The cluster-wide lists from each node's facts, in node order: what buildNodeDrafts gives. */
export function listsFromFacts(
  names: readonly { name: string }[],
  facts: readonly NodeFacts[],
): Pick<NodeDrafts, "unknownTypes" | "noInstance" | "vpcIds"> {
  const unknownTypes = new Map<string, string[]>();
  const noInstance: string[] = [];
  const vpcIds = new Set<string>();
  let lastVpcs = "";
  for (let n = 0; n < facts.length; n++) {
    const f = facts[n]!;
    if (f.vpcs !== lastVpcs && f.vpcs !== "") {
      lastVpcs = f.vpcs;
      for (const id of f.vpcs.split(" ")) vpcIds.add(id);
    }
    if (f.noInstance) noInstance.push(names[n]!.name);
    if (f.unknownType !== null) {
      const list = unknownTypes.get(f.unknownType);
      if (list === undefined) unknownTypes.set(f.unknownType, [names[n]!.name]);
      else list.push(names[n]!.name);
    }
  }
  return { unknownTypes, noInstance, vpcIds };
}

/** The EC2 instance of a node: by its providerID, else by its DNS name or IP (maps made on first need). */
class InstanceFinder {
  private readonly instances: readonly InstanceInput[];
  private readonly byId = new Map<string, InstanceInput>();
  private byDns: Map<string, InstanceInput> | null = null;
  private byIp: Map<string, InstanceInput> | null = null;

  constructor(instances: readonly InstanceInput[]) {
    this.instances = instances;
    for (const instance of instances) this.byId.set(instance.id, instance);
  }

  find(node: NodeInput): InstanceInput | undefined {
    if (node.instanceId !== null) return this.byId.get(node.instanceId);
    if (this.byDns === null || this.byIp === null) {
      this.byDns = new Map();
      this.byIp = new Map();
      for (const instance of this.instances) {
        if (instance.privateDnsName) this.byDns.set(instance.privateDnsName, instance);
        if (instance.privateIp) this.byIp.set(instance.privateIp, instance);
      }
    }
    return (
      this.byDns.get(node.name) ?? (node.internalIp !== null ? this.byIp.get(node.internalIp) : undefined)
    );
  }
}

// By the instances list: a rebuild after pod or node changes drafts a few nodes with the same list, and
// a map of 20,000 instances made for each would cost more than drafting them.
const finders = new WeakMap<readonly InstanceInput[], InstanceFinder>();

/** The node's ENIs as the report shows them, device slots first. */
function nodeEniDrafts(
  enis: readonly EniInput[],
  capacity: NodeCapacity,
  defaultCard: number,
  cni: CniConfig,
  kind: NodeKind,
  previous: EniLayouts | null,
  layouts: EniLayouts,
): EniDraft[] {
  const reports: EniDraft[] = [];
  for (const eni of enis) {
    const role = kind === "fargate" ? "fargate" : eniRole(eni);
    const onDefaultCard = eni.networkCardIndex === defaultCard;
    // Under custom networking the primary ENI keeps only the node's IP. Windows pods use only the primary
    // ENI. Other cards hold pod IPs only when ENABLE_MULTI_NIC lets IPAMD manage them.
    const cardOk = onDefaultCard || (cni.multiNic === true && kind === "ec2");
    const podCapacity =
      role === "fargate" ||
      (cardOk &&
        ((role === "secondary" && kind !== "windows") ||
          (role === "primary" && !(cni.customNetworking && kind === "ec2"))));
    const slotLimit =
      role === "fargate" ? 1 : podCapacity && capacity.mode !== "ipv6-prefix" ? capacity.podIpsPerEni : null;
    reports.push(eniDraft(eni, { role, onDefaultCard, podCapacity, slotLimit }, previous, layouts));
  }
  return reports.sort(compareEnis);
}

/** Auto Mode delegates /28 prefixes unless its NodeClass asks for secondary IPs ("32"): the ENIs tell which. */
function autoModePrefixDelegation(enis: readonly EniInput[]): boolean {
  let secondary = false;
  for (const e of enis) {
    if (e.prefixes.length > 0) return true;
    if (e.secondaryIps.length > 0) secondary = true;
  }
  return !secondary;
}

function hasIpv6Prefix(enis: readonly EniInput[]): boolean {
  for (const e of enis) if ((e.ipv6Prefixes?.length ?? 0) > 0) return true;
  return false;
}

/** `previousLayouts`: the layouts of the previous build, kept for the ENIs given as the same objects. */
export function buildNodeDrafts(
  input: ClusterInput,
  grouping: Pick<EniGrouping, "byInstance" | "withoutInstance">,
  previousLayouts: EniLayouts | null = null,
): NodeDrafts {
  const { cni } = input;
  const extraTypes = input.extraInstanceTypes ?? [];
  let instances = finders.get(input.instances);
  if (instances === undefined) {
    instances = new InstanceFinder(input.instances);
    finders.set(input.instances, instances);
  }

  // Nodes of one type, kind and mode share their capacity; no_manage and trunk ENIs lower it per node.
  const capacityCache = new Map<string, NodeCapacity>();
  const cachedCapacity = (options: KindCapacityOptions & { typeName: string }): NodeCapacity => {
    const key = `${options.typeName}|${options.kind}|${options.ipv6}|${options.prefixDelegation}|${options.unmanagedEnis}|${options.podCidrs?.join(",") ?? ""}`;
    let capacity = capacityCache.get(key);
    if (capacity === undefined) {
      capacity = kindCapacity(options.typeName, options, extraTypes);
      capacityCache.set(key, capacity);
    }
    return capacity;
  };
  const defaultCards = new Map<string, number>();
  const layouts: EniLayouts = new Map();
  const nodes: NodeDraft[] = [];
  const unknownTypes = new Map<string, string[]>();
  const noInstance: string[] = [];
  const vpcIds = new Set<string>();
  const eniConfigsByName = new Map((input.eniConfigs ?? []).map((c) => [c.name, c]));
  const featuresByNode = new Map((input.cniNodes ?? []).map((c) => [c.name, c.features.map((f) => f.name)]));
  const facts: NodeFacts[] = [];
  const factsByKey = new Map<string, NodeFacts>();

  for (const node of input.nodes) {
    const nodeVpcs: string[] = [];
    let unknownType: string | null = null;
    const kind = nodeKindOf(node);
    const onInstance = isInstanceKind(kind);
    const instance = onInstance ? instances.find(node) : undefined;
    const instanceId = onInstance ? (node.instanceId ?? instance?.id ?? null) : null;
    const instanceType = node.instanceType ?? instance?.instanceType ?? null;
    const notes: string[] = [];
    const warnings: string[] = [];
    if (instance?.vpcId) {
      vpcIds.add(instance.vpcId);
      nodeVpcs.push(instance.vpcId);
    }
    if (onInstance && instanceId === null) {
      warnings.push(
        "no EC2 instance found for this node (no aws:/// providerID, no matching instance): ENIs unknown",
      );
      noInstance.push(node.name);
    } else if (onInstance && instance === undefined) {
      warnings.push(`instance ${instanceId} is not in the EC2 instances data: ENIs unknown`);
      noInstance.push(node.name);
    }
    const lacksInstance = onInstance && (instanceId === null || instance === undefined);

    let enis: EniInput[] = [];
    if (instanceId !== null) enis = grouping.byInstance.get(instanceId) ?? [];
    else if (kind === "fargate" && node.internalIp !== null) {
      // A Fargate node's address is its pod's, the primary IP of the ENI Fargate made for it.
      const eni = grouping.withoutInstance.get(node.internalIp);
      if (eni !== undefined) enis = [eni];
    }
    const enisKnown = onInstance ? instance !== undefined || enis.length > 0 : enis.length > 0;
    if (kind === "fargate" && !enisKnown) {
      notes.push("the Fargate pod's ENI is not in the EC2 data: ENIs unknown");
    }
    if (kind === "auto-mode" || kind === "fargate" || kind === "hybrid" || kind === "windows") {
      notes.unshift(`${KIND_LABELS[kind]} node`);
    }
    // Auto Mode replaces node groups with a NodePool (the node group column) and a NodeClass.
    const nodeClass = node.labels?.["eks.amazonaws.com/nodeclass"];
    if (kind === "auto-mode" && nodeClass)
      notes.push(`NodeClass ${nodeClass}: EKS manages the ENIs, no aws-node`);

    const typeName = instanceType ?? "";
    let defaultCard = defaultCards.get(typeName);
    if (defaultCard === undefined) {
      defaultCard = resolveInstanceType(typeName, extraTypes)?.defaultNetworkCardIndex ?? 0;
      defaultCards.set(typeName, defaultCard);
    }
    // IPAMD subtracts the default card's unmanaged ENIs from its ENI limit: those tagged no_manage and the
    // card's EFA-only interface (filterUnmanagedENIs), which AWS's EFA layout puts at device 1 of card 0.
    // A trunk ENI (security groups for pods) takes a device slot that then holds no pod IPs too.
    let unmanaged = 0;
    let efaOnly = 0;
    let trunks = 0;
    for (const e of enis) {
      if (e.interfaceType === "trunk") trunks++;
      else if (e.networkCardIndex !== defaultCard) continue;
      else if (e.interfaceType === "efa-only") efaOnly++;
      else if (
        e.noManage &&
        e.deviceIndex !== 0 &&
        (e.interfaceType === "interface" || e.interfaceType === "efa")
      )
        unmanaged++;
    }
    const ipv6 = (cni.ipv6 === true && onInstance && kind !== "windows") || hasIpv6Prefix(enis);
    // aws-node's ENABLE_PREFIX_DELEGATION is Linux's: Auto Mode's NodeClass and, on Windows, the VPC resource
    // controller's enable-windows-prefix-delegation decide, and the ENIs tell which.
    const prefixDelegation =
      kind === "auto-mode"
        ? autoModePrefixDelegation(enis)
        : kind === "windows"
          ? enis.some((e) => e.prefixes.length > 0)
          : cni.prefixDelegation;
    const capacity = cachedCapacity({
      typeName,
      kind,
      ipv6,
      prefixDelegation,
      customNetworking: cni.customNetworking && kind === "ec2",
      maxEni: kind === "ec2" ? cni.maxEni : null,
      unmanagedEnis: unmanaged + efaOnly + trunks,
      podCidrs: kind === "hybrid" ? (node.podCidrs ?? []) : undefined,
    });
    if (onInstance && instanceType === null)
      notes.push("instance type unknown: no label and no EC2 instance data");
    else if (onInstance && !capacity.known) {
      notes.push(`instance type ${instanceType} is not in the built-in table: max pods by ENI unknown`);
      const list = unknownTypes.get(instanceType!);
      if (list === undefined) unknownTypes.set(instanceType!, [node.name]);
      else list.push(node.name);
      unknownType = instanceType;
    }
    for (const note of capacity.notes ?? []) if (capacity.known) notes.push(note);
    if (trunks > 0 && capacity.known) {
      notes.push("the trunk ENI (security groups for pods) takes an ENI slot that holds no pod IPs");
    }
    if (efaOnly > 0 && capacity.known) {
      notes.push(
        "the EFA-only interface on the default network card takes an ENI slot that holds no pod IPs",
      );
    }
    const eniReports = nodeEniDrafts(enis, capacity, defaultCard, cni, kind, previousLayouts, layouts);
    for (const eni of enis) {
      if (!eni.vpcId) continue;
      vpcIds.add(eni.vpcId);
      if (!nodeVpcs.includes(eni.vpcId)) nodeVpcs.push(eni.vpcId);
    }
    const factsKey = `${nodeVpcs.join(" ")}|${unknownType ?? ""}|${lacksInstance}`;
    let nodeFacts = factsByKey.get(factsKey);
    if (nodeFacts === undefined) {
      nodeFacts = { vpcs: nodeVpcs.join(" "), unknownType, noInstance: lacksInstance };
      factsByKey.set(factsKey, nodeFacts);
    }
    facts.push(nodeFacts);
    // ENIs in device slots of the default card: what the type's ENI limit counts.
    let attachedOnDefaultCard = 0;
    let otherCards = 0;
    for (const e of eniReports) {
      if (e.role === "branch" || e.role === "fargate") continue;
      if (e.onDefaultCard) attachedOnDefaultCard++;
      else otherCards++;
    }
    if (otherCards > 0) {
      notes.push(
        `${otherCards} interface(s) on other network cards (EFA, multi-NIC): ${cni.multiNic ? "ENABLE_MULTI_NIC manages them" : "not pod capacity"}`,
      );
    }

    // Branch ENIs are extra pod capacity on a trunk node: the node's own pod-eni allocatable says how many.
    let branchEnis: number | null = null;
    if (node.podEniCapacity != null && node.podEniCapacity > 0) branchEnis = node.podEniCapacity;
    else if (trunks > 0) branchEnis = resolveInstanceType(typeName, extraTypes)?.branchEnis ?? null;
    const maxPodsByEni = capacity.maxPods;
    const fits = maxPodsByEni === null ? null : maxPodsByEni + (branchEnis ?? 0);
    const overcommitted = node.allocatablePods !== null && fits !== null && node.allocatablePods > fits;
    if (overcommitted) {
      warnings.push(
        `kubelet max pods ${node.allocatablePods} > ${fits} the ENIs can hold${branchEnis ? ` (${maxPodsByEni} + ${branchEnis} branch ENIs)` : ""}: pods past that hang in ContainerCreating`,
      );
    }
    let eniSlotsFree = 0;
    // Windows pods use the primary ENI alone, Fargate has no slots: only ec2 and Auto Mode nodes attach more.
    if (
      capacity.maxEnis !== null &&
      (kind === "ec2" || kind === "auto-mode") &&
      capacity.mode !== "ipv6-prefix"
    ) {
      const allowed =
        kind === "ec2" && cni.maxEni !== null ? Math.min(cni.maxEni, capacity.maxEnis) : capacity.maxEnis;
      eniSlotsFree = enisKnown ? Math.max(0, allowed - attachedOnDefaultCard) : 0;
    }

    const report: NodeDraft = {
      name: node.name,
      instanceId,
      instanceType,
      zone: node.zone ?? instance?.zone ?? null,
      nodeGroup: node.nodeGroup,
      capacityType: node.capacityType,
      internalIp: node.internalIp ?? instance?.privateIp ?? null,
      createdAt: node.createdAt,
      kind,
      ipFamily: ipv6 ? "ipv6" : "ipv4",
      enisKnown,
      branchEnis,
      podCidrs: kind === "hybrid" ? (node.podCidrs ?? []) : [],
      ready: node.ready,
      cordoned: node.cordoned,
      maxPods: node.allocatablePods,
      maxPodsByEni,
      capacity,
      overcommitted,
      enis: eniReports,
      eniSlotsFree,
      notes,
      warnings,
      eniConfig: nodeEniConfig(node, cni, eniConfigsByName),
      cniFeatures: featuresByNode.get(node.name) ?? [],
    };
    nodes.push(report);
  }
  return { nodes, unknownTypes, noInstance, vpcIds, layouts, facts };
}
