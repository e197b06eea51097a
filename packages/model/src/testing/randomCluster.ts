// Seeded random clusters for tests that compare builds with each other: every kind of ENI and pod the
// model handles (secondary IPs listed out of order, /28 prefixes, trunk and branch ENIs, no_manage and
// EFA ENIs, another network card, detached ENIs; pods Running on their node, holding another node's IP,
// claiming an IP twice, with an IP on no ENI, IPv6 only, hostNetwork, Pending with or without a node,
// finished), pods in random order rather than node by node.
import { cniConfigFromEnv } from "../cniConfig.ts";
import { formatIpv4, parseIpv4 } from "../ipv4.ts";
import { seeded } from "../seeded.ts";
import type {
  ClusterInput,
  EniInput,
  EventInput,
  InstanceInput,
  NodeInput,
  PodInput,
  PodPhase,
} from "../types.ts";

export { seeded };

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

export interface RandomClusterOptions {
  nodes?: number;
  prefixDelegation?: boolean;
}

const TYPES = ["t3.medium", "m5.large", "c5d.large", "m5.2xlarge", "x9.unknown"];

export function randomCluster(seed: number, options: RandomClusterOptions = {}): ClusterInput {
  const random = seeded(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const nodeCount = options.nodes ?? 12;
  const pd = options.prefixDelegation ?? false;
  const nodes: NodeInput[] = [];
  const instances: InstanceInput[] = [];
  const enis: EniInput[] = [];
  const pods: PodInput[] = [];
  const events: EventInput[] = [];
  const base = parseIpv4("10.20.0.0")!;
  let next = 10;
  const ip = () => formatIpv4(base + next++);
  const podIps: { ip: string; node: string }[] = [];

  const eni = (
    id: string,
    instanceId: string | null,
    deviceIndex: number | null,
    more: Partial<EniInput>,
  ) => {
    const secondaryIps = Array.from({ length: 1 + Math.floor(random() * 6) }, ip);
    const input: EniInput = {
      id,
      subnetId: pick(["subnet-a", "subnet-b"]),
      vpcId: "vpc-1",
      zone: "us-west-2a",
      status: instanceId === null ? "available" : "in-use",
      interfaceType: "interface",
      description: "",
      instanceId,
      deviceIndex,
      networkCardIndex: 0,
      attachmentStatus: instanceId === null ? null : "attached",
      attachTime: null,
      primaryIp: ip(),
      secondaryIps: shuffle(secondaryIps, random),
      prefixes: [],
      noManage: false,
      cniManaged: deviceIndex !== 0,
      requesterManaged: false,
      createdAt: null,
      ...more,
    };
    enis.push(input);
    return input;
  };

  for (let n = 0; n < nodeCount; n++) {
    const name = `ip-10-20-0-${n}.compute.internal`;
    const instanceId = `i-${n.toString(16).padStart(8, "0")}`;
    const type = n === 3 ? "x9.unknown" : pick(TYPES.slice(0, 4));
    nodes.push({
      name,
      // One node found by its IP in the EC2 data rather than its providerID.
      instanceId: n === 2 ? null : instanceId,
      instanceType: n === 1 ? null : type,
      zone: pick(["us-west-2a", "us-west-2b"]),
      nodeGroup: "ng",
      capacityType: "ON_DEMAND",
      internalIp: formatIpv4(base + 1000 + n),
      ready: random() > 0.1,
      cordoned: random() < 0.1,
      allocatablePods: pick([17, 29, 58, 110]),
      allocatableCpuMilli: 1930,
      allocatableMemoryBytes: 3e9,
      createdAt: null,
    });
    instances.push({
      id: instanceId,
      instanceType: type,
      zone: "us-west-2a",
      state: "running",
      privateIp: formatIpv4(base + 1000 + n),
      privateDnsName: name,
      subnetId: "subnet-a",
      vpcId: "vpc-1",
    });
    const count = 1 + Math.floor(random() * 3);
    for (let d = 0; d < count; d++) {
      const more: Partial<EniInput> = {};
      if (pd && d > 0) {
        const block = Math.floor((base + 4096 + next * 16) / 16) * 16;
        next += 2;
        more.prefixes = [`${formatIpv4(block)}/28`];
        more.secondaryIps = [];
      }
      if (d === 2 && n % 4 === 0) more.noManage = true;
      if (d === 2 && n % 5 === 0) more.networkCardIndex = 1;
      if (d === 1 && n % 6 === 0) more.interfaceType = "efa";
      const e = eni(`eni-${n}-${d}`, instanceId, d, more);
      for (const slot of e.secondaryIps) podIps.push({ ip: slot, node: name });
      for (const prefix of e.prefixes) {
        const first = parseIpv4(prefix.slice(0, prefix.indexOf("/")))!;
        for (let k = Math.floor(random() * 8); k < 16; k += 1 + Math.floor(random() * 3)) {
          podIps.push({ ip: formatIpv4(first + k), node: name });
        }
      }
    }
    if (n % 7 === 5) {
      eni(`eni-${n}-trunk`, instanceId, 3, { interfaceType: "trunk", secondaryIps: [] });
      const branch = eni(`eni-${n}-branch`, null, null, {
        interfaceType: "branch",
        status: "in-use",
        secondaryIps: [],
        tagInstanceId: instanceId,
      });
      podIps.push({ ip: branch.primaryIp!, node: name });
    }
  }
  eni("eni-detached", null, null, { cniManaged: true });
  eni("eni-elb", null, null, { interfaceType: "other", status: "in-use" });

  let serial = 0;
  const pod = (namespace: string, nodeName: string | null, podIp: string | null, phase: PodPhase) => {
    const p: PodInput = {
      namespace,
      name: `app-${serial++}`,
      uid: null,
      nodeName,
      phase,
      hostNetwork: false,
      podIp,
      owner: pick([null, "Deployment/app", "DaemonSet/agent"]),
      status: phase === "Pending" ? pick(["Pending", "ContainerCreating"]) : phase,
      scheduledReason: null,
      scheduledMessage: null,
      waitingReason: null,
      deleting: false,
      createdAt: null,
      labels: random() < 0.5 ? { app: `a${serial % 3}` } : {},
    };
    pods.push(p);
    return p;
  };
  for (const slot of podIps) {
    const roll = random();
    if (roll < 0.55) pod(pick(["default", "kube-system", "shop"]), slot.node, slot.ip, "Running");
    else if (roll < 0.6) pod("default", pick(nodes).name, slot.ip, "Running");
    else if (roll < 0.63) {
      pod("default", slot.node, slot.ip, "Running");
      pod("default", slot.node, slot.ip, "Running");
    } else if (roll < 0.65) pod("shop", slot.node, slot.ip, "Succeeded");
  }
  pod("default", nodes[0]!.name, "10.99.0.1", "Running");
  pod("default", nodes[0]!.name, "not-an-ip", "Running");
  pod("default", nodes[1]!.name, "2600:1f14::1", "Running");
  pod("default", "a-node-that-is-gone", podIps[0]?.ip ?? null, "Running");
  for (const node of nodes) {
    for (const agent of ["aws-node", "kube-proxy"]) {
      const p = pod("kube-system", node.name, node.internalIp, "Running");
      p.name = `${agent}-${p.name}`;
      p.hostNetwork = true;
    }
  }
  for (let i = 0; i < 6; i++) {
    const unscheduled = pod("shop", null, null, "Pending");
    unscheduled.scheduledReason = "Unschedulable";
    unscheduled.scheduledMessage = pick([
      "0/12 nodes are available: 12 Too many pods.",
      "0/12 nodes are available: 3 Insufficient cpu.",
    ]);
    const waiting = pod("shop", pick(nodes).name, null, "Pending");
    events.push({
      namespace: waiting.namespace,
      kind: "Pod",
      name: waiting.name,
      reason: "FailedCreatePodSandBox",
      message: "plugin type=aws-cni failed to assign an IP address to container",
      type: "Warning",
      count: 1 + i,
      lastSeen: `2026-11-23T12:0${i}:00Z`,
    });
  }
  events.push({
    namespace: "default",
    kind: "Node",
    name: nodes[0]!.name,
    reason: "NodeReady",
    message: "ready",
    type: "Normal",
    count: 1,
    lastSeen: null,
  });

  return {
    clusterName: "random",
    region: "us-west-2",
    nodes,
    pods: shuffle(pods, random),
    events,
    enis: shuffle(enis, random),
    instances,
    subnets: [
      {
        id: "subnet-a",
        vpcId: "vpc-1",
        cidr: "10.20.0.0/20",
        zone: "us-west-2a",
        availableIps: 3000,
        name: "a",
      },
      {
        id: "subnet-b",
        vpcId: "vpc-1",
        cidr: "10.20.16.0/20",
        zone: "us-west-2b",
        availableIps: 4,
        name: null,
      },
    ],
    cni: cniConfigFromEnv(pd ? { ENABLE_PREFIX_DELEGATION: "true" } : {}),
  };
}
