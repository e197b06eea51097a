// The shapes every part of eni-view agrees on.
//
// Inputs (`*Input`) are what adapters (capture folder, live cluster, simulator) produce from the
// Kubernetes and EC2 wire objects: only the fields the model reads, already normalised, never env,
// annotations or secrets. Outputs (`Report` and its parts) are what `eni-view report --json`
// prints, what the server serves at /api/topology and what the dashboard draws.

// ---------------------------------------------------------------------------------------------
// Instance-type facts and capacity

export type Hypervisor = "nitro" | "xen" | "unknown";

/** Public per-instance-type facts (EC2 DescribeInstanceTypes), as in data/instance-limits.tsv. */
export interface InstanceTypeFacts {
  instanceType: string;
  /** Default vCPUs; null where no public source lists them. */
  vcpus: number | null;
  hypervisor: Hypervisor;
  bareMetal: boolean;
  /** ENIs on the default network card: the only card the VPC CNI uses unless ENABLE_MULTI_NIC. */
  maxEnis: number;
  /** IPv4 addresses per ENI, the primary included. */
  ipv4PerEni: number;
  defaultNetworkCardIndex: number;
  networkCards: number;
  /** Branch ENIs (security groups for pods); null where unknown. */
  branchEnis: number | null;
  trunkingCompatible: boolean | null;
}

/** secondary-ip and prefix-delegation: IPv4 from the ENIs; ipv6-prefix: one /80 per node, more addresses than
 * any max pods (kubelet's max pods is the limit); none: the node's pod IPs are not from ENIs (hybrid). */
export type CapacityMode = "secondary-ip" | "prefix-delegation" | "ipv6-prefix" | "none";

/**
 * How a node gets its pod IPs, each as AWS documents it:
 * - ec2: an EC2 instance whose ENIs the VPC CNI (aws-node) manages;
 * - auto-mode: an EKS Auto Mode instance (label eks.amazonaws.com/compute-type=auto): EKS manages its ENIs,
 *   /28 prefixes by default, max pods capped at 110; no aws-node;
 * - fargate: one pod on its own requester-managed ENI (compute-type=fargate); no ENI slots;
 * - hybrid: an on-premises node (providerID eks-hybrid://, compute-type=hybrid): pod IPs from its pod CIDRs,
 *   no ENIs;
 * - windows: kubernetes.io/os=windows: only the primary ENI's secondary IPs, max pods = IPs per ENI - 1.
 */
export type NodeKind = "ec2" | "auto-mode" | "fargate" | "hybrid" | "windows";

export type IpFamily = "ipv4" | "ipv6";

/** The CNI settings that change capacity or warm-pool behaviour, read from the aws-node DaemonSet env. */
export interface CniConfig {
  prefixDelegation: boolean;
  customNetworking: boolean;
  podEni: boolean;
  warmEniTarget: number | null;
  warmIpTarget: number | null;
  minimumIpTarget: number | null;
  warmPrefixTarget: number | null;
  maxEni: number | null;
  /** ENABLE_MULTI_NIC (v1.20+): IPAMD also manages the ENIs of the other network cards. Absent means false. */
  multiNic?: boolean;
  /** ENABLE_IPv6: an IPv6 cluster (one /80 prefix per node). Absent means false. */
  ipv6?: boolean;
  ipCooldownSeconds: number;
  externalSnat: boolean;
  /** aws-node image tag, e.g. "v1.19.2-eksbuild.1"; null when unknown. */
  version: string | null;
  /** False when no aws-node DaemonSet was seen and defaults were assumed. */
  detected: boolean;
  /** ENI_CONFIG_LABEL_DEF: the node label naming its ENIConfig; absent means k8s.amazonaws.com/eniConfig. */
  eniConfigLabelDef?: string;
  /** ENI_CONFIG_ANNOTATION_DEF: the node annotation naming its ENIConfig; absent means the default key. */
  eniConfigAnnotationDef?: string;
}

export interface CapacityOptions {
  prefixDelegation?: boolean;
  customNetworking?: boolean;
  /** MAX_ENI from aws-node, lowers the ENI count. */
  maxEni?: number | null;
  /** ENIs tagged node.k8s.amazonaws.com/no_manage=true: not pod capacity. */
  unmanagedEnis?: number;
}

