// Each node kind drawn and counted by AWS's documented rules; every expected number is derived by hand in
// the comment beside it from the public instance-type facts (t3.medium 3 ENIs x 6 IPv4, m5.large 3 x 10 with
// 9 branch ENIs, p5.48xlarge 2 ENIs x 50 on its default card of 32).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { cniConfigFromEnv, defaultCniConfig } from "./cniConfig.ts";
import { buildReport } from "./report.ts";
import type { ClusterInput, EniInput, NodeInput, PodInput } from "./types.ts";

function node(name: string, more: Partial<NodeInput> = {}): NodeInput {
  return {
    name,
    instanceId: null,
    instanceType: null,
    zone: "us-west-2a",
    nodeGroup: null,
    capacityType: null,
    internalIp: null,
    ready: true,
    cordoned: false,
    allocatablePods: null,
    allocatableCpuMilli: 2000,
    allocatableMemoryBytes: 4 * 2 ** 30,
    createdAt: null,
    labels: {},
    ...more,
  };
}

function eni(id: string, more: Partial<EniInput>): EniInput {
  return {
    id,
    subnetId: "subnet-a",
    vpcId: "vpc-1",
    zone: "us-west-2a",
    status: "in-use",
    interfaceType: "interface",
    description: "",
    instanceId: null,
    deviceIndex: null,
    networkCardIndex: 0,
    attachmentStatus: "attached",
    attachTime: null,
    primaryIp: null,
    secondaryIps: [],
    prefixes: [],
    noManage: false,
    cniManaged: false,
    requesterManaged: false,
    createdAt: null,
    ...more,
  };
}

function pod(
  name: string,
  nodeName: string | null,
  podIp: string | null,
  more: Partial<PodInput> = {},
): PodInput {
  return {
    namespace: "default",
    name,
    uid: null,
    nodeName,
    phase: podIp === null ? "Pending" : "Running",
    hostNetwork: false,
    podIp,
    owner: null,
    status: podIp === null ? "Pending" : "Running",
    scheduledReason: null,
    scheduledMessage: null,
    waitingReason: null,
    deleting: false,
    createdAt: null,
    labels: {},
    ...more,
  };
}

function cluster(more: Partial<ClusterInput>): ClusterInput {
  return {
    clusterName: "kinds",
    region: "us-west-2",
    nodes: [],
    pods: [],
    events: [],
    enis: [],
    instances: [],
    subnets: [],
    cni: { ...defaultCniConfig(), detected: true },
    ...more,
  };
}

const instance = (id: string, type: string) => ({
  id,
  instanceType: type,
  zone: "us-west-2a",
  state: "running",
  privateIp: null,
  privateDnsName: null,
  subnetId: "subnet-a",
  vpcId: "vpc-1",
});

const ips = (base: string, from: number, n: number) =>
  Array.from({ length: n }, (_, i) => `${base}.${from + i}`);

/** A p5.48xlarge (kubelet's 100) with `secondaries` IPs on its primary ENI and an EFA-only interface on every
 * card from `firstEfaCard` on: at device 1 of card 0 (AWS's EFA layout), at device 0 of the others. */
function p5(secondaries: number, firstEfaCard: 0 | 1) {
  const enis = [
    eni("eni-primary", {
      instanceId: "i-p5",
      deviceIndex: 0,
      primaryIp: "10.0.0.10",
      secondaryIps: ips("10.0.0", 11, secondaries),
    }),
    ...Array.from({ length: 32 - firstEfaCard }, (_, k) =>
      eni(`eni-efa-${k + firstEfaCard}`, {
        instanceId: "i-p5",
        deviceIndex: k + firstEfaCard === 0 ? 1 : 0,
        networkCardIndex: k + firstEfaCard,
        interfaceType: "efa-only",
      }),
    ),
  ];
  return buildReport(
    cluster({
      nodes: [node("gpu-1", { instanceId: "i-p5", instanceType: "p5.48xlarge", allocatablePods: 100 })],
      instances: [instance("i-p5", "p5.48xlarge")],
      enis,
    }),
  );
}

