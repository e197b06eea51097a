// A seeded synthetic cluster of any size for developing the dashboard and for the browser benchmark.
// Shapes follow the VPC CNI in secondary-IP mode with WARM_ENI_TARGET=1 (an idle node holds one ENI, the first
// pod that takes an IP attaches the second, and so on up to the type's limit), or prefix delegation with
// WARM_PREFIX_TARGET=1. The shipped app never uses this: it always reads the server.
import type {
  CniConfig,
  EniReport,
  NodeReport,
  PendingPodReport,
  PodReport,
  SlotReport,
  SubnetReport,
  Topology,
  ZoneReport,
} from "@eni-view/model";
import {
  nodeEnisBySubnet,
  seeded,
  subnetAddressMap,
  summariseAddressMap,
  withZoneSpace,
} from "@eni-view/model";

interface TypeFacts {
  type: string;
  vcpus: number;
  maxEnis: number;
  ipv4PerEni: number;
}

// Public EC2 figures (DescribeInstanceTypes): MaximumNetworkInterfaces x IPv4AddressesPerInterface.
const types: Record<string, TypeFacts> = {
  "t3.medium": { type: "t3.medium", vcpus: 2, maxEnis: 3, ipv4PerEni: 6 },
  "m5.large": { type: "m5.large", vcpus: 2, maxEnis: 3, ipv4PerEni: 10 },
  "m5.xlarge": { type: "m5.xlarge", vcpus: 4, maxEnis: 4, ipv4PerEni: 15 },
  "c5.xlarge": { type: "c5.xlarge", vcpus: 4, maxEnis: 4, ipv4PerEni: 15 },
};

export interface SyntheticOptions {
  nodes: number;
  podsPerNode: number;
  seed?: number;
  instanceTypes?: string[];
  prefixDelegation?: boolean;
  /** Extra pods beyond what fits, left Pending. */
  pending?: number;
  clusterName?: string;
  /** Every Nth node runs kubelet with max pods 110, past what its ENIs hold (0: none). */
  overcommitEvery?: number;
}

const zones = ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"];
const workloads = [
  { ns: "default", app: "nginx-deployment" },
  { ns: "web", app: "frontend" },
  { ns: "web", app: "api" },
  { ns: "payments", app: "ledger" },
  { ns: "monitoring", app: "prometheus-agent" },
  { ns: "batch", app: "report-worker" },
  { ns: "search", app: "indexer" },
  { ns: "kube-system", app: "coredns" },
];