export interface NodeCapacity {
  instanceType: string;
  /** False when the instance type is not in the built-in table: every figure below is then null. */
  known: boolean;
  vcpus: number | null;
  maxEnis: number | null;
  ipv4PerEni: number | null;
  /** ENIs the CNI may use for pods (custom networking skips the primary, no_manage ENIs are subtracted). */
  podEnis: number | null;
  /** Pod IPs one ENI can hold: IPv4perENI - 1, or that x 16 with prefix delegation. */
  podIpsPerEni: number | null;
  /** ENI x pod IPs: the pods that can hold a VPC IP. */
  podIps: number | null;
  /** Max pods by ENI as the AWS formula gives it (+2 for aws-node and kube-proxy, PD cap applied). */
  maxPods: number | null;
  /** Prefix delegation uncapped figure (max-pods-calculator --show-max-allowed); null in secondary-IP mode. */
  maxPodsUncapped: number | null;
  mode: CapacityMode;
  /** Why a figure is missing or differs from what was asked (unknown type, vCPUs unknown, no PD on Xen). */
  notes?: string[];
}

// ---------------------------------------------------------------------------------------------
// Inputs

export interface NodeInput {
  name: string;
  /** From spec.providerID aws:///<az>/<instance-id>; null when not an AWS node. */
  instanceId: string | null;
  instanceType: string | null;
  zone: string | null;
  /** eks.amazonaws.com/nodegroup, kops.k8s.io/instancegroup or karpenter.sh/nodepool. */
  nodeGroup: string | null;
  capacityType: string | null;
  internalIp: string | null;
  ready: boolean;
  cordoned: boolean;
  /** status.allocatable.pods: what kubelet will accept. */
  allocatablePods: number | null;
  /** status.allocatable cpu in millicores and memory in bytes, for the pending diagnosis. */
  allocatableCpuMilli: number | null;
  allocatableMemoryBytes: number | null;
  createdAt: string | null;
  /** The node's labels (one of them may name its ENIConfig, e.g. topology.kubernetes.io/zone). */
  labels?: Record<string, string>;
  /** The value of the node's ENIConfig annotation (k8s.amazonaws.com/eniConfig or ENI_CONFIG_ANNOTATION_DEF);
   * no other annotation is read. */
  eniConfigAnnotation?: string | null;
  /** spec.providerID as it is: aws:///..., eks-hybrid:///..., or a Fargate node's id. */
  providerId?: string | null;
  /** spec.podCIDRs (else spec.podCIDR): where a hybrid node's pods get their IPs. */
  podCidrs?: string[];
  /** status.allocatable["vpc.amazonaws.com/pod-eni"]: branch ENIs for security groups for pods. */
  podEniCapacity?: number | null;
  /** spec.taints, in the node's order (the scheduler reports the first it cannot tolerate). */
  taints?: Taint[];
}

export type TaintEffect = "NoSchedule" | "PreferNoSchedule" | "NoExecute";

/** A node taint (core/v1 Taint): value "" when none. */
export interface Taint {
  key: string;
  value: string;
  effect: TaintEffect;
}

/** A pod toleration (core/v1 Toleration): an empty key or effect matches any; operator "" means Equal. */
export interface Toleration {
  key: string;
  operator: string;
  value: string;
  effect: string;
}

export type PodPhase = "Pending" | "Running" | "Succeeded" | "Failed" | "Unknown";

