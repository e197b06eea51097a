// The planner's shapes: what a user asks ("what if I scale this to 50, turn on prefix delegation, roll the
// nodes?") and what the cluster looks like once that change has settled.
//
//   planCluster(input: PlanInput): PlanResult        (./planCluster.ts; the type PlanCluster below)
//
// Pure and synchronous: it reads the cluster as the sources already give it (`ClusterInput`, the input of
// `buildReport`), applies the changes to a copy, runs the same scheduler (../schedule/) and IPAMD warm-pool
// rules (../ipam/) the simulator runs, once per seed, and summarises. It never writes anywhere: it has no
// client, only the snapshot it is handed. Bad input (an unknown workload, node group, instance type or
// setting, a negative count, a setting value aws-node refuses) throws a PlanInputError naming it.
//
// Where upstream is not deterministic (the scheduler's tie-breaks among equal nodes, IPAMD walking its ENIs
// and prefixes in Go map order) each seed may end differently: figures that can differ are `Range`s over
// the seeds, equal min and max where every seed agrees.
import type { ClusterInput, PendingReason, Report } from "../types.ts";

// ---------------------------------------------------------------------------------------------
// What to plan

/** A workload by kind, namespace and name, as `kubectl scale` names it. */
export interface WorkloadRef {
  kind: "Deployment" | "StatefulSet" | "ReplicaSet";
  namespace: string;
  name: string;
}

/** A pod by namespace and name: the template for "N more pods like this one". */
export interface PodRef {
  namespace: string;
  name: string;
}

/** The aws-node env settings a plan may change; values are the env strings, checked as aws-node checks
 * them (cmd/aws-vpc-cni validateEnvVars, then ipamd's getters). */
export const PLAN_SETTINGS = [
  "WARM_ENI_TARGET",
  "WARM_IP_TARGET",
  "MINIMUM_IP_TARGET",
  "WARM_PREFIX_TARGET",
  "ENABLE_PREFIX_DELEGATION",
  "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG",
  "ENI_CONFIG_LABEL_DEF",
  "ENABLE_POD_ENI",
  "MAX_ENI",
  "IP_COOLDOWN_PERIOD",
] as const;
export type PlanSetting = (typeof PLAN_SETTINGS)[number];

export type PlanChange =
  /** Set a workload's replicas (kubectl scale --replicas=N). */
  | { kind: "scale"; workload: WorkloadRef; replicas: number }
  /** N more pods with the requests, node selector and owner of this pod. */
  | { kind: "more-pods"; like: PodRef; count: number }
  /** Add nodes to a node group (its type, zones and subnets unless `instanceType` says otherwise). */
  | { kind: "add-nodes"; nodeGroup: string; count: number; instanceType?: string }
  /** Remove nodes from a node group: the fullest zone's newest go first (as its Auto Scaling group
   * scales in, scaleIn.ts), their pods are rescheduled. */
  | { kind: "remove-nodes"; nodeGroup: string; count: number }
  /** A new node group. Nodes go round-robin over `subnets` (ids), else one per zone of the cluster's node
   * subnets; `maxPods` overrides kubelet's max pods (else the AWS formula for the type and mode). */
  | {
      kind: "new-node-group";
      name: string;
      instanceType: string;
      nodes: number;
      subnets?: string[];
      zones?: string[];
      maxPods?: number;
    }
  /** Change a node group's instance type: a roll-over replaces every node of the group. */
  | { kind: "instance-type"; nodeGroup: string; instanceType: string }
  /** Change aws-node env settings; what needs new nodes to show (kubelet max pods, custom networking on the
   * primary ENI) shows only on replaced nodes unless a roll-over replaces them. */
  | { kind: "set"; settings: Partial<Record<PlanSetting, string>> }
  /** Create or change an ENIConfig (custom networking): the subnet pods on nodes naming it get ENIs in. */
  | { kind: "eni-config"; name: string; subnetId: string }
  /** Replace the nodes (all, or one node group's) with new ones: a roll-over after a settings change. */
  | { kind: "roll-nodes"; nodeGroup?: string };