describe("multi-card and EFA instances", () => {
  test("only network card 0's ENIs count: p5.48xlarge is 1 of 2 ENIs, 31 EFA interfaces apart, max pods 100", () => {
    // One EFA-only interface on each other card (cards 1..31, device 0): no IPs, never pod capacity.
    const r = p5(5, 1);
    const n = r.nodes[0]!;
    // Default card 0: 2 ENIs x (50 - 1) + 2 = 100; 1 attached there, so 1 free slot.
    assert.equal(n.maxPodsByEni, 100);
    assert.equal(n.overcommitted, false);
    assert.equal(n.eniSlotsFree, 1);
    assert.equal(n.enis.filter((e) => e.onDefaultCard).length, 1);
    const efa = n.enis.filter((e) => !e.onDefaultCard);
    assert.equal(efa.length, 31);
    assert.ok(efa.every((e) => e.role === "efa" && !e.podCapacity && e.networkCardIndex > 0));
    assert.equal(r.summary.enisAttached, 1);
    assert.equal(r.summary.enisPossible, 2);
    assert.equal(r.summary.enisOtherCards, 31);
    assert.equal(r.zones[0]!.enisAttached, 1);
    // Warm IPs: the primary's 5 secondaries only.
    assert.equal(n.ipsWarm, 5);
  });

  test("AWS's EFA layout: the EFA-only interface at card 0 device 1 takes the second ENI slot, max pods by ENI 51", () => {
    // The EC2 user guide's layout for multi-card types: an ENA primary at card 0 device 0, EFA-only at card 0
    // device 1, EFA-only at device 0 of the other cards. IPAMD counts card 0's EFA-only interface unmanaged
    // (filterUnmanagedENIs), so the CNI has 2 - 1 = 1 ENI: 1 x (50 - 1) + 2 = 51, while kubelet's 100 came from
    // the default card's 2 ENIs.
    const r = p5(10, 0);
    const n = r.nodes[0]!;
    assert.equal(n.maxPodsByEni, 51);
    assert.equal(n.overcommitted, true);
    assert.match(n.warnings.join(" "), /kubelet max pods 100 > 51/);
    // Both of card 0's slots are taken: 2 of 2, no slot free, the 31 others apart.
    assert.deepEqual([n.eniSlotsFree, r.summary.enisAttached, r.summary.enisPossible], [0, 2, 2]);
    assert.equal(r.summary.enisOtherCards, 31);
    assert.equal(n.enis.find((e) => e.id === "eni-efa-0")!.podCapacity, false);
    assert.equal(n.ipsWarm, 10);
  });

  test("an EFA with ENA (efa) holds pod IPs like any ENI on card 0; on another card it is drawn apart", () => {
    // IPAMD sets up an efa interface like any ENI of a card it manages (it only never frees it): eksctl's
    // layout has one at card 0 device 0 (the primary, node IP) and one per other card.
    const r = buildReport(
      cluster({
        nodes: [node("p4d-1", { instanceId: "i-p4", instanceType: "p4d.24xlarge", allocatablePods: 737 })],
        instances: [instance("i-p4", "p4d.24xlarge")],
        enis: [
          eni("eni-0", {
            instanceId: "i-p4",
            interfaceType: "efa",
            deviceIndex: 0,
            primaryIp: "10.0.0.10",
            secondaryIps: ["10.0.0.11", "10.0.0.12"],
          }),
          eni("eni-1", {
            instanceId: "i-p4",
            interfaceType: "efa",
            deviceIndex: 1,
            primaryIp: "10.0.0.20",
            secondaryIps: ["10.0.0.21", "10.0.0.22"],
          }),
          eni("eni-c1", {
            instanceId: "i-p4",
            interfaceType: "efa",
            deviceIndex: 1,
            networkCardIndex: 1,
            primaryIp: "10.0.1.10",
          }),
        ],
        pods: [pod("trainer-0", "p4d-1", "10.0.0.21")],
      }),
    );
    const n = r.nodes[0]!;
    const byId = new Map(n.enis.map((e) => [e.id, e]));
    assert.deepEqual(
      ["eni-0", "eni-1", "eni-c1"].map((id) => [byId.get(id)!.role, byId.get(id)!.podCapacity]),
      [
        ["primary", true],
        ["secondary", true],
        ["efa", false],
      ],
    );
    // p4d.24xlarge: 15 ENIs x (50 - 1) + 2 = 737 on card 0, no EFA-only there: nothing unmanaged.
    assert.equal(n.maxPodsByEni, 737);
    assert.deepEqual([n.ipsAssigned, n.ipsUsed, n.podsOffEni.length], [4, 1, 0]);
  });

  test("ENABLE_MULTI_NIC makes other cards' interfaces pod capacity, EFA-only never", () => {
    const cni = cniConfigFromEnv({ ENABLE_MULTI_NIC: "true" });
    const r = buildReport(
      cluster({
        cni,
        nodes: [node("gpu-1", { instanceId: "i-p5", instanceType: "p5.48xlarge" })],
        instances: [instance("i-p5", "p5.48xlarge")],
        enis: [
          eni("eni-0", {
            instanceId: "i-p5",
            deviceIndex: 0,
            primaryIp: "10.0.0.10",
            secondaryIps: ["10.0.0.11"],
          }),
          eni("eni-c1", {
            instanceId: "i-p5",
            deviceIndex: 0,
            networkCardIndex: 1,
            primaryIp: "10.0.1.10",
            secondaryIps: ["10.0.1.11"],
          }),
          eni("eni-efa", {
            instanceId: "i-p5",
            deviceIndex: 1,
            networkCardIndex: 1,
            interfaceType: "efa-only",
          }),
        ],
      }),
    );
    const byId = new Map(r.nodes[0]!.enis.map((e) => [e.id, e]));
    assert.equal(byId.get("eni-c1")!.podCapacity, true);
    assert.equal(byId.get("eni-efa")!.podCapacity, false);
    // 1 warm IP on card 0 + 1 on card 1.
    assert.equal(r.nodes[0]!.ipsWarm, 2);
  });
});