export interface PodInput {
  namespace: string;
  name: string;
  uid: string | null;
  nodeName: string | null;
  phase: PodPhase;
  hostNetwork: boolean;
  podIp: string | null;
  /** Kind/name of the controlling owner, the ReplicaSet's Deployment when it can be told. */
  owner: string | null;
  /** Short human status as kubectl shows it: Running, ContainerCreating, Pending, Completed, ... */
  status: string;
  /** PodScheduled=False condition: reason and message (e.g. Unschedulable / "0/3 nodes are available: ..."). */
  scheduledReason: string | null;
  scheduledMessage: string | null;
  /** When the scheduler bound it (PodScheduled=True's lastTransitionTime), and when its sandbox had its
   * network, the IP from the CNI included (PodReadyToStartContainers=True, Kubernetes 1.29+): what a
   * recording measures scheduled -> IP with. Absent when not (yet) true or not reported. */
  scheduledAt?: string | null;
  networkReadyAt?: string | null;
  /** Waiting reason of the first waiting container (ContainerCreating, ImagePullBackOff, ...). */
  waitingReason: string | null;
  deleting: boolean;
  createdAt: string | null;
  /** A few labels the view filters on (app, app.kubernetes.io/name, k8s-app ...); values only, bounded. */
  labels: Record<string, string>;
  /** What the scheduler reads of the spec, for the planner; absent when the source does not give it (the
   * pod then requests nothing and goes on any node). */
  scheduling?: PodScheduling;
}

/** The parts of a pod's spec that decide where it can go. Pods of one owner share one object. */
export interface PodScheduling {
  /** Sum of the containers' requests: cpu in millicores, memory in bytes, vpc.amazonaws.com/pod-eni. */
  cpuMilli: number;
  memoryBytes: number;
  podEni: number;
  /** vpc.amazonaws.com/PrivateIPv4Address: the VPC resource controller's webhook asks one for each Windows pod
   * (a pod with a kubernetes.io/os=windows node selector) when Windows IPAM is on; absent: none asked. */
  privateIpv4?: number;
  /** The same with the scheduler's non-zero defaults (100m, 200Mi a container) for scoring. */
  cpuScoreMilli: number;
  memoryScoreBytes: number;
  nodeSelector: Record<string, string> | null;
  /** requiredDuringSchedulingIgnoredDuringExecution's nodeSelectorTerms, null when none. */
  nodeAffinity: NodeSelectorTerm[] | null;
  /** preferredDuringSchedulingIgnoredDuringExecution of node affinity, null when none. */
  preferredAffinity: PreferredSchedulingTerm[] | null;
  /** spec.tolerations, null when none. */
  tolerations: Toleration[] | null;
  priority: number;
}

export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

