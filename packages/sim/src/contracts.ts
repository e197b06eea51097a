// The seams inside the simulator: the Kubernetes half (API server, deployment controller, scheduler,
// kubelet, scenarios) and the AWS half (EC2 state, EC2 Query API, one IPAMD per node) meet only here.

/** Simulated time. `speed` N makes it run N times faster than the wall clock; tests may step it by hand. */
export interface SimClock {
  /** Milliseconds since the epoch, in simulated time. */
  now(): number;
  /** Run `fn` after `ms` of simulated time; returns a cancel function. */
  after(ms: number, fn: () => void): () => void;
  /** Run `fn` every `ms` of simulated time; returns a cancel function. */
  every(ms: number, fn: () => void): () => void;
}

/** Seeded randomness: the same seed gives the same run. */
export interface SimRandom {
  /** A float in [0, 1). */
  next(): number;
  int(minInclusive: number, maxExclusive: number): number;
  pick<T>(items: readonly T[]): T;
  /** Lower-case hex of `length` characters, for resource ids (eni-0a1b..., i-0c2d...). */
  hex(length: number): string;
}

/** Switchable at start (flags, scenario) or at run time through the admin endpoint. */
export interface FaultSettings {
  /** Fraction (0..1) of EC2 calls answered with RequestLimitExceeded (HTTP 503). */
  ec2ThrottleRate: number;
  /** Extra latency on every EC2 call, milliseconds of wall time. */
  ec2LatencyMs: number;
  /** Extra latency on every Kubernetes API call, milliseconds of wall time. */
  kubeLatencyMs: number;
  /** When true, open watches are closed and new ones are closed after their first event. */
  dropWatches: boolean;
  /** When true, every watch is answered with an ERROR event of 410 Gone (resourceVersion too old). */
  watchGone: boolean;
  /** Resources (plural, e.g. "pods") answered with 403 Forbidden. */
  forbidden: string[];
  /** The API server's WatchList feature gate off: a watch with sendInitialEvents gets 422 Invalid, as
   * servers that do not stream lists answer (clients then list in pages). */
  watchListDisabled: boolean;
}

export const noFaults: FaultSettings = {
  ec2ThrottleRate: 0,
  ec2LatencyMs: 0,
  kubeLatencyMs: 0,
  dropWatches: false,
  watchGone: false,
  forbidden: [],
  watchListDisabled: false,
};

// ---------------------------------------------------------------------------------------------
// EC2 state, shared by the EC2 Query API (reads it) and the IPAMDs (change it)

export interface SimSubnet {
  id: string;
  vpcId: string;
  cidr: string;
  zone: string;
  zoneId: string;
  name: string;
  tags: Record<string, string>;
  /** The subnet's IPv6 CIDR block (a /64) in an IPv6 cluster's VPC; absent in an IPv4-only subnet. */
  ipv6Cidr?: string;
}

export interface SimEni {
  id: string;
  subnetId: string;
  vpcId: string;
  zone: string;
  description: string;
  /** EC2 Status: "in-use" when attached, "available" when detached, "attaching", "detaching". */
  status: string;
  /** The CNI's kinds, or an AWS service's ENI (neighbours.ts): a load balancer's, an endpoint's ... */
  interfaceType: "interface" | "trunk" | "branch" | "efa" | ServiceInterfaceType;
  /** The AWS service that made an ENI it manages (amazon-elb, a VPC endpoint's ...); absent for others. */
  requesterId?: string;
  macAddress: string;
  ownerId: string;
  requesterManaged: boolean;
  sourceDestCheck: boolean;
  groups: { id: string; name: string }[];
  attachment: {
    id: string;
    instanceId: string;
    deviceIndex: number;
    networkCardIndex: number;
    status: "attaching" | "attached" | "detaching" | "detached";
    attachTime: string;
    deleteOnTermination: boolean;
  } | null;
  primaryIp: string;
  privateDnsName: string;
  secondaryIps: string[];
  prefixes: string[];
  /** The ENI's own IPv6 addresses (an IPv6 subnet gives the launch ENI one); absent: none. */
  ipv6Addresses?: string[];
  /** Delegated IPv6 /80 prefixes (the VPC CNI's IPv6 mode asks for one on the primary ENI); absent: none. */
  ipv6Prefixes?: string[];
  tags: Record<string, string>;
}

/** EC2 InterfaceType values of ENIs that AWS services create in a subnet. */
export type ServiceInterfaceType =
  | "load_balancer"
  | "network_load_balancer"
  | "gateway_load_balancer"
  | "vpc_endpoint"
  | "nat_gateway"
  | "lambda";

/** A subnet CIDR reservation: EC2 assigns no address from it on its own, except prefixes from a "prefix" one. */
export interface SimCidrReservation {
  id: string;
  subnetId: string;
  cidr: string;
  type: "prefix" | "explicit";
  description: string;
}

export interface SimInstance {
  id: string;
  instanceType: string;
  zone: string;
  state: "pending" | "running" | "stopping" | "stopped" | "terminated";
  privateIp: string;
  privateDnsName: string;
  subnetId: string;
  vpcId: string;
  imageId: string;
  launchTime: string;
  tags: Record<string, string>;
  /** The primary ENI's IPv6 address, in an IPv6 subnet. */
  ipv6Address?: string;
}

