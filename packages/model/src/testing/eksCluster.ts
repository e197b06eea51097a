// A regular EKS cluster of any size, as a source would read it, for the planner's speed measurement,
// the benchmarks past 5,000 nodes and tests: m5.xlarge nodes over four zones, WARM_ENI_TARGET=1, each node
// with aws-node and kube-proxy (hostNetwork) and `podsPerNode` pods of a few Deployments, their IPs on the
// node's ENIs as IPAMD leaves them (a full ENI's worth warm). A subnet is at most a /16 (CreateSubnet's
// limit), so a zone gets as many /16 node subnets as its nodes' addresses fill, each a CIDR block of the
// VPC (10.N.0.0/16), the way big EKS clusters add secondary CIDR blocks; a VPC holds at most 50 of them
// (the "IPv4 CIDR blocks per VPC" quota at its maximum), so a cluster needing more is refused.
import { defaultCniConfig } from "../cniConfig.ts";
import { formatIpv4, parseIpv4 } from "../ipv4.ts";
import type {
  ClusterInput,
  EniInput,
  InstanceInput,
  NodeInput,
  PodInput,
  PodScheduling,
  SubnetInput,
} from "../types.ts";

const ZONES = ["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"];
const PER_ENI = 14;
const MAX_ENIS = 4;
const DEPLOYMENTS = ["web", "api", "worker", "cache", "batch"];
// One object for every pod, as the Kubernetes adapter shares equal label sets (kube/map.ts).
const noLabels: Record<string, string> = {};

const requests: PodScheduling = {
  cpuMilli: 10,
  memoryBytes: 16 * 2 ** 20,
  podEni: 0,
  cpuScoreMilli: 10,
  memoryScoreBytes: 16 * 2 ** 20,
  nodeSelector: null,
  nodeAffinity: null,
  preferredAffinity: null,
  tolerations: null,
  priority: 0,
};
const daemon: PodScheduling = {
  ...requests,
  cpuMilli: 25,
  cpuScoreMilli: 25,
  memoryBytes: 0,
  memoryScoreBytes: 200 * 2 ** 20,
};

/** Usable addresses of a /16: AWS keeps the first four and the last. */
const SUBNET_USABLE = 65_531;
const MAX_VPC_CIDR_BLOCKS = 50;