/** A preferred node affinity term: the weight (1-100) a node matching `preference` adds to its score. */
export interface PreferredSchedulingTerm {
  weight: number;
  preference: NodeSelectorTerm;
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

export interface EventInput {
  namespace: string;
  /** The object it is about, only Pods are read. */
  kind: string;
  name: string;
  reason: string;
  message: string;
  type: string;
  count: number;
  lastSeen: string | null;
}

export type EniInterfaceType = "interface" | "trunk" | "branch" | "efa" | "efa-only" | "other";

export interface EniInput {
  id: string;
  subnetId: string;
  vpcId: string | null;
  zone: string | null;
  /** EC2 Status: in-use, available (detached), attaching, detaching, associated. */
  status: string;
  /** Raw EC2 InterfaceType; load_balancer, vpc_endpoint etc. become "other" and are ignored. */
  interfaceType: EniInterfaceType;
  description: string;
  instanceId: string | null;
  deviceIndex: number | null;
  networkCardIndex: number;
  attachmentStatus: string | null;
  attachTime: string | null;
  primaryIp: string | null;
  /** Secondary private IPv4 addresses (Primary=false). */
  secondaryIps: string[];
  /** Delegated IPv4 prefixes, "10.0.1.16/28". */
  prefixes: string[];
  /** Ipv6Addresses[].Ipv6Address. */
  ipv6Addresses?: string[];
  /** Ipv6Prefixes[].Ipv6Prefix: in an IPv6 cluster the node's /80. */
  ipv6Prefixes?: string[];
  /** Tags node.k8s.amazonaws.com/no_manage=true. */
  noManage: boolean;
  /** Has the CNI's instance_id tag or aws-K8S- description. */
  cniManaged: boolean;
  requesterManaged: boolean;
  createdAt: string | null;
  /** Tag node.k8s.amazonaws.com/instance_id: the node a CNI ENI was made for (kept after detaching). */
  tagInstanceId?: string | null;
  /** Tag vpcresources.k8s.aws/trunk-eni-id on branch ENIs: the trunk (and so the node) they ride on. */
  trunkEniId?: string | null;
  /** EC2's InterfaceType as it came (load_balancer, vpc_endpoint, nat_gateway, lambda ...): names the
   * holder of an ENI no node owns. Absent means "interface". */
  typeName?: string;
  /** RequesterId of an AWS-managed ENI (e.g. "amazon-elb"), null when EC2 gives none. */
  requesterId?: string | null;
}

/** A subnet CIDR reservation (GetSubnetCidrReservations): "prefix" keeps the range for delegated /28
 * prefixes, "explicit" for addresses assigned by hand; EC2 picks no address from either on its own. */
export interface CidrReservationInput {
  id: string;
  subnetId: string;
  cidr: string;
  type: "prefix" | "explicit";
  description: string;
}

export interface InstanceInput {
  id: string;
  instanceType: string;
  zone: string | null;
  state: string;
  privateIp: string | null;
  privateDnsName: string | null;
  subnetId: string | null;
  vpcId: string | null;
}

export interface SubnetInput {
  id: string;
  vpcId: string | null;
  cidr: string;
  zone: string | null;
  availableIps: number;
  /** The Name tag, if any. */
  name: string | null;
  /** Tagged kubernetes.io/role/cni: the CNI's subnet discovery may put new pod ENIs there. */
  cniDiscovery?: boolean;
}

export interface ClusterInput {
  /** Cluster name when known (kubeconfig context, CLUSTER_NAME). */
  clusterName: string | null;
  region: string | null;
  nodes: NodeInput[];
  pods: PodInput[];
  events: EventInput[];
  enis: EniInput[];
  instances: InstanceInput[];
  subnets: SubnetInput[];
  cni: CniConfig;
  /** Instance types looked up at run time (DescribeInstanceTypes) for types missing from the table. */
  extraInstanceTypes?: InstanceTypeFacts[];
  /** ENIConfig objects (crd.k8s.amazonaws.com); absent when the CRD is not installed. */
  eniConfigs?: EniConfigInput[];
  /** CNINode objects (vpcresources.k8s.aws), one per node by name; absent when the CRD is not installed. */
  cniNodes?: CniNodeInput[];
  /** The subnets' CIDR reservations; absent when they were not read. */
  cidrReservations?: CidrReservationInput[];
  /** IPs of pods the source saw deleted within IP_COOLDOWN_PERIOD: IPAMD holds each back until `until`. */
  releasedIps?: ReleasedIpInput[];
  /** Set for a capture folder: when it was taken (ISO time, null when unknown). Absent for a live source. */
  capturedAt?: string | null;
}

/** A pod IP freed by a pod deletion the source saw (CNI DEL frees it then), and when its cooldown ends by the
 * source's clock. Inferred: the source saw the deletion, not IPAMD's datastore. */
export interface ReleasedIpInput {
  ip: string;
  node: string;
  /** ISO times: when the deletion was seen, and that plus IP_COOLDOWN_PERIOD. */
  at: string;
  until: string;
}

/** An ENIConfig: the subnet and security groups custom networking gives a node's pod ENIs. */
export interface EniConfigInput {
  name: string;
  subnet: string;
  securityGroups: string[];
}

/** A CNINode: the VPC resource controller's per-node features (SecurityGroupsForPods, CustomNetworking). */
export interface CniNodeInput {
  name: string;
  features: { name: string; value: string | null }[];
}

// ---------------------------------------------------------------------------------------------
// The report: what the CLI prints, the server serves and the dashboard draws

/** A pod's key everywhere in the report: "namespace/name". */
export type PodKey = string;

/** One pod-usable IP on an ENI. `pod` is null for a warm (assigned but free) IP. */
export interface SlotReport {
  ip: string;
  pod: PodKey | null;
  /** The /28 this IP belongs to under prefix delegation. */
  prefix?: string;
}

/** fargate: the one ENI of a Fargate node, whose primary IP is its pod's. */
export type EniRole = "primary" | "secondary" | "trunk" | "branch" | "efa" | "unmanaged" | "fargate";

export interface EniReport {
  id: string;
  /** Attachment device index (0 = the node's primary ENI); -1 for branch ENIs, which ride a VLAN of the
   * trunk ENI instead of a device slot. */
  deviceIndex: number;
  networkCardIndex: number;
  /** On the instance type's default network card: what the ENI limit and the VPC CNI count. Other cards'
   * interfaces (EFA, multi-NIC) are drawn apart and are pod capacity only under ENABLE_MULTI_NIC. */
  onDefaultCard: boolean;
  subnetId: string;
  role: EniRole;
  interfaceType: EniInterfaceType;
  primaryIp: string | null;
  /** Secondary IPs and prefix IPs, in address order. Empty for unmanaged ENIs' pods are still listed. For an
   * IPv6 /80 only the addresses pods hold (a /80 is never drawn address by address). */
  slots: SlotReport[];
  /** Delegated prefixes: IPv4 /28s, or the IPv6 /80. */
  prefixes: string[];
  /** False for no_manage, trunk and EFA ENIs: their IPs are not the warm pool. */
  podCapacity: boolean;
  /** Pod IPs this ENI could hold when full (IPv4perENI - 1, x16 with PD). */
  slotLimit: number;
  ipsAssigned: number;
  ipsUsed: number;
  ipsWarm: number;
  attachTime: string | null;
}

export interface HostNetworkPodRef {
  namespace: string;
  name: string;
}

export interface NodeReport {
  name: string;
  instanceId: string | null;
  instanceType: string | null;
  zone: string | null;
  nodeGroup: string | null;
  capacityType: string | null;
  internalIp: string | null;
  /** metadata.creationTimestamp, for sorting by age; absent in reports made before it was kept. */
  createdAt?: string | null;
  /** How the node gets its pod IPs (see NodeKind). */
  kind: NodeKind;
  ipFamily: IpFamily;
  /** False when no EC2 ENI data was found for the node: its ENIs are unknown, not absent. */
  enisKnown: boolean;
  /** Branch ENIs (security groups for pods) the node offers: its vpc.amazonaws.com/pod-eni; null when none. */
  branchEnis: number | null;
  /** A hybrid node's pod CIDRs (spec.podCIDRs). */
  podCidrs: string[];
  ready: boolean;
  cordoned: boolean;
  /** Kubelet's allocatable pods. */
  maxPods: number | null;
  /** What the ENIs can hold by the AWS formula in the cluster's mode; null for unknown types. */
  maxPodsByEni: number | null;
  capacity: NodeCapacity;
  /** maxPods > maxPodsByEni + branchEnis: pods past what the ENIs hold will hang in ContainerCreating. */
  overcommitted: boolean;
  enis: EniReport[];
  /** ENIs the type allows (default card) that are not attached: placeholders in the view. */
  eniSlotsFree: number;
  ipsAssigned: number;
  ipsUsed: number;
  ipsWarm: number;
  /** Pods on this node that count against max pods (not Succeeded/Failed). */
  pods: number;
  podsRunning: number;
  hostNetworkPods: HostNetworkPodRef[];
  /** Pods bound here with no IP yet (ContainerCreating). */
  podsWaitingForIp: number;
  /** Pods here whose IP is on none of the node's ENIs ("ns/name"): ENIs unknown, a hybrid node's pod CIDR,
   * or an address no ENI holds. Listed so that no pod the header counts goes undrawn. */
  podsOffEni: PodKey[];
  /** What the box should say about how it is drawn (kind, trunk ENI, capacity notes). */
  notes: string[];
  /** The report's warnings that concern this node, in its own words. */
  warnings: string[];
  /** The ENIConfig the node names (annotation, else label); subnetId null and found false when no such
   * ENIConfig exists. Null when the node names none. */
  eniConfig: { name: string; subnetId: string | null; found: boolean } | null;
  /** Its CNINode's spec.features names, e.g. ["SecurityGroupsForPods", "CustomNetworking"]. */
  cniFeatures: string[];
  /** Set on a node of the overview stream (overview.ts): its ENIs, host-network pods and pods on no ENI
   * were left out, these many of each, and the subnets its ENIs are in (what the problems need); the
   * node's numbers above are whole. Absent on a whole node. */
  omitted?: {
    enis: number;
    hostNetworkPods: number;
    podsOffEni?: number;
    subnets?: string[];
    /** Of `enis`: on the default card (branch ENIs aside), and on other cards (nodeEniCounts). */
    attached?: number;
    otherCards?: number;
  };
}

export interface PodReport {
  namespace: string;
  name: string;
  node: string;
  ip: string;
  /** The ENI holding the IP; null when the IP was found on no ENI (reported, never dropped). */
  eni: string | null;
  phase: PodPhase;
  status: string;
  owner: string | null;
  labels: Record<string, string>;
}

export type PendingReason =
  | "too-many-pods"
  | "insufficient-resources"
  | "ip-exhausted"
  /** Bound to a node, no IP yet and nothing failed: the CNI is still setting it up (ContainerCreating). */
  | "starting"
  | "unschedulable"
  | "other";

export interface PendingPodReport {
  namespace: string;
  name: string;
  node: string | null;
  reason: PendingReason;
  /** The scheduler's or kubelet's own words. */
  message: string;
  status: string;
  owner: string | null;
  since: string | null;
  /** The same few labels as a placed pod's, so a label search finds Pending pods too. */
  labels?: Record<string, string>;
}

export interface SubnetReport {
  id: string;
  name: string | null;
  cidr: string;
  zone: string | null;
  /** DescribeSubnets availableIpAddressCount. */
  availableIps: number;
  /** Usable addresses: CIDR size minus AWS's 5 reserved. */
  totalIps: number;
  enis: number;
  ipsAssigned: number;
  ipsUsed: number;
  ipsWarm: number;
  /** A node's ENI or instance, or an ENIConfig, is in it (or the CNI's subnet discovery tag is on it). */
  used?: boolean;
  /** Every address by holder, for the subnets in use; null when the CIDR cannot be mapped. */
  space?: SubnetSpace | null;
  /** ENIs in the subnet that no node holds (load balancers, endpoints, detached CNI ENIs ...). */
  others?: ForeignEniReport[];
  reservations?: CidrReservationReport[];
  /** From the server's history of `space`: when free addresses and free /28s run out at the current
   * rate; null while the history is too short. Absent outside a server (a report of a capture). */
  forecast?: SubnetForecast | null;
}

export interface SubnetForecast {
  /** The span of history the rate is taken over. */
  windowSeconds: number;
  /** Change of free addresses per hour: negative when they fall. */
  freePerHour: number;
  /** Seconds until no address is free at this rate; null when they are not falling. */
  emptyInSeconds: number | null;
  blocksPerHour: number;
  /** Seconds until no /28 is free at this rate; null when they are not falling. */
  noBlockInSeconds: number | null;
}

/** How a subnet's addresses are held. Every address is counted once, by the first that holds it: AWS's
 * five, then an ENI (node primary, pod, warm, prefix, other), then a CIDR reservation; the rest is free. */
export interface SubnetSpace {
  /** Addresses of the CIDR. */
  size: number;
  awsReserved: number;
  /** Primary IPs of the nodes' ENIs (and the IPs of ENIs that hold no pods: trunk, EFA, no_manage). */
  nodeIps: number;
  podIps: number;
  /** Secondary IPs on the nodes' pod ENIs that no pod holds. */
  warmIps: number;
  /** Addresses of delegated /28 prefixes that no pod holds. */
  prefixIps: number;
  /** Held by ENIs no node holds. */
  otherIps: number;
  /** In a CIDR reservation and held by nothing. */
  reservedPrefixIps: number;
  reservedExplicitIps: number;
  free: number;
  /** Aligned /28 blocks with every address free or in a prefix reservation: what a new prefix can take. */
  freeBlocks28: number;
  /** The longest run of consecutive free addresses. */
  largestFreeRun: number;
  /** podIps over the usable addresses (size minus AWS's five), 0 to 1. */
  podShare: number;
}

/** An ENI in a subnet that belongs to no node: named by what EC2 says of it. */
export interface ForeignEniReport {
  id: string;
  /** EC2's InterfaceType: load_balancer, vpc_endpoint, nat_gateway, lambda, interface ... */
  interfaceType: string;
  description: string;
  requesterId: string | null;
  /** The instance it is attached to (not a node's), if any. */
  instanceId: string | null;
  status: string;
  /** Primary first, then the secondary IPs. */
  ips: string[];
  prefixes: string[];
}

export interface CidrReservationReport {
  id: string;
  cidr: string;
  type: "prefix" | "explicit";
  description: string;
}

export interface Totals {
  nodes: number;
  /** ENIs in device slots of the nodes' default network cards: what the ENI limit counts. */
  enisAttached: number;
  /** ENIs the nodes' types allow in total on their default cards (known types only). */
  enisPossible: number;
  /** Nodes whose type's ENI limit is unknown (not in the table, or its facts refused): enisPossible and
   * maxPodsByEni leave them out, so a total with any is a lower bound, shown as such ("96+?"). */
  nodesCapacityUnknown: number;
  /** Nodes whose type is known but whose ENIs are not (no EC2 data for them): enisPossible leaves them out
   * too, so the ENI total is a lower bound ("11 of 15+?"), never "0 of 15" as if none were attached. Absent in
   * reports recorded before it was counted: read it with `?? 0`. */
  nodesEnisUnknown: number;
  /** Interfaces on other network cards (EFA, multi-NIC): never pod capacity unless ENABLE_MULTI_NIC. */
  enisOtherCards: number;
  ipsAssigned: number;
  ipsUsed: number;
  ipsWarm: number;
  pods: number;
  podsRunning: number;
  pendingPods: number;
  maxPods: number;
  maxPodsByEni: number;
}

export interface ZoneReport extends Totals {
  zone: string;
  /** Free IPs of the subnets in this zone that the nodes' ENIs use (others stay in the subnet table). */
  subnetAvailableIps: number;
  /** Sums over the zone's subnets in use that have an address map; absent when none has. */
  space?: ZoneSpace;
}

export interface ZoneSpace {
  subnets: number;
  free: number;
  freeBlocks28: number;
  /** The longest free run in any one of its subnets. */
  largestFreeRun: number;
  otherIps: number;
  podIps: number;
  /** podIps over the usable addresses of those subnets. */
  podShare: number;
}

export interface ReportSummary extends Totals {
  /** hostNetwork pods on the listed nodes. */
  hostNetworkPods: number;
  /** Pods bound to a node that is not in the node list (removed between two reads): counted nowhere else. */
  podsOnUnknownNodes: number;
  /** Nodes of each kind. */
  kinds: Partial<Record<NodeKind, number>>;
  overcommittedNodes: number;
  unplacedPods: number;
  detachedEnis: number;
}

export interface CoolingIpReport {
  ip: string;
  node: string;
  eni: string;
  /** When the pod deletion that freed it was seen, and when IPAMD may hand it out again (ISO). */
  releasedAt: string;
  until: string;
}

export interface DetachedEniReport {
  id: string;
  subnetId: string;
  zone: string | null;
  description: string;
  /** node.k8s.amazonaws.com/instance_id tag: the node it was made for. */
  instanceId: string | null;
  ips: number;
  createdAt: string | null;
}

export interface Report {
  /** capturedAt: present for a capture folder (when it was taken, null when unknown), absent when live. */
  cluster: { name: string | null; region: string | null; cni: CniConfig; capturedAt?: string | null };
  summary: ReportSummary;
  nodes: NodeReport[];
  /** Pods holding a VPC IP (not hostNetwork, not finished). */
  pods: PodReport[];
  pending: PendingPodReport[];
  subnets: SubnetReport[];
  zones: ZoneReport[];
  /** CNI ENIs with status available: detached or leaked, belonging to no node. */
  detachedEnis: DetachedEniReport[];
  /** Warm IPs still in IPAMD's cooldown after a pod deletion the source saw (inferred, not read from IPAMD),
   * by IP; absent when there are none. */
  cooling?: CoolingIpReport[];
  /** Anything the model noticed that a user should know (unknown instance types, IPs on no ENI ...). */
  warnings: string[];
}
