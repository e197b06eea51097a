// The cluster a plan starts from, indexed once: nodes with their ENIs, pods and what the scheduler reads,
// node groups, pods by owner. The seeds all start from it and never change it (new node groups a plan
// defines are added here before the first seed runs).
import { groupEnisByInstance } from "../enis.ts";
import { resolveInstanceType } from "../limits/lookup.ts";
import { plannerEnglish } from "../messages/plannerText.ts";
import { nodeKindOf } from "../nodeKinds.ts";
import { addToUsage, emptyUsage, type NodeUsage, type ScheduleNode } from "../schedule/nodeFit.ts";
import type {
  ClusterInput,
  EniInput,
  InstanceTypeFacts,
  NodeInput,
  PodInput,
  PodScheduling,
  SubnetInput,
  Taint,
} from "../types.ts";
import { PlanInputError } from "./errors.ts";
import type { WorkloadRef } from "./types.ts";

/** A node a plan launches: into a node group, a zone and a subnet, with its kubelet's max pods. */
export interface PlanNodeSpec {
  name: string;
  nodeGroup: string;
  instanceType: string;
  zone: string | null;
  subnetId: string | null;
  maxPods: number;
  cpuMilli: number;
  memoryBytes: number;
  labels: Record<string, string>;
  /** The group's own taints (a managed node group's or instance group's), which new nodes start with. */
  taints: Taint[];
  /** The node it replaces in a roll-over. */
  replaces: string | null;
}

export interface BaseNode {
  input: NodeInput;
  group: string | null;
  facts: InstanceTypeFacts | undefined;
  /** ENIs on network card 0 that IPAMD sees (branch ENIs and other cards left out), by device index. */
  enis: EniInput[];
  /** Pods bound here that count against max pods. */
  pods: PodInput[];
  /** Those of them still waiting for an IP (ContainerCreating). */
  waiting: PodInput[];
  sched: ScheduleNode;
  usage: NodeUsage;
  /** The subnet of the node's primary ENI (else its instance's). */
  subnetId: string | null;
  /** An EC2 node with known ENIs and instance type: its IPAMD is stepped. */
  ipam: boolean;
}

export interface GroupInfo {
  name: string;
  instanceType: string;
  provisioner: "eks" | "kops";
  /** Subnets the group's nodes are in (primary ENIs), by zone name. */
  subnets: string[];
  /** kubelet max pods set for the group (its nodes' differs from the formula); null: computed per node. */
  explicitMaxPods: number | null;
  labels: Record<string, string>;
  /** The taints its nodes were given at launch; the ones controllers add (node.kubernetes.io/...) left out. */
  taints: Taint[];
}

/** Scheduling for a pod whose source gave none: one container requesting nothing. */
export const NO_REQUESTS: PodScheduling = {
  cpuMilli: 0,
  memoryBytes: 0,
  podEni: 0,
  cpuScoreMilli: 100,
  memoryScoreBytes: 200 * 1024 * 1024,
  nodeSelector: null,
  nodeAffinity: null,
  preferredAffinity: null,
  tolerations: null,
  priority: 0,
};

export function podKey(p: { namespace: string; name: string }): string {
  return `${p.namespace}/${p.name}`;
}

// One key string per namespace and owner: a big cluster's pods share a few thousand.
const ownerKeys = new Map<string, Map<string, string>>();

/** The owner the scheduler spreads by: namespace and controller. */
export function ownerKey(p: PodInput): string | null {
  if (p.owner === null) return null;
  let byOwner = ownerKeys.get(p.namespace);
  if (byOwner === undefined) {
    if (ownerKeys.size > 10_000) ownerKeys.clear();
    byOwner = new Map();
    ownerKeys.set(p.namespace, byOwner);
  }
  let key = byOwner.get(p.owner);
  if (key === undefined) {
    key = `${p.namespace}/${p.owner}`;
    byOwner.set(p.owner, key);
  }
  return key;
}

export function counted(p: PodInput): boolean {
  return p.phase !== "Succeeded" && p.phase !== "Failed";
}

// Taints the node lifecycle controller, the cloud provider or an autoscaler adds, not the group's launch
// template: node.kubernetes.io/*, node.cloudprovider.kubernetes.io/*, ToBeDeletedByClusterAutoscaler...
const CONTROLLER_TAINT =
  /^(node\.kubernetes\.io\/|node\.cloudprovider\.kubernetes\.io\/|ToBeDeletedByClusterAutoscaler$|DeletionCandidateOfClusterAutoscaler$|karpenter\.sh\/disrupted$)/;