/** The inverse questions, answered on the cluster with the changes applied. */
export type PlanQuestion =
  /** How many replicas of this workload fit as the cluster is (no pod Pending, every pod with an IP). */
  | { kind: "replicas-that-fit"; workload: WorkloadRef }
  /** How many nodes of `instanceType` (in `nodeGroup`'s zones and subnets) are needed for `count` more pods
   * like this one. */
  | { kind: "nodes-needed"; like: PodRef; count: number; instanceType: string; nodeGroup?: string }
  /** Which instance types of a family ("m5", "c6i") hold `count` more pods like this one, with how many
   * nodes, ENIs and subnet addresses each. */
  | { kind: "instance-types"; like: PodRef; count: number; family: string; nodeGroup?: string };

export interface PlanInput {
  /** The cluster as a source read it (the input of buildReport). Never modified. */
  cluster: ClusterInput;
  changes: PlanChange[];
  questions?: PlanQuestion[];
  /** Seeds for the random choices; default [1, 2, 3, 4, 5]. */
  seeds?: number[];
  /** The account's EC2 throttling buckets when they were raised; default AWS's published ones. */
  throttling?: Partial<Record<Ec2CallCategory, Ec2Bucket>>;
  /** buildReport(cluster), when the caller has it (a server does): the planned report then reuses every
   * node, pod and ENI the change leaves alone instead of building them again. */
  previous?: Pick<Report, "nodes" | "pods" | "pending">;
  /** ms from AttachNetworkInterface until IPAMD sees the ENI; default ATTACH_DELAY_MS. */
  attachDelayMs?: number;
  /** ms between IPAMD's reconcile loops; default IPAMD_CYCLE_MS. */
  cycleMs?: number;
}

// ---------------------------------------------------------------------------------------------
// The answer

/** The smallest and largest value over the seeds. */
export interface Range {
  min: number;
  max: number;
}

/** What happens to a node: kept as it is; new (added or a replacement); removed (scaled in or replaced). */
export type PlanNodeFate = "kept" | "new" | "removed";

export interface PlanNode {
  name: string;
  fate: PlanNodeFate;
  /** For a replacement, the node it replaces; for a replaced node, the one that replaces it. */
  replaces?: string;
  replacedBy?: string;
  nodeGroup: string | null;
  instanceType: string | null;
  zone: string | null;
  /** Kubelet's max pods: a kept node keeps its own even when the settings would give a new node another. */
  maxPods: number | null;
  /** After the change (a removed node: before it, as it is now). */
  enis: Range;
  /** "ip" counts secondary IPs, "prefix" counts /28 prefixes in `assigned`. */
  unit: "ip" | "prefix";
  /** Secondary IPs, or prefixes, attached to the node's ENIs. */
  assigned: Range;
  /** Pod IPs in use and free (warm) in the node's pool. */
  used: Range;
  warm: Range;
  /** Pods counted against max pods (host-network pods included). */
  pods: Range;
  /** Before the change, for comparison (zero for a new node). */
  before: { enis: number; assigned: number; used: number; pods: number };
}

export interface PlanPendingPod {
  namespace: string;
  name: string;
  owner: string | null;
  /** Bound to a node that had no IP for it (ContainerCreating), else null. */
  node: string | null;
  reason: PendingReason;
  /** The scheduler's FailedScheduling message, or kubelet's FailedCreatePodSandBox, as they write them. */
  message: string;
  /** Seeds in which it ends Pending, of `seeds.length`. */
  seeds: number;
  /** True when it is Pending now too. */
  already: boolean;
}

export interface PlanSubnet {
  id: string;
  name: string | null;
  cidr: string;
  zone: string | null;
  freeBefore: number;
  freeAfter: Range;
  /** Aligned free /28 blocks: what a new delegated prefix can take. */
  freeBlocks28Before: number;
  freeBlocks28After: Range;
  /** A request would fail with InsufficientCidrBlocks (prefixes) or InsufficientFreeAddressesInSubnet
   * (IPs) in at least one seed. */
  runsOut: boolean;
  /** The EC2 error code IPAMD would log when it runs out, else null. */
  error: "InsufficientCidrBlocks" | "InsufficientFreeAddressesInSubnet" | null;
}

/** EC2's request-rate categories (see ec2Throttling.ts for the buckets and their source). */
export type Ec2CallCategory = "mutating" | "network-interface" | "tags" | "describe";

export interface Ec2Bucket {
  /** Tokens the bucket holds: the burst. */
  size: number;
  /** Tokens added per second. */
  refillPerSecond: number;
}