describe("security groups for pods", () => {
  // m5.large: 3 ENIs x 10 IPv4; the trunk takes one ENI slot, so 2 x 9 = 18 secondary IPs + 9 branch ENIs
  // (vpc.amazonaws.com/pod-eni) + 2 hostNetwork = 29 pods fit: kubelet's 29 is no overcommit.
  const secondaries = ips("10.0.1", 20, 9);
  const other = ips("10.0.2", 20, 9);
  const branches = Array.from({ length: 9 }, (_, k) =>
    eni(`eni-branch-${k}`, {
      interfaceType: "branch",
      status: "in-use",
      attachmentStatus: null,
      primaryIp: `10.0.3.${20 + k}`,
      trunkEniId: "eni-trunk",
    }),
  );
  const input = cluster({
    cni: cniConfigFromEnv({ ENABLE_POD_ENI: "true" }),
    nodes: [
      node("sgp-1", { instanceId: "i-m5", instanceType: "m5.large", allocatablePods: 29, podEniCapacity: 9 }),
    ],
    instances: [instance("i-m5", "m5.large")],
    enis: [
      eni("eni-primary", {
        instanceId: "i-m5",
        deviceIndex: 0,
        primaryIp: "10.0.1.10",
        secondaryIps: secondaries,
      }),
      eni("eni-trunk", {
        instanceId: "i-m5",
        deviceIndex: 1,
        interfaceType: "trunk",
        primaryIp: "10.0.1.11",
      }),
      eni("eni-second", { instanceId: "i-m5", deviceIndex: 2, primaryIp: "10.0.2.10", secondaryIps: other }),
      ...branches,
    ],
    pods: [
      ...[...secondaries, ...other].map((ip, k) => pod(`web-${k}`, "sgp-1", ip)),
      ...branches.map((b, k) => pod(`sg-${k}`, "sgp-1", b.primaryIp)),
    ],
  });

  test("branch ENIs count toward what fits: 18 + 9 + 2 = 29, no overcommit warning", () => {
    const r = buildReport(input);
    const n = r.nodes[0]!;
    assert.equal(n.maxPodsByEni, 20); // 2 x 9 + 2
    assert.equal(n.branchEnis, 9);
    assert.equal(n.overcommitted, false);
    assert.ok(!r.warnings.some((w) => /exceeds/.test(w)), r.warnings.join("\n"));
    assert.equal(n.pods, 27);
  });

  test("the trunk is drawn at its device index, branches after it as branches", () => {
    const n = buildReport(input).nodes[0]!;
    assert.deepEqual(
      n.enis.slice(0, 3).map((e) => [e.id, e.deviceIndex, e.role]),
      [
        ["eni-primary", 0, "primary"],
        ["eni-trunk", 1, "trunk"],
        ["eni-second", 2, "secondary"],
      ],
    );
    const br = n.enis.slice(3);
    assert.equal(br.length, 9);
    assert.ok(br.every((e) => e.role === "branch" && e.slots.length === 1 && e.slots[0]!.pod !== null));
  });

  test("kubelet max pods above secondary IPs + branch ENIs + hostNetwork is still warned", () => {
    const r = buildReport({ ...input, nodes: [{ ...input.nodes[0]!, allocatablePods: 110 }] });
    assert.equal(r.nodes[0]!.overcommitted, true);
    assert.ok(
      r.warnings.some((w) => w.includes("sgp-1 110 > 29")),
      r.warnings.join("\n"),
    );
    assert.match(r.nodes[0]!.warnings.join(" "), /110 > 29 .*20 \+ 9 branch ENIs/);
  });
});