const NODE_SPECIFIC_LABELS = [
  "kubernetes.io/hostname",
  "topology.kubernetes.io/zone",
  "failure-domain.beta.kubernetes.io/zone",
  "topology.ebs.csi.aws.com/zone",
  "node.kubernetes.io/instance-type",
  "beta.kubernetes.io/instance-type",
  "topology.k8s.aws/zone-id",
];

export class ClusterIndex {
  readonly input: ClusterInput;
  readonly nodes = new Map<string, BaseNode>();
  readonly groups = new Map<string, GroupInfo>();
  readonly subnets = new Map<string, SubnetInput>();
  /** The nodes in the scheduler's order (by name), sorted once for every seed. */
  readonly sorted: BaseNode[];
  /** Pods waiting for the scheduler now. */
  readonly unbound: PodInput[] = [];
  /** Nodes not stepped (Fargate, hybrid, unknown types, no ENI data): named in the plan's warnings. */
  readonly notPlanned: string[] = [];
  /** A time after everything in the input: new pods are created then. */
  readonly planTime: string;
  private podMap: Map<string, PodInput> | null = null;
  private byOwner: Map<string, PodInput[]> | null = null;
  private readonly nodeGroupOf = new Map<string, string>();

  constructor(input: ClusterInput) {
    this.input = input;
    for (const s of input.subnets) this.subnets.set(s.id, s);
    const { byInstance } = groupEnisByInstance(input.enis);
    const instanceSubnet = new Map(input.instances.map((i) => [i.id, i.subnetId]));
    let latest = input.capturedAt ?? "";
    for (const node of input.nodes) {
      if ((node.createdAt ?? "") > latest) latest = node.createdAt ?? "";
      const facts = node.instanceType
        ? resolveInstanceType(node.instanceType, input.extraInstanceTypes)
        : undefined;
      const all = node.instanceId ? byInstance.get(node.instanceId) : undefined;
      // Card 0's ENIs as IPAMD counts them: an EFA-only interface there holds no IP but takes a slot, so it
      // is one of the ENIs it does not manage (filterUnmanagedENIs) and IPAMD attaches one fewer.
      const enis = (all ?? [])
        .filter((e) => e.networkCardIndex === 0 && e.interfaceType !== "branch")
        .map((e) => (e.interfaceType === "efa-only" ? { ...e, noManage: true } : e))
        .sort((a, b) => (a.deviceIndex ?? 0) - (b.deviceIndex ?? 0));
      const primary = enis.find((e) => e.deviceIndex === 0);
      const kind = nodeKindOf(node);
      // An IPv6 cluster gives each node one /80: no warm pool to step.
      const ipam = kind === "ec2" && facts !== undefined && primary !== undefined && input.cni.ipv6 !== true;
      if (!ipam) this.notPlanned.push(node.name);
      this.nodes.set(node.name, {
        input: node,
        group: node.nodeGroup,
        facts,
        enis,
        pods: [],
        waiting: [],
        sched: {
          name: node.name,
          labels: node.labels ?? {},
          unschedulable: node.cordoned || kind === "fargate",
          ready: node.ready,
          taints: node.taints ?? [],
          pods: node.allocatablePods ?? 110,
          cpuMilli: node.allocatableCpuMilli ?? Number.POSITIVE_INFINITY,
          memoryBytes: node.allocatableMemoryBytes ?? Number.POSITIVE_INFINITY,
          podEni: node.podEniCapacity ?? 0,
        },
        usage: emptyUsage(),
        subnetId:
          primary?.subnetId ?? (node.instanceId ? (instanceSubnet.get(node.instanceId) ?? null) : null),
        ipam,
      });
      if (node.nodeGroup !== null) this.nodeGroupOf.set(node.name, node.nodeGroup);
    }
    for (const pod of input.pods) {
      if ((pod.createdAt ?? "") > latest) latest = pod.createdAt ?? "";
      if (!counted(pod)) continue;
      const owner = ownerKey(pod);
      const node = pod.nodeName === null ? undefined : this.nodes.get(pod.nodeName);
      if (node === undefined) {
        if (pod.nodeName === null && !pod.deleting) this.unbound.push(pod);
        continue;
      }
      node.pods.push(pod);
      if (pod.podIp === null && !pod.hostNetwork) node.waiting.push(pod);
      addToUsage(node.usage, pod.scheduling ?? NO_REQUESTS, owner, 1);
    }
    this.planTime = latest === "" ? new Date(0).toISOString() : latest;
    this.sorted = [...this.nodes.values()].sort((a, b) => a.input.name.localeCompare(b.input.name));
    this.indexGroups();
  }