function ipString(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

export function syntheticTopology(o: SyntheticOptions): Topology {
  const rand = seeded(o.seed ?? 1);
  const hex = (len: number) => {
    let s = "";
    for (let i = 0; i < len; i++) s += Math.floor(rand() * 16).toString(16);
    return s;
  };
  const pd = o.prefixDelegation ?? false;
  const typeNames = o.instanceTypes ?? (o.nodes <= 10 ? ["t3.medium"] : ["m5.xlarge", "c5.xlarge"]);
  const small = o.nodes <= 30 && !pd;
  // Per zone one subnet; its next free address grows as ENIs take IPs.
  // A /15 per zone up to about 10,000 nodes; past that each zone's subnet grows to hold its nodes' IPs
  // (4 ENIs of up to 16 addresses each) with room to spare, as a real cluster that size would be given.
  const perZone = Math.ceil(o.nodes / zones.length) * 4 * 16 * (pd ? 4 : 1);
  const bits = small ? 8 : o.nodes <= 10_000 ? 17 : Math.max(17, Math.ceil(Math.log2(perZone * 1.25)));
  const subnetBase = zones.map(
    (_, zi) =>
      (small
        ? (192 << 24) | (168 << 16) | ((zi + 1) << 8)
        : ((10 << 24) | ((zi * 2 ** (bits - 16)) << 16)) >>> 0) >>> 0,
  );
  const nextIp = subnetBase.map((b) => b + 10);
  const subnetIds = zones.map(() => `subnet-0${hex(16)}`);
  // A VPC subnet is at most a /16: a zone's range past one /16 is cut into /16 subnets, each ENI in one of
  // them whole (an ENI's block that would cross into the next /16 starts past its reserved first addresses).
  const subnetBits = small ? 8 : 16;
  const subnetOf = (zi: number, address: number) => {
    const k = Math.floor((address - subnetBase[zi]!) / 2 ** subnetBits);
    const id = subnetIds[zi]!;
    return { k, id: k === 0 ? id : `${id.slice(0, -4)}${k.toString(16).padStart(4, "0")}` };
  };
  // Each /16 filled to 80 % where the zone's range has the room, so none reads as nearly out.
  const fill = !small && perZone / 0.8 <= 2 ** bits ? 0.8 : 1;
  const fitEni = (zi: number, addresses: number) => {
    const into = (nextIp[zi]! - subnetBase[zi]!) % 2 ** subnetBits;
    if (!small && into + addresses >= Math.min(2 ** subnetBits - 1, fill * 2 ** subnetBits))
      nextIp[zi] = nextIp[zi]! - into + 2 ** subnetBits + 10;
  };
  const nodes: NodeReport[] = [];
  const pods: PodReport[] = [];
  const pending: PendingPodReport[] = [];
  const podIndex = new Map<string, number>();
  const now = new Date(Date.UTC(2026, 10, 23, 12, 0, 0)).toISOString();

  for (let i = 0; i < o.nodes; i++) {
    const zi = i % zones.length;
    const facts = types[typeNames[i % typeNames.length]!]!;
    const perEni = (facts.ipv4PerEni - 1) * (pd ? 16 : 1);
    const uncapped = facts.maxEnis * perEni + 2;
    const maxPods = pd ? Math.min(uncapped, facts.vcpus > 30 ? 250 : 110) : uncapped;
    const want = Math.min(o.podsPerNode, maxPods - 2);
    // Warm pool: one ENI's worth (or one /28) of free IPs while ENIs remain.
    let enisNeeded = Math.min(facts.maxEnis, Math.ceil((want + perEni) / perEni));
    let prefixesNeeded = 0;
    if (pd) {
      prefixesNeeded = Math.min(facts.maxEnis * (facts.ipv4PerEni - 1), Math.ceil(want / 16) + 1);
      enisNeeded = Math.ceil(prefixesNeeded / (facts.ipv4PerEni - 1));
    }
    const take = (count: number) => {
      const ips: string[] = [];
      for (let k = 0; k < count; k++) ips.push(ipString(nextIp[zi]!++ >>> 0));
      return ips;
    };
    const instanceId = `i-0${hex(16)}`;
    const enis: EniReport[] = [];
    let prefixesLeft = prefixesNeeded;
    for (let d = 0; d < enisNeeded; d++) {
      fitEni(zi, 1 + (pd ? 16 * (Math.min(facts.ipv4PerEni - 1, prefixesLeft) + 1) : perEni));
      const subnetId = subnetOf(zi, nextIp[zi]!).id;
      const primaryIp = take(1)[0]!;
      let slotsIps: { ip: string; prefix?: string }[];
      let prefixes: string[] = [];
      if (pd) {
        const n = Math.min(facts.ipv4PerEni - 1, prefixesLeft);
        prefixesLeft -= n;
        slotsIps = [];
        for (let p = 0; p < n; p++) {
          nextIp[zi] = Math.ceil(nextIp[zi]! / 16) * 16;
          const ips = take(16);
          const prefix = `${ips[0]}/28`;
          prefixes.push(prefix);
          for (const ip of ips) slotsIps.push({ ip, prefix });
        }
      } else slotsIps = take(perEni).map((ip) => ({ ip }));
      enis.push({
        id: `eni-0${hex(16)}`,
        deviceIndex: d,
        networkCardIndex: 0,
        onDefaultCard: true,
        subnetId,
        role: d === 0 ? "primary" : "secondary",
        interfaceType: "interface",
        primaryIp,
        slots: slotsIps.map((s) => ({ ip: s.ip, pod: null, ...(s.prefix ? { prefix: s.prefix } : {}) })),
        prefixes,
        podCapacity: true,
        slotLimit: perEni,
        ipsAssigned: slotsIps.length,
        ipsUsed: 0,
        ipsWarm: slotsIps.length,
        attachTime: now,
      });
      prefixes = [];
    }
    const name = `ip-${enis[0]!.primaryIp!.replaceAll(".", "-")}.ap-northeast-2.compute.internal`;
    // Pods land on random ENIs with room, as IPAMD's map iteration does.
    const free: SlotReport[][] = enis.map((e) => [...e.slots]);
    let placed = 0;
    for (let k = 0; k < want; k++) {
      const candidates = free.map((f, idx) => (f.length > 0 ? idx : -1)).filter((idx) => idx >= 0);
      if (candidates.length === 0) break;
      const ei = candidates[Math.floor(rand() * candidates.length)]!;
      const slot = free[ei]!.splice(Math.floor(rand() * free[ei]!.length), 1)[0]!;
      const w = workloads[Math.floor(rand() * workloads.length)]!;
      const podName = `${w.app}-${hex(9)}-${hex(5)}`;
      const key = `${w.ns}/${podName}`;
      slot.pod = key;
      const eni = enis[ei]!;
      eni.ipsUsed++;
      eni.ipsWarm--;
      podIndex.set(key, pods.length);
      pods.push({
        namespace: w.ns,
        name: podName,
        node: name,
        ip: slot.ip,
        eni: eni.id,
        phase: "Running",
        status: "Running",
        owner: `Deployment/${w.app}`,
        labels: { app: w.app },
      });
      placed++;
    }
    const ipsAssigned = enis.reduce((s, e) => s + e.ipsAssigned, 0);
    const overcommitted =
      (o.overcommitEvery ?? 0) > 0 && i % o.overcommitEvery! === 0 && !pd && maxPods < 110;
    nodes.push({
      name,
      instanceId,
      instanceType: facts.type,
      zone: zones[zi]!,
      nodeGroup: `ng-${facts.type.replace(".", "-")}`,
      capacityType: "ON_DEMAND",
      internalIp: enis[0]!.primaryIp,
      kind: "ec2",
      ipFamily: "ipv4",
      enisKnown: true,
      branchEnis: null,
      podCidrs: [],
      ready: rand() > 0.002,
      cordoned: rand() < 0.002,
      maxPods: overcommitted ? 110 : maxPods,
      maxPodsByEni: maxPods,
      capacity: {
        instanceType: facts.type,
        known: true,
        vcpus: facts.vcpus,
        maxEnis: facts.maxEnis,
        ipv4PerEni: facts.ipv4PerEni,
        podEnis: facts.maxEnis,
        podIpsPerEni: perEni,
        podIps: facts.maxEnis * perEni,
        maxPods,
        maxPodsUncapped: pd ? uncapped : null,
        mode: pd ? "prefix-delegation" : "secondary-ip",
      },
      overcommitted,
      enis,
      eniSlotsFree: facts.maxEnis - enis.length,
      ipsAssigned,
      ipsUsed: placed,
      ipsWarm: ipsAssigned - placed,
      pods: placed + 2,
      podsRunning: placed + 2,
      hostNetworkPods: [
        { namespace: "kube-system", name: `aws-node-${hex(5)}` },
        { namespace: "kube-system", name: `kube-proxy-${hex(5)}` },
      ],
      podsWaitingForIp: 0,
      podsOffEni: [],
      warnings: [],
      notes: [],
      eniConfig: null,
      cniFeatures: [],
    });
  }
  for (let k = 0; k < (o.pending ?? 0); k++) {
    pending.push({
      namespace: "default",
      name: `nginx-deployment-${hex(9)}-${hex(5)}`,
      node: null,
      reason: "too-many-pods",
      message: `0/${o.nodes} nodes are available: ${o.nodes} Too many pods. preemption: 0/${o.nodes} nodes are available: ${o.nodes} No preemption victims found for incoming pod.`,
      status: "Pending",
      owner: "Deployment/nginx-deployment",
      since: now,
    });
  }
  const sum = (f: (n: NodeReport) => number) => nodes.reduce((s, n) => s + f(n), 0);
  const enisBySubnet = new Map<string, EniReport[]>();
  for (const n of nodes)
    for (const e of n.enis) {
      const list = enisBySubnet.get(e.subnetId);
      if (list) list.push(e);
      else enisBySubnet.set(e.subnetId, [e]);
    }
  const nodeEnis = nodeEnisBySubnet(nodes);
  const subnets: SubnetReport[] = zones.flatMap((zone, zi) => {
    const last = subnetOf(zi, nextIp[zi]! - 1).k;
    return Array.from({ length: last + 1 }, (_, k) => {
      const base = subnetBase[zi]! + k * 2 ** subnetBits;
      const id = subnetOf(zi, base).id;
      const enis = enisBySubnet.get(id) ?? [];
      const cidr = `${ipString(base)}/${32 - subnetBits}`;
      const map = subnetAddressMap(cidr, nodeEnis.get(id) ?? [], [], [], false);
      const space = map === null ? null : summariseAddressMap(map);
      return {
        id,
        name: k === 0 ? `eks-${zone}` : `eks-${zone}-${k}`,
        cidr,
        zone,
        availableIps: space?.free ?? 0,
        totalIps: 2 ** subnetBits - 5,
        enis: enis.length,
        ipsAssigned: enis.reduce((s, e) => s + e.ipsAssigned + 1, 0),
        ipsUsed: enis.reduce((s, e) => s + e.ipsUsed, 0),
        ipsWarm: enis.reduce((s, e) => s + e.ipsWarm, 0),
        used: true,
        space,
        others: [],
        reservations: [],
      };
    });
  });
  const totalsOf = (ns: NodeReport[]) => ({
    nodes: ns.length,
    enisAttached: ns.reduce((s, n) => s + n.enis.length, 0),
    enisPossible: ns.reduce((s, n) => s + (n.capacity.maxEnis ?? 0), 0),
    nodesCapacityUnknown: ns.filter((n) => n.capacity.maxEnis === null).length,
    nodesEnisUnknown: 0,
    enisOtherCards: 0,
    ipsAssigned: ns.reduce((s, n) => s + n.ipsAssigned, 0),
    ipsUsed: ns.reduce((s, n) => s + n.ipsUsed, 0),
    ipsWarm: ns.reduce((s, n) => s + n.ipsWarm, 0),
    pods: ns.reduce((s, n) => s + n.pods, 0),
    podsRunning: ns.reduce((s, n) => s + n.podsRunning, 0),
    pendingPods: 0,
    maxPods: ns.reduce((s, n) => s + (n.maxPods ?? 0), 0),
    maxPodsByEni: ns.reduce((s, n) => s + (n.maxPodsByEni ?? 0), 0),
  });
  const zoneReports: ZoneReport[] = withZoneSpace(
    zones.map((zone) => ({
      zone,
      ...totalsOf(nodes.filter((n) => n.zone === zone)),
      subnetAvailableIps: subnets.filter((s) => s.zone === zone).reduce((n, s) => n + s.availableIps, 0),
    })),
    subnets,
  );
  const cni: CniConfig = {
    prefixDelegation: pd,
    customNetworking: false,
    podEni: false,
    warmEniTarget: pd ? null : 1,
    warmIpTarget: null,
    minimumIpTarget: null,
    warmPrefixTarget: pd ? 1 : null,
    maxEni: null,
    ipCooldownSeconds: 30,
    externalSnat: false,
    version: "v1.19.2-eksbuild.1",
    detected: true,
  };
  return {
    cluster: { name: o.clusterName ?? "synthetic", region: "ap-northeast-2", cni },
    summary: {
      ...totalsOf(nodes),
      pendingPods: pending.length,
      hostNetworkPods: sum((n) => n.hostNetworkPods.length),
      podsOnUnknownNodes: 0,
      kinds: { ec2: nodes.length },
      overcommittedNodes: nodes.filter((n) => n.overcommitted).length,
      unplacedPods: 0,
      detachedEnis: 0,
    },
    nodes,
    pods,
    pending,
    subnets,
    zones: zoneReports,
    detachedEnis: [],
    warnings: [],
    seq: 1,
    generatedAt: now,
    source: "snapshot",
    sources: {
      kubernetes: { stale: false, error: null, since: null, lastSuccess: now },
      ec2: { stale: false, error: null, since: null, lastSuccess: now },
    },
  };
}