export function eksCluster(nodeCount: number, podsPerNode: number): ClusterInput {
  const ipPods = Math.min(podsPerNode, (MAX_ENIS - 1) * PER_ENI + PER_ENI);
  const enisNeeded = Math.min(MAX_ENIS, Math.ceil(ipPods / PER_ENI) + 1);
  // Every ENI's primary address (the first ENI's is the node's) and its secondary ones.
  const nodesPerSubnet = Math.floor(SUBNET_USABLE / (enisNeeded * (1 + PER_ENI)));
  const perZone = Math.max(1, Math.ceil(Math.ceil(nodeCount / ZONES.length) / nodesPerSubnet));
  if (perZone * ZONES.length > MAX_VPC_CIDR_BLOCKS)
    throw new RangeError(
      `${nodeCount} nodes at ${podsPerNode} pods need ${perZone * ZONES.length} /16 subnets; a VPC holds ${MAX_VPC_CIDR_BLOCKS} CIDR blocks`,
    );
  // Subnet i is 10.i.0.0/16 in zone i % 4, so the first four are the zones' first subnets at any size.
  const subnets: SubnetInput[] = Array.from({ length: perZone * ZONES.length }, (_, i) => {
    const zone = ZONES[i % ZONES.length] as string;
    const nth = Math.floor(i / ZONES.length);
    return {
      id: `subnet-${i}`,
      vpcId: "vpc-1",
      cidr: `10.${i}.0.0/16`,
      zone,
      availableIps: SUBNET_USABLE,
      name: nth === 0 ? `nodes-${zone}` : `nodes-${zone}-${nth + 1}`,
    };
  });
  const next = subnets.map((s) => (parseIpv4(s.cidr.split("/")[0] as string) as number) + 4);
  const nodes: NodeInput[] = [];
  const instances: InstanceInput[] = [];
  const enis: EniInput[] = [];
  const pods: PodInput[] = [];
  const created = "2026-01-01T00:00:00Z";
  for (let n = 0; n < nodeCount; n++) {
    const zoneNodes = Math.floor(n / ZONES.length);
    const z = (n % ZONES.length) + ZONES.length * Math.floor(zoneNodes / nodesPerSubnet);
    const subnet = subnets[z] as SubnetInput;
    const take = () => formatIpv4((next[z] as number)++);
    const name = `node-${String(n).padStart(5, "0")}.us-west-2.compute.internal`;
    const instanceId = `i-${n.toString(16).padStart(17, "0")}`;
    const nodeIp = take();
    const podIps: string[] = [];
    for (let d = 0; d < enisNeeded; d++) {
      const primaryIp = d === 0 ? nodeIp : take();
      const secondaryIps = Array.from({ length: PER_ENI }, take);
      podIps.push(...secondaryIps);
      enis.push({
        id: `eni-${n}-${d}`,
        subnetId: subnet.id,
        vpcId: "vpc-1",
        zone: subnet.zone,
        status: "in-use",
        interfaceType: "interface",
        description: d === 0 ? "" : `aws-K8S-${instanceId}`,
        instanceId,
        deviceIndex: d,
        networkCardIndex: 0,
        attachmentStatus: "attached",
        attachTime: created,
        primaryIp,
        secondaryIps,
        prefixes: [],
        noManage: false,
        cniManaged: d > 0,
        requesterManaged: false,
        createdAt: created,
      });
    }
    nodes.push({
      name,
      instanceId,
      instanceType: "m5.xlarge",
      zone: subnet.zone,
      nodeGroup: "ng-1",
      capacityType: "ON_DEMAND",
      internalIp: nodeIp,
      ready: true,
      cordoned: false,
      allocatablePods: 58,
      allocatableCpuMilli: 3920,
      allocatableMemoryBytes: 14 * 2 ** 30,
      createdAt: created,
      labels: {
        "eks.amazonaws.com/nodegroup": "ng-1",
        "topology.kubernetes.io/zone": subnet.zone as string,
        "node.kubernetes.io/instance-type": "m5.xlarge",
      },
    });
    instances.push({
      id: instanceId,
      instanceType: "m5.xlarge",
      zone: subnet.zone,
      state: "running",
      privateIp: nodeIp,
      privateDnsName: name,
      subnetId: subnet.id,
      vpcId: "vpc-1",
    });
    const pod = (
      namespace: string,
      podName: string,
      owner: string,
      ip: string | null,
      hostNetwork: boolean,
      s: PodScheduling,
    ): PodInput => ({
      namespace,
      name: podName,
      uid: null,
      nodeName: name,
      phase: "Running",
      hostNetwork,
      podIp: ip,
      owner,
      status: "Running",
      scheduledReason: null,
      scheduledMessage: null,
      waitingReason: null,
      deleting: false,
      createdAt: created,
      labels: noLabels,
      scheduling: s,
    });
    pods.push(pod("kube-system", `aws-node-${n}`, "DaemonSet/aws-node", nodeIp, true, daemon));
    pods.push(pod("kube-system", `kube-proxy-${n}`, "DaemonSet/kube-proxy", nodeIp, true, daemon));
    for (let p = 0; p < ipPods; p++) {
      const d = DEPLOYMENTS[(n + p) % DEPLOYMENTS.length] as string;
      pods.push(
        pod("default", `${d}-5d8f7c9b4-${n}x${p}`, `Deployment/${d}`, podIps[p] ?? null, false, requests),
      );
    }
  }
  for (const [i, s] of subnets.entries())
    s.availableIps =
      SUBNET_USABLE - ((next[i] as number) - (parseIpv4(s.cidr.split("/")[0] as string) as number) - 4);
  return {
    clusterName: "bench",
    region: "us-west-2",
    nodes,
    pods,
    events: [],
    enis,
    instances,
    subnets,
    cni: { ...defaultCniConfig(), detected: true },
  };
}