  private indexGroups(): void {
    for (const node of this.nodes.values()) {
      if (node.group === null || this.groups.has(node.group)) continue;
      const members = [...this.nodes.values()].filter((n) => n.group === node.group);
      const types = new Map<string, number>();
      for (const m of members) {
        const t = m.input.instanceType ?? "";
        types.set(t, (types.get(t) ?? 0) + 1);
      }
      const instanceType = [...types].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "";
      const subnets = [...new Set(members.map((m) => m.subnetId).filter((s): s is string => s !== null))];
      const labels: Record<string, string> = { ...(node.input.labels ?? {}) };
      for (const k of NODE_SPECIFIC_LABELS) delete labels[k];
      this.groups.set(node.group, {
        name: node.group,
        instanceType,
        provisioner: node.input.labels?.["kops.k8s.io/instancegroup"] !== undefined ? "kops" : "eks",
        subnets,
        explicitMaxPods: null,
        labels,
        taints: (node.input.taints ?? []).filter((t) => !CONTROLLER_TAINT.test(t.key)),
      });
    }
  }

  /** Every pod by "namespace/name", made on first use: most plans look up a few. */
  get pods(): Map<string, PodInput> {
    if (this.podMap === null) this.podMap = new Map(this.input.pods.map((p) => [podKey(p), p]));
    return this.podMap;
  }

  /** A copy for one plan: the same nodes and pods, node groups of its own (a plan may define one or
   * change a group's instance type). */
  forPlan(): ClusterIndex {
    // The pod indexes are the snapshot's: made here once, shared by every plan's copy.
    this.pods;
    this.podsOwnedBy("");
    const groups = new Map([...this.groups].map(([k, g]) => [k, { ...g }]));
    return Object.assign(Object.create(ClusterIndex.prototype) as ClusterIndex, this, { groups });
  }

  pod(namespace: string, name: string): PodInput | undefined {
    return this.pods.get(`${namespace}/${name}`);
  }

  /** The pods (not finished, not being deleted) of an owner key ("namespace/Kind/name"). */
  podsOwnedBy(owner: string): PodInput[] {
    if (this.byOwner === null) {
      const by = new Map<string, PodInput[]>();
      for (const pod of this.input.pods) {
        const key = ownerKey(pod);
        if (key === null || pod.deleting || !counted(pod)) continue;
        const list = by.get(key);
        if (list) list.push(pod);
        else by.set(key, [pod]);
      }
      this.byOwner = by;
    }
    return this.byOwner.get(owner) ?? [];
  }

  requireGroup(name: string): GroupInfo {
    const g = this.groups.get(name);
    if (g === undefined) {
      const known = [...this.groups.keys()].sort();
      throw new PlanInputError(
        "unknown-node-group",
        name,
        known.length
          ? plannerEnglish("error.unknownGroup", { name, groups: known.join(", ") })
          : plannerEnglish("error.unknownGroupNone", { name }),
      );
    }
    return g;
  }

  nodesOfGroup(name: string): NodeInput[] {
    return [...this.nodes.values()].filter((n) => n.group === name).map((n) => n.input);
  }

  groupOf(nodeName: string): string {
    return this.nodeGroupOf.get(nodeName) ?? "";
  }

