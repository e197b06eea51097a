// Times buildReport on a synthetic large cluster: 5,000 m5.2xlarge nodes, 3 ENIs x 14 secondary IPs
// each (15,000 ENIs, half listing their IPs out of order), 30 IP-using pods + aws-node + kube-proxy per
// node (160,000 pods), 500 Pending pods.
//   node packages/model/scripts/bench-report.ts [nodes]
// The input goes through JSON first, as it does when it comes from files or the Kubernetes API.

import { cniConfigFromEnv } from "../src/cniConfig.ts";
import { formatIpv4 } from "../src/ipv4.ts";
import { buildReport } from "../src/report.ts";
import type { ClusterInput, EniInput, NodeInput, PodInput } from "../src/types.ts";

const nodeCount = Number(process.argv[2] ?? 5000);
const nodes: NodeInput[] = [];
const enis: EniInput[] = [];
const pods: PodInput[] = [];
let next = 10 * 2 ** 24; // 10.0.0.0

function pod(name: string, nodeName: string | null, podIp: string | null, hostNetwork = false): PodInput {
  return {
    namespace: "default",
    name,
    uid: null,
    nodeName,
    phase: nodeName === null ? "Pending" : "Running",
    hostNetwork,
    podIp,
    owner: "Deployment/app",
    status: nodeName === null ? "Pending" : "Running",
    scheduledReason: nodeName === null ? "Unschedulable" : null,
    scheduledMessage: nodeName === null ? "0/5000 nodes are available: 5000 Too many pods." : null,
    waitingReason: null,
    deleting: false,
    createdAt: null,
    labels: { app: "app" },
  };
}

for (let i = 0; i < nodeCount; i++) {
  const name = `ip-node-${i}.us-east-1.compute.internal`;
  const instanceId = `i-${i.toString(16).padStart(17, "0")}`;
  const nodeIp = formatIpv4(next);
  nodes.push({
    name,
    instanceId,
    instanceType: "m5.2xlarge",
    zone: `us-east-1${"abc"[i % 3]}`,
    nodeGroup: "ng",
    capacityType: "ON_DEMAND",
    internalIp: nodeIp,
    ready: true,
    cordoned: false,
    allocatablePods: 58,
    allocatableCpuMilli: 7910,
    allocatableMemoryBytes: 30e9,
    createdAt: null,
  });
  for (let d = 0; d < 3; d++) {
    const primaryIp = formatIpv4(next++);
    const secondaryIps = Array.from({ length: 14 }, () => formatIpv4(next++));
    // EC2 lists an ENI's IPs in no particular order: half the ENIs come unsorted.
    if (d % 2 === 1) secondaryIps.reverse();
    enis.push({
      id: `eni-${i}-${d}`,
      subnetId: `subnet-${i % 3}`,
      vpcId: "vpc-1",
      zone: null,
      status: "in-use",
      interfaceType: "interface",
      description: d === 0 ? "" : `aws-K8S-${instanceId}`,
      instanceId,
      deviceIndex: d,
      networkCardIndex: 0,
      attachmentStatus: "attached",
      attachTime: null,
      primaryIp,
      secondaryIps,
      prefixes: [],
      noManage: false,
      cniManaged: d > 0,
      requesterManaged: false,
      createdAt: null,
    });
    for (let k = 0; k < 10; k++) pods.push(pod(`app-${i}-${d}-${k}`, name, secondaryIps[k]!));
  }
  pods.push(pod(`aws-node-${i}`, name, nodeIp, true), pod(`kube-proxy-${i}`, name, nodeIp, true));
}
for (let i = 0; i < 500; i++) pods.push(pod(`pending-${i}`, null, null));

const input = JSON.parse(
  JSON.stringify({
    clusterName: "bench",
    region: "us-east-1",
    nodes,
    pods,
    events: [],
    enis,
    instances: [],
    subnets: [],
    cni: cniConfigFromEnv({}),
  } satisfies ClusterInput),
) as ClusterInput;

// Wall time and CPU time: on a shared machine the wall time also counts the waits for a core.
const wall: number[] = [];
const cpu: number[] = [];
for (let run = 0; run < 7; run++) {
  const t = performance.now();
  const c = process.cpuUsage();
  const report = buildReport(input);
  const used = process.cpuUsage(c);
  wall.push(performance.now() - t);
  cpu.push((used.user + used.system) / 1000);
  if (report.summary.ipsUsed !== nodeCount * 30) throw new Error(`placed ${report.summary.ipsUsed} pods`);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  `buildReport: ${nodes.length} nodes, ${pods.length} pods, ${enis.length} ENIs: ` +
    `first ${wall[0]!.toFixed(0)} ms, median ${median(wall).toFixed(0)} ms wall / ${median(cpu).toFixed(0)} ms CPU, ` +
    `best ${Math.min(...wall).toFixed(0)} ms`,
);
