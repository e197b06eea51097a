// One draft per Kubernetes node: its EC2 instance, capacity by ENI and ENIs with their slots, everything
// of its NodeReport but what the pods decide (assemble.ts makes the report once they are placed).
import { capacityFor } from "./capacity.ts";
import { compareEnis, type EniDraft, type EniLayouts, eniDraft, eniRole } from "./enis.ts";
import { resolveInstanceType } from "./limits/lookup.ts";
import type {
  ClusterInput,
  CniConfig,
  EniConfigInput,
  EniInput,
  InstanceInput,
  NodeCapacity,
  NodeInput,
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
  > {
  enis: EniDraft[];
}

export interface NodeDrafts {
  nodes: NodeDraft[];
  /** Instance type -> names of its nodes, for types missing from the table. */
  unknownTypes: Map<string, string[]>;
  /** Nodes with no EC2 instance data. */
  noInstance: string[];
  /** VPCs of the nodes' instances and ENIs: the subnets worth reporting. */
  vpcIds: Set<string>;
  /** The layout of every ENI drafted, for the next build. */
  layouts: EniLayouts;
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

/** The node's ENIs as the report shows them, device slots first. */
function nodeEniDrafts(
  enis: readonly EniInput[],
  capacity: NodeCapacity,
  defaultCard: number,
  customNetworking: boolean,
  previous: EniLayouts | null,
  layouts: EniLayouts,
): EniDraft[] {
  const reports: EniDraft[] = [];
  for (const eni of enis) {
    const role = eniRole(eni);
    // Under custom networking the primary ENI keeps only the node's IP; only the default card is pod
    // capacity unless ENABLE_MULTI_NIC, which eni-view does not model.
    const podCapacity =
      (role === "secondary" || (role === "primary" && !customNetworking)) &&
      eni.networkCardIndex === defaultCard;
    reports.push(
      eniDraft(
        eni,
        { role, podCapacity, slotLimit: podCapacity ? capacity.podIpsPerEni : null },
        previous,
        layouts,
      ),
    );
  }
  return reports.sort(compareEnis);
}

/** `previousLayouts`: the layouts of the previous build, kept for the ENIs given as the same objects. */
export function buildNodeDrafts(
  input: ClusterInput,
  enisByInstance: Map<string, EniInput[]>,
  previousLayouts: EniLayouts | null = null,
): NodeDrafts {
  const { cni } = input;
  const extraTypes = input.extraInstanceTypes ?? [];
  const instances = new InstanceFinder(input.instances);

  // Nodes of one type share their capacity; no_manage and trunk ENIs lower it per node.
  const capacityCache = new Map<string, NodeCapacity[]>();
  const cachedCapacity = (typeName: string, unmanagedEnis: number): NodeCapacity => {
    let byUnmanaged = capacityCache.get(typeName);
    if (byUnmanaged === undefined) {
      byUnmanaged = [];
      capacityCache.set(typeName, byUnmanaged);
    }
    let capacity = byUnmanaged[unmanagedEnis];
    if (capacity === undefined) {
      capacity = capacityFor(
        typeName,
        {
          prefixDelegation: cni.prefixDelegation,
          customNetworking: cni.customNetworking,
          maxEni: cni.maxEni,
          unmanagedEnis,
        },
        extraTypes,
      );
      byUnmanaged[unmanagedEnis] = capacity;
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

  for (const node of input.nodes) {
    const instance = instances.find(node);
    const instanceId = node.instanceId ?? instance?.id ?? null;
    const instanceType = node.instanceType ?? instance?.instanceType ?? null;
    const notes: string[] = [];
    if (instance?.vpcId) vpcIds.add(instance.vpcId);
    if (instanceId === null) {
      notes.push("no EC2 instance found for this node (no aws:/// providerID, no matching instance)");
      noInstance.push(node.name);
    } else if (instance === undefined) {
      notes.push(`instance ${instanceId} is not in the EC2 instances data`);
      noInstance.push(node.name);
    }

    const enis = (instanceId !== null ? enisByInstance.get(instanceId) : undefined) ?? [];
    let unmanaged = 0;
    // A trunk ENI (security groups for pods) takes a device slot that then holds no pod IPs.
    let trunks = 0;
    for (const e of enis) {
      if (e.interfaceType === "trunk") trunks++;
      else if (e.noManage && e.interfaceType === "interface") unmanaged++;
    }
    const typeName = instanceType ?? "";
    const capacity = cachedCapacity(typeName, unmanaged + trunks);
    if (instanceType === null) notes.push("instance type unknown: no label and no EC2 instance data");
    else if (!capacity.known) {
      notes.push(`instance type ${instanceType} is not in the built-in table: max pods by ENI unknown`);
      const list = unknownTypes.get(instanceType);
      if (list === undefined) unknownTypes.set(instanceType, [node.name]);
      else list.push(node.name);
    }
    for (const note of capacity.notes ?? []) if (capacity.known) notes.push(note);
    if (trunks > 0 && capacity.known) {
      notes.push("the trunk ENI (security groups for pods) takes an ENI slot that holds no pod IPs");
    }

    let defaultCard = defaultCards.get(typeName);
    if (defaultCard === undefined) {
      defaultCard = resolveInstanceType(typeName, extraTypes)?.defaultNetworkCardIndex ?? 0;
      defaultCards.set(typeName, defaultCard);
    }
    const eniReports = nodeEniDrafts(
      enis,
      capacity,
      defaultCard,
      cni.customNetworking,
      previousLayouts,
      layouts,
    );
    for (const eni of enis) if (eni.vpcId) vpcIds.add(eni.vpcId);
    // ENIs in device slots of the default card: what the type's ENI limit counts.
    let attachedOnDefaultCard = 0;
    for (const e of eniReports)
      if (e.role !== "branch" && e.input.networkCardIndex === defaultCard) attachedOnDefaultCard++;

    const maxPodsByEni = capacity.maxPods;
    const overcommitted =
      node.allocatablePods !== null && maxPodsByEni !== null && node.allocatablePods > maxPodsByEni;
    if (overcommitted) {
      notes.push(
        `kubelet max pods ${node.allocatablePods} > ${maxPodsByEni} the ENIs can hold: pods past that hang in ContainerCreating`,
      );
    }
    let eniSlotsFree = 0;
    if (capacity.maxEnis !== null) {
      const allowed = cni.maxEni !== null ? Math.min(cni.maxEni, capacity.maxEnis) : capacity.maxEnis;
      eniSlotsFree = Math.max(0, allowed - attachedOnDefaultCard);
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
      ready: node.ready,
      cordoned: node.cordoned,
      maxPods: node.allocatablePods,
      maxPodsByEni,
      capacity,
      overcommitted,
      enis: eniReports,
      eniSlotsFree,
      notes,
      eniConfig: nodeEniConfig(node, cni, eniConfigsByName),
      cniFeatures: featuresByNode.get(node.name) ?? [],
    };
    nodes.push(report);
  }
  return { nodes, unknownTypes, noInstance, vpcIds, layouts };
}