  defineGroup(
    change: { name: string; subnets?: string[]; zones?: string[]; maxPods?: number },
    instanceType: string,
  ): void {
    let subnets = change.subnets ?? [];
    if (subnets.length === 0) {
      // One subnet per zone: the node subnets the cluster's nodes already use, filtered by the zones asked.
      const used = [...new Set([...this.nodes.values()].map((n) => n.subnetId))]
        .map((id) => (id === null ? undefined : this.subnets.get(id)))
        .filter((s): s is SubnetInput => s !== undefined);
      const byZone = new Map<string, string>();
      for (const s of used.sort((a, b) => a.id.localeCompare(b.id)))
        if (s.zone !== null && !byZone.has(s.zone)) byZone.set(s.zone, s.id);
      for (const z of change.zones ?? []) {
        if (!byZone.has(z)) {
          throw new PlanInputError(
            "unknown-subnet",
            z,
            byZone.size > 0
              ? plannerEnglish("error.zoneNoSubnet", { zone: z, zones: [...byZone.keys()].sort().join(", ") })
              : plannerEnglish("error.zoneNoSubnetNone", { zone: z }),
          );
        }
      }
      subnets = [...byZone]
        .filter(([z]) => change.zones === undefined || change.zones.includes(z))
        .map(([, id]) => id);
    }
    const template = [...this.groups.values()][0];
    this.groups.set(change.name, {
      name: change.name,
      instanceType,
      provisioner: template?.provisioner ?? "eks",
      subnets,
      explicitMaxPods: change.maxPods ?? null,
      // A new group has the taints its definition gives, and a plan's group definition gives none.
      taints: [],
      labels: {
        ...(template?.labels ?? {}),
        ...(template?.provisioner === "kops"
          ? { "kops.k8s.io/instancegroup": change.name }
          : { "eks.amazonaws.com/nodegroup": change.name }),
      },
    });
  }

  setGroupType(name: string, instanceType: string): void {
    const g = this.requireGroup(name);
    g.instanceType = instanceType;
  }

  /** `n` new pods like `template`, Pending, named after it. */
  copiesOf(template: PodInput, n: number, workload: WorkloadRef | null, already = 0): PodInput[] {
    const out: PodInput[] = [];
    let ordinal = 0;
    if (workload?.kind === "StatefulSet") {
      for (const p of this.podsOwnedBy(`${template.namespace}/StatefulSet/${workload.name}`)) {
        const m = /-(\d+)$/.exec(p.name);
        if (m) ordinal = Math.max(ordinal, Number(m[1]) + 1);
      }
    }
    const stem =
      workload === null
        ? template.name
        : workload.kind === "StatefulSet"
          ? workload.name
          : template.name.replace(/-[a-z0-9]{5}$/, "");
    let i = already;
    ordinal += already;
    while (out.length < n) {
      const name = workload?.kind === "StatefulSet" ? `${stem}-${ordinal++}` : `${stem}-plan${++i}`;
      if (this.pods.has(`${template.namespace}/${name}`)) continue;
      out.push({
        namespace: template.namespace,
        name,
        uid: null,
        nodeName: null,
        phase: "Pending",
        hostNetwork: template.hostNetwork,
        podIp: null,
        owner: template.owner,
        status: "Pending",
        scheduledReason: null,
        scheduledMessage: null,
        waitingReason: null,
        deleting: false,
        createdAt: this.planTime,
        labels: template.labels,
        scheduling: template.scheduling ?? NO_REQUESTS,
      });
    }
    return out;
  }

  /** Which pods a scale-down deletes first: unbound, then without an IP, then the newest (a StatefulSet: the
   * highest ordinal), as the ReplicaSet and StatefulSet controllers choose. */
  scaleDownOrder(pods: readonly PodInput[], workload: WorkloadRef): PodInput[] {
    if (workload.kind === "StatefulSet") {
      const ordinal = (p: PodInput) => Number(/-(\d+)$/.exec(p.name)?.[1] ?? -1);
      return [...pods].sort((a, b) => ordinal(b) - ordinal(a));
    }
    const rank = (p: PodInput) => (p.nodeName === null ? 0 : p.podIp === null && !p.hostNetwork ? 1 : 2);
    return [...pods].sort(
      (a, b) =>
        rank(a) - rank(b) ||
        (b.createdAt ?? "").localeCompare(a.createdAt ?? "") ||
        b.name.localeCompare(a.name),
    );
  }

  /** The DaemonSet pods a new node of the group runs: those of a node of the group, else of any node. */
  daemonPods(group: string): PodInput[] {
    const nodes = [...this.nodes.values()];
    const sample = nodes.find((n) => n.group === group && n.ipam) ?? nodes.find((n) => n.ipam);
    return (sample?.pods ?? []).filter((p) => p.owner?.startsWith("DaemonSet/"));
  }
}

/** The workload's pods now (not finished, not being deleted); null when no pod names it as owner. */
export function workloadPods(index: ClusterIndex, w: WorkloadRef): PodInput[] | null {
  const pods = index.podsOwnedBy(`${w.namespace}/${w.kind}/${w.name}`);
  return pods.length === 0 ? null : pods;
}