export interface Ec2State {
  region: string;
  accountId: string;
  vpcId: string;
  vpcCidr: string;
  subnets: Map<string, SimSubnet>;
  enis: Map<string, SimEni>;
  instances: Map<string, SimInstance>;
  /** Subnet CIDR reservations by id; absent when the scenario declares none. */
  cidrReservations?: Map<string, SimCidrReservation>;
}

// ---------------------------------------------------------------------------------------------
// What the Kubernetes half asks of the AWS half

export interface LaunchSpec {
  instanceType: string;
  zone: string;
  subnetId: string;
  /** Tags for the instance (Name, eks:nodegroup-name, kops.k8s.io/instancegroup ...). */
  tags: Record<string, string>;
}

/** The CNI's view of one node, as kubelet and IPAMD see it. */
export interface NodeNetworkSpec {
  nodeName: string;
  instanceId: string;
  /** node.status.capacity.pods: IPAMD never grows the pool past it. */
  maxPods: number;
  cordoned: boolean;
  /** Custom networking: the node's ENIConfig subnet, where its new ENIs go (the primary then holds no pod IPs). */
  eniSubnetId?: string;
}

export interface PodRef {
  namespace: string;
  name: string;
}

/** The VPC CNI on every node: IPAMD's warm pool plus the plugin's ADD/DEL. */
export interface PodNetwork {
  /** EC2 RunInstances for a new node: instance plus primary ENI (device 0) with its IP from the subnet. */
  launchInstance(spec: LaunchSpec): SimInstance;
  /** Start an IPAMD for a node whose instance was launched; it then runs on the clock. `waitForAwsNode`:
   * it does nothing until resumeNode, as IPAMD runs inside aws-node and reads the DaemonSet's env when that
   * pod starts. */
  startNode(spec: NodeNetworkSpec, waitForAwsNode?: boolean): void;
  updateNode(spec: NodeNetworkSpec): void;
  stopNode(nodeName: string): void;
  /** aws-node is not running on the node: IPAMD's loop stops and CNI ADD gets no IP until resumeNode. */
  pauseNode(nodeName: string): void;
  /** aws-node started on the node with these settings: IPAMD resumes from its datastore. `eniSubnetId`:
   * the subnet of the node's ENIConfig as read at this start (custom networking), null for the node's own
   * subnet, absent to keep what it had. */
  resumeNode(nodeName: string, settings: SimCniSettings, eniSubnetId?: string | null): void;
  /** The node's ENIConfig now names this subnet: IPAMD creates its next ENIs there (it reads the ENIConfig
   * at each ENI it allocates); the ENIs attached stay where they are. */
  useEniSubnet(nodeName: string, subnetId: string): void;
  /** An ENI another controller attached (the VPC resource controller's trunk): IPAMD's datastore learns it. */
  adoptEni(nodeName: string, eniId: string): void;
  /** CNI ADD: an IP from the node's warm pool, or null when it has none right now (kubelet records
   * FailedCreatePodSandBox "failed to assign an IP address to container" and retries). */
  assign(nodeName: string, pod: PodRef): string | null;
  /** CNI DEL: the IP returns to the pool and cools down for IP_COOLDOWN_PERIOD. */
  release(nodeName: string, pod: PodRef): void;
  /** For large scenarios: bring a node straight to the steady state IPAMD would reach with these pods
   * holding IPs, without running the clock. Returns each pod's IP ("ns/name" -> ip); pods that cannot
   * get one are left out. */
  settle(nodeName: string, pods: PodRef[]): Map<string, string>;
}

/** How the simulated VPC CNI is configured: the aws-node env of the scenario (defaults as the CNI's). */
export interface SimCniSettings {
  prefixDelegation: boolean;
  warmEniTarget: number | null;
  warmIpTarget: number | null;
  minimumIpTarget: number | null;
  warmPrefixTarget: number | null;
  maxEni: number | null;
  /** IP_COOLDOWN_PERIOD, seconds. */
  ipCooldownSeconds: number;
  customNetworking: boolean;
  /** ENABLE_POD_ENI: security groups for pods (a trunk ENI slot kept on trunking-compatible types). */
  podEni?: boolean;
  /** ENABLE_IPv6: pods take addresses from one IPv6 /80 on the primary ENI; no warm pool, no more ENIs. */
  ipv6?: boolean;
  /** CLUSTER_NAME: when set, IPAMD tags the ENIs it manages with the cluster and eks:eni:owner. */
  clusterName?: string;
}

export interface PodNetworkOptions {
  state: Ec2State;
  clock: SimClock;
  random: SimRandom;
  faults: FaultSettings;
  cni: SimCniSettings;
  /** Time from AttachNetworkInterface to the ENI being usable (IMDS sees it), simulated ms. */
  attachDelayMs: number;
  /** IPAMD's reconcile loop period, simulated ms (the CNI uses about 5 s). */
  cycleMs: number;
}

/** Implemented in ./ipamd/podNetwork.ts as `createPodNetwork(options: PodNetworkOptions): PodNetwork`
 * and served over HTTP by ./ec2/server.ts as
 * `startEc2Server(options: { state: Ec2State; faults: FaultSettings; random: SimRandom }): Promise<{ url: string; close(): Promise<void> }>`. */
export type CreatePodNetwork = (options: PodNetworkOptions) => PodNetwork;