describe("Windows, Fargate, hybrid, Auto Mode and IPv6 nodes", () => {
  test("Windows: the primary ENI alone, max pods = IPv4 per ENI - 1 (m5.large: 9), no ENI placeholders", () => {
    const r = buildReport(
      cluster({
        nodes: [
          node("win-1", {
            instanceId: "i-win",
            instanceType: "m5.large",
            allocatablePods: 9,
            labels: { "kubernetes.io/os": "windows" },
          }),
        ],
        instances: [instance("i-win", "m5.large")],
        enis: [
          eni("eni-w", {
            instanceId: "i-win",
            deviceIndex: 0,
            primaryIp: "10.0.4.10",
            secondaryIps: ips("10.0.4", 11, 9),
          }),
        ],
        pods: [pod("iis-0", "win-1", "10.0.4.11"), pod("iis-1", "win-1", "10.0.4.12")],
      }),
    );
    const n = r.nodes[0]!;
    assert.equal(n.kind, "windows");
    assert.equal(n.maxPodsByEni, 9);
    assert.equal(n.overcommitted, false);
    assert.equal(n.eniSlotsFree, 0);
    assert.equal(n.ipsUsed, 2);
    assert.equal(n.ipsWarm, 7);
    assert.equal(r.summary.enisPossible, 1);
  });

  test("Windows with prefix delegation: the primary ENI's /28s, (10 - 1) x 16 = 144 addresses on an m5.large", () => {
    // enable-windows-prefix-delegation: the VPC resource controller puts /28 prefixes on the primary ENI and
    // advertises (IPv4 per ENI - 1) x 16 addresses; kubelet's max pods is what the bootstrap was given (110).
    const r = buildReport(
      cluster({
        nodes: [
          node("win-pd", {
            instanceId: "i-winpd",
            instanceType: "m5.large",
            allocatablePods: 110,
            labels: { "kubernetes.io/os": "windows" },
          }),
        ],
        instances: [instance("i-winpd", "m5.large")],
        enis: [
          eni("eni-p", {
            instanceId: "i-winpd",
            deviceIndex: 0,
            primaryIp: "10.0.4.10",
            prefixes: ["10.0.4.32/28"],
          }),
        ],
        pods: [pod("iis-0", "win-pd", "10.0.4.33"), pod("iis-1", "win-pd", "10.0.4.34")],
      }),
    );
    const n = r.nodes[0]!;
    assert.equal(n.kind, "windows");
    assert.equal(n.capacity.mode, "prefix-delegation");
    assert.equal(n.maxPodsByEni, 144);
    assert.equal(n.overcommitted, false);
    assert.deepEqual([n.eniSlotsFree, n.ipsAssigned, n.ipsUsed, n.ipsWarm], [0, 16, 2, 14]);
    assert.deepEqual(n.podsOffEni, []);
  });

  test("Fargate: one pod on its own ENI, found by the node's IP; no EC2-instance warning either way", () => {
    const r = buildReport(
      cluster({
        nodes: [
          node("fargate-ip-10-0-5-10.us-west-2.compute.internal", {
            internalIp: "10.0.5.10",
            labels: { "eks.amazonaws.com/compute-type": "fargate" },
          }),
          node("fargate-ip-10-0-5-11.us-west-2.compute.internal", {
            internalIp: "10.0.5.11",
            labels: { "eks.amazonaws.com/compute-type": "fargate" },
          }),
        ],
        enis: [eni("eni-fg", { primaryIp: "10.0.5.10", requesterManaged: true, description: "[Fargate]" })],
        pods: [
          pod("coredns-a", "fargate-ip-10-0-5-10.us-west-2.compute.internal", "10.0.5.10"),
          pod("coredns-b", "fargate-ip-10-0-5-11.us-west-2.compute.internal", "10.0.5.11"),
        ],
      }),
    );
    const [a, b] = r.nodes;
    assert.equal(a!.kind, "fargate");
    assert.equal(a!.enisKnown, true);
    assert.equal(a!.maxPodsByEni, 1);
    assert.equal(a!.enis[0]!.role, "fargate");
    assert.equal(a!.enis[0]!.slots[0]!.pod, "default/coredns-a");
    assert.equal(r.pods.find((p) => p.name === "coredns-a")!.eni, "eni-fg");
    // The second node's ENI is missing: said on its box, its pod still listed, no cluster-wide alarm.
    assert.equal(b!.enisKnown, false);
    assert.deepEqual(b!.podsOffEni, ["default/coredns-b"]);
    assert.match(b!.notes.join(" "), /ENIs unknown/);
    assert.deepEqual(r.warnings, []);
    assert.equal(r.summary.kinds.fargate, 2);
  });

  test("Fargate: a requester-managed ENI naming an instance outside the account is still the pod's", () => {
    // DescribeNetworkInterfaces may show the attachment of an ENI AWS made for the account with the service's
    // own instance id; no instance list of the account has it, the cloud provider finds it by its address.
    const r = buildReport(
      cluster({
        nodes: [
          node("fargate-ip-10-0-5-10.us-west-2.compute.internal", {
            internalIp: "10.0.5.10",
            labels: { "eks.amazonaws.com/compute-type": "fargate" },
          }),
        ],
        enis: [
          eni("eni-fg", {
            primaryIp: "10.0.5.10",
            requesterManaged: true,
            instanceId: "i-0aws0owned0host",
            deviceIndex: 1,
          }),
        ],
        pods: [pod("coredns-a", "fargate-ip-10-0-5-10.us-west-2.compute.internal", "10.0.5.10")],
      }),
    );
    const n = r.nodes[0]!;
    assert.deepEqual([n.enisKnown, n.enis[0]?.id, n.podsOffEni.length], [true, "eni-fg", 0]);
    assert.deepEqual(r.warnings, []);
  });

  test("Fargate in an IPv6 cluster: the node's address is its pod's IPv6, found on the ENI's IPv6 addresses", () => {
    // The cloud provider gives an IPv6 cluster's Fargate node the ENI's first IPv6 address as its InternalIP.
    const ip6 = "2600:1f14:abc:1203::2a";
    const r = buildReport(
      cluster({
        cni: {
          ...cniConfigFromEnv({ ENABLE_IPv6: "true", ENABLE_PREFIX_DELEGATION: "true" }),
          detected: true,
        },
        nodes: [
          node("fargate-ip-10-0-5-10.us-west-2.compute.internal", {
            internalIp: ip6,
            labels: { "eks.amazonaws.com/compute-type": "fargate" },
          }),
        ],
        enis: [eni("eni-fg6", { primaryIp: "10.0.5.10", ipv6Addresses: [ip6], requesterManaged: true })],
        pods: [pod("coredns-a", "fargate-ip-10-0-5-10.us-west-2.compute.internal", ip6)],
      }),
    );
    const n = r.nodes[0]!;
    assert.deepEqual([n.enisKnown, n.enis[0]?.id, n.podsOffEni], [true, "eni-fg6", []]);
    assert.equal(r.pods.find((p) => p.name === "coredns-a")!.eni, "eni-fg6");
    assert.deepEqual(r.warnings, []);
  });

  test("hybrid: no ENIs, pods listed in the node's pod CIDR, capacity from that CIDR", () => {
    const r = buildReport(
      cluster({
        nodes: [
          node("mi-0abc", {
            providerId: "eks-hybrid:///us-west-2/kinds/mi-0abc",
            podCidrs: ["10.86.1.0/24"],
            allocatablePods: 110,
          }),
        ],
        pods: [pod("edge-0", "mi-0abc", "10.86.1.5"), pod("edge-1", "mi-0abc", "10.86.1.6")],
      }),
    );
    const n = r.nodes[0]!;
    assert.equal(n.kind, "hybrid");
    assert.equal(n.capacity.mode, "none");
    assert.equal(n.capacity.podIps, 256); // a /24
    assert.equal(n.maxPodsByEni, null);
    assert.equal(n.overcommitted, false);
    assert.deepEqual(n.podsOffEni, ["default/edge-0", "default/edge-1"]);
    assert.equal(n.pods, 2);
    assert.deepEqual(r.warnings, []);
  });

  test("Auto Mode: /28 prefixes by default, max pods capped at 110, no aws-node expected", () => {
    const r = buildReport(
      cluster({
        cni: defaultCniConfig(),
        nodes: [
          node("auto-1", {
            instanceId: "i-auto",
            instanceType: "m5.large",
            allocatablePods: 110,
            labels: { "eks.amazonaws.com/compute-type": "auto", "karpenter.sh/nodepool": "general-purpose" },
          }),
        ],
        instances: [instance("i-auto", "m5.large")],
        enis: [
          eni("eni-a", {
            instanceId: "i-auto",
            deviceIndex: 0,
            primaryIp: "10.0.6.10",
            prefixes: ["10.0.6.32/28"],
          }),
        ],
      }),
    );
    const n = r.nodes[0]!;
    assert.equal(n.kind, "auto-mode");
    assert.equal(n.capacity.mode, "prefix-delegation");
    // 3 x (10 - 1) x 16 + 2 = 434, capped at 110 (2 vCPUs) and by Auto Mode's 110.
    assert.equal(n.maxPodsByEni, 110);
    assert.equal(n.ipsWarm, 16);
    assert.ok(!r.warnings.some((w) => /aws-node/.test(w)), r.warnings.join("\n"));
  });

  test("IPv6: pods in the node's /80 are placed there; one outside it is warned", () => {
    const r = buildReport(
      cluster({
        cni: cniConfigFromEnv({ ENABLE_IPv6: "true", ENABLE_PREFIX_DELEGATION: "true" }),
        nodes: [node("v6-1", { instanceId: "i-v6", instanceType: "t3.medium", allocatablePods: 110 })],
        instances: [instance("i-v6", "t3.medium")],
        enis: [
          eni("eni-v6", {
            instanceId: "i-v6",
            deviceIndex: 0,
            primaryIp: "10.0.7.10",
            ipv6Prefixes: ["2600:1f14:abc:1200:7a2b::/80"],
          }),
        ],
        pods: [
          pod("a", "v6-1", "2600:1f14:abc:1200:7a2b::1"),
          pod("b", "v6-1", "2600:1f14:abc:1200:7a2b:0:1:2"),
          pod("c", "v6-1", "2600:1f14:abc:1200:9999::3"),
        ],
      }),
    );
    const n = r.nodes[0]!;
    assert.equal(n.ipFamily, "ipv6");
    assert.equal(n.capacity.mode, "ipv6-prefix");
    assert.equal(n.maxPodsByEni, null);
    assert.equal(n.overcommitted, false);
    assert.equal(n.eniSlotsFree, 0);
    assert.deepEqual(n.enis[0]!.prefixes, ["2600:1f14:abc:1200:7a2b::/80"]);
    assert.deepEqual(
      n.enis[0]!.slots.map((s) => s.pod),
      ["default/a", "default/b"],
    );
    assert.equal(n.ipsUsed, 2);
    assert.deepEqual(n.podsOffEni, ["default/c"]);
    assert.ok(
      r.warnings.some((w) => /1 pod IPv6 address\(es\) in no \/80.*default\/c/.test(w)),
      r.warnings.join("\n"),
    );
  });
});