export type Ec2Action =
  | "CreateNetworkInterface"
  | "AttachNetworkInterface"
  | "ModifyNetworkInterfaceAttribute"
  | "AssignPrivateIpAddresses"
  | "UnassignPrivateIpAddresses"
  | "DetachNetworkInterface"
  | "DeleteNetworkInterface"
  | "DescribeSubnets"
  | "DescribeInstances"
  | "DescribeNetworkInterfaces"
  | "CreateTags";

export interface PlanEc2Call {
  action: Ec2Action;
  category: Ec2CallCategory;
  count: Range;
  bucket: Ec2Bucket;
  /** Seconds the bucket needs to serve `count.max` calls from full: 0 when they fit the burst. */
  secondsAtRefill: number;
  /** All `count.max` calls fit the bucket within the settle time (burst plus refill). */
  fits: boolean;
}

export interface PlanEc2 {
  calls: PlanEc2Call[];
  fits: boolean;
  /** One sentence: "412 EC2 calls; AssignPrivateIpAddresses needs 63 s of its bucket (100, 5/s)". */
  summary: string;
}

export interface PlanSettle {
  /** Seconds until every pod that can get an IP has one and the warm pools are at target. */
  seconds: Range;
  /** How it is counted: attach delay and IPAMD cycles on the slowest node. */
  summary: string;
  /** Nodes whose IPAMD never settles (it keeps undoing and redoing an ENI or addresses): `seconds` is
   * then only the time to the first turn. */
  loop?: {
    nodes: string[];
    /** Seconds between two turns, over the seeds. */
    periodSeconds: Range;
    /** EC2 calls an hour the looping nodes make together. */
    callsPerHour: number;
  };
}

export interface PlanChangeReport {
  change: PlanChange;
  /** The change in words: "scale Deployment default/nginx-deployment 2 -> 50". */
  text: string;
  /** at-once: running nodes follow it now; replaced-nodes: only nodes started after it (kubelet max pods,
   * the primary ENI under custom networking); both when part of it is each. */
  effect: "at-once" | "replaced-nodes" | "both";
  /** What only replaced nodes get, when `effect` is not at-once. */
  note?: string;
}

export type PlanAnswer =
  | {
      kind: "replicas-that-fit";
      workload: WorkloadRef;
      current: number;
      /** The most replicas with none Pending, over the seeds. */
      fit: Range;
      /** What stops the next one, in one sentence. */
      limit: string;
    }
  | {
      kind: "nodes-needed";
      like: PodRef;
      count: number;
      instanceType: string;
      nodes: Range;
      maxPods: number;
      summary: string;
    }
  | {
      kind: "instance-types";
      like: PodRef;
      count: number;
      family: string;
      options: InstanceTypeOption[];
      fewestNodes: string | null;
      fewestEnis: string | null;
      fewestAddresses: string | null;
    };

export interface InstanceTypeOption {
  instanceType: string;
  maxPods: number;
  nodes: number;
  enis: Range;
  /** Subnet addresses the new nodes take: primary IPs plus assigned secondary IPs or prefixes x 16. */
  addresses: Range;
}

export interface PlanResult {
  /** The changes as understood, in order, with what takes effect when. */
  changes: PlanChangeReport[];
  seeds: number[];
  /** The planned cluster in the report's shape (first seed): what the map and `report` draw. */
  report: Report;
  nodes: PlanNode[];
  /** Names of the nodes a roll-over or an instance-type change replaces. */
  nodesToReplace: string[];
  pending: PlanPendingPod[];
  subnets: PlanSubnet[];
  ec2: PlanEc2;
  settle: PlanSettle;
  /** The first limit hit, one sentence ("at 46 replicas every node is at max pods 17 (3 ENIs x 5 IPs + 2)"),
   * or null when nothing limits the change. */
  firstLimit: string | null;
  /** What takes effect at once and what only on replaced nodes, in sentences. */
  effects: { atOnce: string[]; onReplacedNodes: string[] };
  answers: PlanAnswer[];
  /** Figures the plan could not know (unknown instance types, nodes without ENI data ...). */
  warnings: string[];
}

/** The planner's signature. Throws PlanInputError (./errors.ts) on bad input, never anything else on input
 * a source produced. */
export type PlanCluster = (input: PlanInput) => PlanResult;
