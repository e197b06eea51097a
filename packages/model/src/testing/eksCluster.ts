// A regular EKS cluster of any size, as a source would read it, for the planner's speed measurement and
// tests: m5.xlarge nodes over four zones (one /16 node subnet each), WARM_ENI_TARGET=1, each node with
// aws-node and kube-proxy (hostNetwork) and `podsPerNode` pods of a few Deployments, their IPs on the
// node's ENIs as IPAMD leaves them (a full ENI's worth warm).
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

export function eksCluster(nodeCount: number, podsPerNode: number): ClusterInput {
  const subnets: SubnetInput[] = ZONES.map((zone, i) => ({
    id: `subnet-${i}`,
    vpcId: "vpc-1",
    cidr: `10.${i}.0.0/16`,
    zone,
    availableIps: 65_531,
    name: `nodes-${zone}`,
  }));
  const next = subnets.map((s) => (parseIpv4(s.cidr.split("/")[0] as string) as number) + 4);
  const nodes: NodeInput[] = [];
  const instances: InstanceInput[] = [];
  const enis: EniInput[] = [];
  const pods: PodInput[] = [];
  const created = "2026-01-01T00:00:00Z";
  for (let n = 0; n < nodeCount; n++) {
    const z = n % ZONES.length;
    const subnet = subnets[z] as SubnetInput;
    const take = () => formatIpv4((next[z] as number)++);
    const name = `node-${String(n).padStart(5, "0")}.us-west-2.compute.internal`;
    const instanceId = `i-${n.toString(16).padStart(17, "0")}`;
    const nodeIp = take();
    const ipPods = Math.min(podsPerNode, (MAX_ENIS - 1) * PER_ENI + PER_ENI);
    const enisNeeded = Math.min(MAX_ENIS, Math.ceil(ipPods / PER_ENI) + 1);
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
      labels: {},
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
      65_531 - ((next[i] as number) - (parseIpv4(s.cidr.split("/")[0] as string) as number) - 4);
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