describe("pods on nodes absent from the node list", () => {
  test("are counted under no node, consistently, and warned by name", () => {
    const r = buildReport(
      cluster({
        nodes: [node("kept", { instanceId: "i-1", instanceType: "t3.medium" })],
        instances: [instance("i-1", "t3.medium")],
        enis: [eni("eni-1", { instanceId: "i-1", deviceIndex: 0, primaryIp: "10.0.8.10" })],
        pods: [
          pod("proxy", "gone", "10.0.9.10", { hostNetwork: true }),
          pod("web", "gone", "10.0.9.11"),
          pod("local", "kept", "10.0.8.10", { hostNetwork: true }),
        ],
      }),
    );
    assert.equal(r.summary.podsOnUnknownNodes, 2);
    // Only the listed node's hostNetwork pod: summary and nodes agree.
    assert.equal(r.summary.hostNetworkPods, 1);
    assert.equal(r.summary.pods, 1);
    assert.equal(r.nodes[0]!.pods, 1);
    const w = r.warnings.find((x) => /not in the node list/.test(x));
    assert.ok(
      w?.includes("default/proxy on gone") && w.includes("default/web on gone"),
      r.warnings.join("\n"),
    );
    // The IP of a pod whose node is gone is not also reported as "on no ENI".
    assert.ok(!r.warnings.some((x) => /found on no ENI/.test(x)), r.warnings.join("\n"));
  });
});
