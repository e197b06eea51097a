import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { cniConfigFromEnv, defaultCniConfig } from "./cniConfig.ts";
import { buildReport } from "./report.ts";
import type { ClusterInput, EniInput, NodeInput, PodInput, SubnetInput } from "./types.ts";

function node(
  name: string,
  instanceId: string,
  type: string | null,
  zone = "ap-northeast-2a",
  pods = 17,
): NodeInput {
  return {
    name,
    instanceId,
    instanceType: type,
    zone,
    nodeGroup: "ng-1",
    capacityType: "ON_DEMAND",
    internalIp: null,
    ready: true,
    cordoned: false,
    allocatablePods: pods,
    allocatableCpuMilli: 1930,
    allocatableMemoryBytes: 3_388_328 * 1024,
    createdAt: null,
  };
}

function eni(
  id: string,
  instanceId: string | null,
  deviceIndex: number | null,
  primaryIp: string,
  secondaryIps: string[],
  more: Partial<EniInput> = {},
): EniInput {
  return {
    id,
    subnetId: "subnet-a",
    vpcId: "vpc-1",
    zone: "ap-northeast-2a",
    status: instanceId === null ? "available" : "in-use",
    interfaceType: "interface",
    description: deviceIndex === 0 ? "" : `aws-K8S-${instanceId}`,
    instanceId,
    deviceIndex,
    networkCardIndex: 0,
    attachmentStatus: instanceId === null ? null : "attached",
    attachTime: null,
    primaryIp,
    secondaryIps,
    prefixes: [],
    noManage: false,
    cniManaged: deviceIndex !== 0,
    requesterManaged: false,
    createdAt: null,
    ...more,
  };
}

function pod(
  namespace: string,
  name: string,
  nodeName: string | null,
  podIp: string | null,
  more: Partial<PodInput> = {},
): PodInput {
  return {
    namespace,
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

const subnetA: SubnetInput = {
  id: "subnet-a",
  vpcId: "vpc-1",
  cidr: "192.168.1.0/24",
  zone: "ap-northeast-2a",
  availableIps: 200,
  name: "public-a",
};

function cluster(parts: Partial<ClusterInput>): ClusterInput {
  return {
    clusterName: "test",
    region: "ap-northeast-2",
    nodes: [],
    pods: [],
    events: [],
    enis: [],
    instances: [],
    subnets: [subnetA],
    cni: cniConfigFromEnv({}),
    ...parts,
  };
}

const ips = (from: number, count: number) => Array.from({ length: count }, (_, i) => `192.168.1.${from + i}`);

/** One t3.medium at the lab's limit: 3 ENIs x 5 secondary IPs (.11-.25), node IP .10. */
function fullT3(): ClusterInput {
  const n = node("ip-192-168-1-10", "i-1", "t3.medium");
  const enis = [
    eni("eni-0", "i-1", 0, "192.168.1.10", ips(11, 5)),
    eni("eni-1", "i-1", 1, "192.168.1.100", ips(16, 5)),
    eni("eni-2", "i-1", 2, "192.168.1.101", ips(21, 5)),
  ];
  const pods = [
    pod("kube-system", "aws-node-a", n.name, "192.168.1.10", { hostNetwork: true }),
    pod("kube-system", "kube-proxy-a", n.name, "192.168.1.10", { hostNetwork: true }),
    ...ips(11, 15).map((ip, i) => pod("default", `nginx-${i}`, n.name, ip)),
  ];
  const instances = [
    {
      id: "i-1",
      instanceType: "t3.medium",
      zone: "ap-northeast-2a",
      state: "running",
      privateIp: "192.168.1.10",
      privateDnsName: "ip-192-168-1-10.ap-northeast-2.compute.internal",
      subnetId: "subnet-a",
      vpcId: "vpc-1",
    },
  ];
  return cluster({ nodes: [n], enis, pods, instances });
}

describe("buildReport: placement", () => {
  test("a t3.medium at its limit: 3 ENIs, 15 IPs all used, 17 pods of 17", () => {
    const r = buildReport(fullT3());
    const n = r.nodes[0]!;
    assert.equal(n.maxPods, 17);
    assert.equal(n.maxPodsByEni, 17);
    assert.deepEqual(
      n.enis.map((e) => [e.id, e.role, e.ipsAssigned, e.ipsUsed, e.ipsWarm]),
      [
        ["eni-0", "primary", 5, 5, 0],
        ["eni-1", "secondary", 5, 5, 0],
        ["eni-2", "secondary", 5, 5, 0],
      ],
    );
    assert.equal(n.eniSlotsFree, 0);
    assert.equal(n.pods, 17);
    assert.deepEqual([n.ipsAssigned, n.ipsUsed, n.ipsWarm], [15, 15, 0]);
    assert.equal(r.pods.length, 15);
    assert.equal(r.pods.find((p) => p.name === "nginx-7")?.eni, "eni-1");
    assert.equal(n.enis[1]?.slots.find((s) => s.ip === "192.168.1.18")?.pod, "default/nginx-7");
  });

  test("slots are in address order, whatever order EC2 lists the IPs in", () => {
    const input = fullT3();
    input.enis[1] = {
      ...input.enis[1]!,
      secondaryIps: ["192.168.1.30", "192.168.1.5", "192.168.1.200", "192.168.1.12"],
    };
    const slots = buildReport(input).nodes[0]!.enis[1]!.slots.map((x) => x.ip);
    assert.deepEqual(slots, ["192.168.1.5", "192.168.1.12", "192.168.1.30", "192.168.1.200"]);
  });

  test("hostNetwork pods use no slot but count toward max pods", () => {
    const r = buildReport(fullT3());
    const n = r.nodes[0]!;
    assert.deepEqual(
      n.hostNetworkPods.map((p) => p.name),
      ["aws-node-a", "kube-proxy-a"],
    );
    assert.equal(r.summary.hostNetworkPods, 2);
    assert.ok(!r.pods.some((p) => p.name.startsWith("aws-node")));
    assert.equal(r.summary.unplacedPods, 0, "the node IP of a hostNetwork pod is not looked up");
  });

  test("warm IPs: assigned to an ENI with no pod", () => {
    const input = fullT3();
    input.pods = input.pods.slice(0, 2 + 6);
    const n = buildReport(input).nodes[0]!;
    assert.deepEqual([n.ipsAssigned, n.ipsUsed, n.ipsWarm], [15, 6, 9]);
    assert.deepEqual(
      n.enis.map((e) => e.ipsWarm),
      [0, 4, 5],
    );
  });

  test("Succeeded/Failed pods hold no IP, even when their status still shows one a running pod now has", () => {
    const input = fullT3();
    input.pods.unshift(
      pod("batch", "job-1", "ip-192-168-1-10", "192.168.1.12", { phase: "Succeeded", status: "Completed" }),
      pod("batch", "job-2", "ip-192-168-1-10", "192.168.1.13", { phase: "Failed", status: "Error" }),
    );
    const r = buildReport(input);
    assert.equal(r.nodes[0]!.enis[0]!.slots[1]!.pod, "default/nginx-1");
    assert.equal(r.nodes[0]!.pods, 17, "finished pods do not count toward max pods");
    assert.ok(!r.pods.some((p) => p.namespace === "batch"));
    assert.deepEqual(r.warnings, []);
  });

  test("a pod IP found on no ENI is reported, not dropped", () => {
    const input = fullT3();
    input.pods.push(pod("default", "ghost", "ip-192-168-1-10", "10.99.0.7"));
    const r = buildReport(input);
    const ghost = r.pods.find((p) => p.name === "ghost");
    assert.equal(ghost?.eni, null);
    assert.equal(ghost?.ip, "10.99.0.7");
    assert.equal(r.summary.unplacedPods, 1);
    assert.ok(r.warnings.some((w) => w.includes("default/ghost (10.99.0.7)")));
  });

  test("an IPv6-only pod is said to be out of the model's reach, not counted as an IP on no ENI", () => {
    const input = fullT3();
    input.pods.push(pod("default", "v6", "ip-192-168-1-10", "2600:1f13:abc::5"));
    const r = buildReport(input);
    assert.equal(r.summary.unplacedPods, 0);
    assert.ok(r.warnings.some((w) => w.includes("IPv6") && w.includes("default/v6")));
  });

  test("no_manage ENIs are not pod capacity and lower max pods by ENI", () => {
    const input = fullT3();
    input.enis[2] = { ...input.enis[2]!, noManage: true, cniManaged: false };
    input.pods = input.pods.slice(0, 2);
    const n = buildReport(input).nodes[0]!;
    const unmanaged = n.enis.find((e) => e.id === "eni-2")!;
    assert.equal(unmanaged.role, "unmanaged");
    assert.equal(unmanaged.podCapacity, false);
    assert.equal(unmanaged.ipsWarm, 0);
    assert.equal(n.maxPodsByEni, 2 * 5 + 2);
    assert.deepEqual([n.ipsAssigned, n.ipsWarm], [10, 10]);
    assert.equal(n.overcommitted, true, "kubelet still says 17");
  });

  test("detached and leaked CNI ENIs belong to no node; load balancer ENIs are ignored", () => {
    const input = fullT3();
    input.enis.push(
      eni("eni-leak", null, null, "192.168.1.150", ips(151, 5), {
        description: "aws-K8S-i-gone",
        tagInstanceId: "i-gone",
        createdAt: "2026-11-01T00:00:00Z",
      }),
      eni("eni-elb", null, null, "192.168.1.200", [], {
        status: "in-use",
        interfaceType: "other",
        description: "ELB net/k8s-default-nginx/abc",
        requesterManaged: true,
        cniManaged: false,
      }),
    );
    const r = buildReport(input);
    assert.deepEqual(
      r.detachedEnis.map((e) => [e.id, e.instanceId, e.ips]),
      [["eni-leak", "i-gone", 6]],
    );
    assert.equal(r.summary.detachedEnis, 1);
    assert.equal(r.nodes[0]!.enis.length, 3);
    assert.equal(r.subnets[0]!.enis, 3);
  });

  test("trunk and branch ENIs (security groups for pods) are shown as such", () => {
    const n = node("ip-192-168-1-10", "i-1", "m5.large", "ap-northeast-2a", 29);
    const input = cluster({
      nodes: [n],
      cni: cniConfigFromEnv({ ENABLE_POD_ENI: "true" }),
      enis: [
        eni("eni-0", "i-1", 0, "192.168.1.10", ips(11, 9)),
        eni("eni-trunk", "i-1", 1, "192.168.1.30", [], {
          interfaceType: "trunk",
          description: "aws-k8s-trunk-eni",
        }),
        eni("eni-branch", null, null, "192.168.1.40", [], {
          status: "in-use",
          interfaceType: "branch",
          description: "aws-k8s-branch-eni",
          trunkEniId: "eni-trunk",
        }),
      ],
      pods: [
        pod("shop", "payments-0", n.name, "192.168.1.40"),
        pod("shop", "cart-0", n.name, "192.168.1.11"),
      ],
    });
    const r = buildReport(input);
    const enis = r.nodes[0]!.enis;
    assert.deepEqual(
      enis.map((e) => [e.id, e.role, e.podCapacity]),
      [
        ["eni-0", "primary", true],
        ["eni-trunk", "trunk", false],
        ["eni-branch", "branch", false],
      ],
    );
    assert.equal(r.pods.find((p) => p.name === "payments-0")?.eni, "eni-branch");
    assert.equal(enis[2]!.slots[0]!.pod, "shop/payments-0");
    // m5.large: 3 ENIs x 9; the trunk's device slot holds no pod IPs.
    assert.equal(r.nodes[0]!.maxPodsByEni, 2 * 9 + 2);
    assert.deepEqual([r.nodes[0]!.ipsAssigned, r.nodes[0]!.ipsUsed], [9, 1]);
    assert.equal(r.nodes[0]!.eniSlotsFree, 1);
  });

  test("prefix delegation: every /28 is 16 slots and pods are placed inside them", () => {
    const n = node("ip-192-168-1-10", "i-1", "t3.medium", "ap-northeast-2a", 110);
    const input = cluster({
      nodes: [n],
      cni: cniConfigFromEnv({ ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1" }),
      enis: [
        eni("eni-0", "i-1", 0, "192.168.1.10", [], { prefixes: ["192.168.1.32/28", "192.168.1.48/28"] }),
      ],
      pods: [pod("default", "a", n.name, "192.168.1.33"), pod("default", "b", n.name, "192.168.1.63")],
    });
    const r = buildReport(input);
    const e = r.nodes[0]!.enis[0]!;
    assert.equal(e.slots.length, 32);
    assert.equal(e.slots[0]!.ip, "192.168.1.32");
    assert.equal(e.slots[31]!.prefix, "192.168.1.48/28");
    assert.equal(e.slotLimit, 80);
    assert.deepEqual([e.ipsAssigned, e.ipsUsed, e.ipsWarm], [32, 2, 30]);
    assert.equal(r.nodes[0]!.maxPodsByEni, 110);
    assert.equal(r.nodes[0]!.overcommitted, false);
  });

  test("custom networking: the primary ENI holds no pod IPs", () => {
    const input = fullT3();
    input.cni = cniConfigFromEnv({ AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "true" });
    input.enis[0] = { ...input.enis[0]!, secondaryIps: [] };
    input.pods = input.pods.filter(
      (p) =>
        !["192.168.1.11", "192.168.1.12", "192.168.1.13", "192.168.1.14", "192.168.1.15"].includes(
          p.podIp ?? "",
        ),
    );
    const n = buildReport(input).nodes[0]!;
    assert.equal(n.enis[0]!.podCapacity, false);
    assert.equal(n.maxPodsByEni, 12);
    assert.equal(n.overcommitted, true);
  });

  test("ENIs on another network card are not pod capacity", () => {
    const input = fullT3();
    input.enis[2] = { ...input.enis[2]!, networkCardIndex: 1, deviceIndex: 0 };
    const n = buildReport(input).nodes[0]!;
    assert.equal(n.enis.find((e) => e.id === "eni-2")?.podCapacity, false);
    assert.equal(n.ipsAssigned, 10);
    assert.equal(n.eniSlotsFree, 1);
  });

  test("kubelet max pods above max by ENI is flagged", () => {
    const input = fullT3();
    input.nodes[0] = { ...input.nodes[0]!, allocatablePods: 110 };
    const r = buildReport(input);
    assert.equal(r.nodes[0]!.overcommitted, true);
    assert.equal(r.summary.overcommittedNodes, 1);
    assert.ok(r.warnings.some((w) => /110 > 17/.test(w)));
  });

  test("an unknown instance type is said, not guessed", () => {
    const input = fullT3();
    input.nodes[0] = { ...input.nodes[0]!, instanceType: "zz9.mega" };
    const r = buildReport(input);
    assert.equal(r.nodes[0]!.maxPodsByEni, null);
    assert.equal(r.nodes[0]!.capacity.known, false);
    assert.ok(r.warnings.some((w) => w.includes("zz9.mega is not in the built-in table")));
  });

  test("ENI data from the wrong region or account is pointed out", () => {
    const input = fullT3();
    input.enis = input.enis.map((e) => ({ ...e, instanceId: "i-elsewhere" }));
    const r = buildReport(input);
    assert.ok(
      r.warnings.some((w) =>
        w.startsWith("none of the 3 ENIs in the EC2 data is attached to a node's instance"),
      ),
    );
    assert.equal(r.summary.unplacedPods, 15);
  });

  test("a subnet with fewer free IPs than a new ENI takes is warned about", () => {
    const input = fullT3();
    input.subnets = [{ ...subnetA, availableIps: 5 }];
    const r = buildReport(input);
    // t3.medium: a new ENI needs its primary address plus 5 secondary IPs.
    assert.ok(
      r.warnings.some((w) =>
        /subnet subnet-a \(public-a\) in ap-northeast-2a has 5 free IP\(s\), fewer than the 6/.test(w),
      ),
    );
    input.subnets = [{ ...subnetA, availableIps: 6 }];
    assert.ok(!buildReport(input).warnings.some((w) => w.includes("free IP")));
  });

  test("subnet and zone totals", () => {
    const input = fullT3();
    input.pods = input.pods.slice(0, 12);
    const r = buildReport(input);
    assert.deepEqual(
      r.subnets.map((s) => [s.id, s.totalIps, s.availableIps, s.enis, s.ipsAssigned, s.ipsUsed, s.ipsWarm]),
      [["subnet-a", 251, 200, 3, 15, 10, 5]],
    );
    assert.equal(r.zones[0]!.zone, "ap-northeast-2a");
    assert.equal(r.zones[0]!.subnetAvailableIps, 200);
    assert.equal(r.zones[0]!.ipsWarm, 5);
  });
});

describe("buildReport: pending pods", () => {
  const nodeName = "ip-192-168-1-10";
  test("one reason each, with the original message", () => {
    const input = fullT3();
    input.nodes[0] = { ...input.nodes[0]!, allocatablePods: 110 };
    const tooMany =
      "0/3 nodes are available: 3 Too many pods. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.";
    const noIp =
      'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "4a1b": plugin type="aws-cni" name="aws-cni" failed (add): add cmd: failed to assign an IP address to container';
    input.pods.push(
      pod("default", "over", null, null, { scheduledReason: "Unschedulable", scheduledMessage: tooMany }),
      pod("default", "big", null, null, {
        scheduledReason: "Unschedulable",
        scheduledMessage:
          "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
      }),
      pod("default", "picky", null, null, {
        scheduledReason: "Unschedulable",
        scheduledMessage: "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.",
      }),
      pod("default", "no-ip", nodeName, null, {
        status: "ContainerCreating",
        waitingReason: "ContainerCreating",
      }),
      pod("default", "pulling", nodeName, null, {
        status: "ContainerCreating",
        waitingReason: "ContainerCreating",
      }),
      pod("default", "fresh", null, null),
    );
    input.events.push(
      {
        namespace: "default",
        kind: "Pod",
        name: "no-ip",
        reason: "Scheduled",
        message: "Successfully assigned default/no-ip to ip-192-168-1-10",
        type: "Normal",
        count: 1,
        lastSeen: "2026-11-23T10:00:00Z",
      },
      {
        namespace: "default",
        kind: "Pod",
        name: "no-ip",
        reason: "FailedCreatePodSandBox",
        message: noIp,
        type: "Warning",
        count: 4,
        lastSeen: "2026-11-23T10:01:00Z",
      },
      {
        namespace: "default",
        kind: "Pod",
        name: "pulling",
        reason: "FailedMount",
        message: 'MountVolume.SetUp failed for volume "cfg" : configmap "cfg" not found',
        type: "Warning",
        count: 2,
        lastSeen: "2026-11-23T10:01:00Z",
      },
    );
    const r = buildReport(input);
    const got = Object.fromEntries(r.pending.map((p) => [p.name, [p.reason, p.message]]));
    assert.deepEqual(got, {
      over: ["too-many-pods", tooMany],
      big: [
        "insufficient-resources",
        "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
      ],
      picky: [
        "unschedulable",
        "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.",
      ],
      "no-ip": ["ip-exhausted", noIp],
      pulling: ["other", 'MountVolume.SetUp failed for volume "cfg" : configmap "cfg" not found'],
      fresh: ["other", "not scheduled to a node yet"],
    });
    assert.equal(r.summary.pendingPods, 6);
    assert.equal(r.nodes[0]!.podsWaitingForIp, 2);
    assert.equal(r.zones[0]!.pendingPods, 2, "only pods bound to the zone's nodes");
  });

  test("without a PodScheduled message the FailedScheduling event is used", () => {
    const input = fullT3();
    input.pods.push(pod("default", "late", null, null));
    input.events.push({
      namespace: "default",
      kind: "Pod",
      name: "late",
      reason: "FailedScheduling",
      message: "0/3 nodes are available: 3 Too many pods.",
      type: "Warning",
      count: 1,
      lastSeen: null,
    });
    const p = buildReport(input).pending[0]!;
    assert.deepEqual([p.reason, p.message], ["too-many-pods", "0/3 nodes are available: 3 Too many pods."]);
  });
});

describe("buildReport: CNI config", () => {
  test("warns when aws-node was not seen", () => {
    const input = fullT3();
    input.cni = defaultCniConfig();
    assert.match(buildReport(input).warnings[0] ?? "", /aws-node DaemonSet not seen/);
  });
});

describe("buildReport: ENIConfig and CNINode", () => {
  const subnetB: SubnetInput = {
    id: "subnet-pod-b",
    vpcId: "vpc-1",
    cidr: "100.64.32.0/19",
    zone: "ap-northeast-2b",
    availableIps: 8000,
    name: null,
  };
  const eniConfigs = [
    { name: "ap-northeast-2a", subnet: "subnet-pod-a", securityGroups: ["sg-1"] },
    { name: "ap-northeast-2b", subnet: "subnet-pod-b", securityGroups: ["sg-1"] },
  ];
  const custom = cniConfigFromEnv({ AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "true" });

  test("the annotation wins over the label; the CNINode's features are listed", () => {
    const a = node("a", "i-1", "t3.medium");
    a.labels = { "k8s.amazonaws.com/eniConfig": "ap-northeast-2b" };
    a.eniConfigAnnotation = "ap-northeast-2a";
    const b = node("b", "i-2", "t3.medium");
    b.labels = { "k8s.amazonaws.com/eniConfig": "ap-northeast-2a" };
    const c = node("c", "i-3", "t3.medium");
    const report = buildReport(
      cluster({
        nodes: [a, b, c],
        eniConfigs,
        cniNodes: [
          {
            name: "a",
            features: [
              { name: "SecurityGroupsForPods", value: null },
              { name: "CustomNetworking", value: "ap-northeast-2a" },
            ],
          },
        ],
        cni: custom,
      }),
    );
    const [ra, rb, rc] = report.nodes;
    assert.deepEqual(ra?.eniConfig, { name: "ap-northeast-2a", subnetId: "subnet-pod-a", found: true });
    assert.deepEqual(rb?.eniConfig, { name: "ap-northeast-2a", subnetId: "subnet-pod-a", found: true });
    assert.equal(rc?.eniConfig, null);
    assert.deepEqual(ra?.cniFeatures, ["SecurityGroupsForPods", "CustomNetworking"]);
    assert.deepEqual(rb?.cniFeatures, []);
    assert.deepEqual(
      report.warnings.filter((w) => /ENIConfig/.test(w)),
      [],
    );
  });

  test("ENI_CONFIG_LABEL_DEF picks another label (one ENIConfig per AZ by zone label)", () => {
    const a = node("a", "i-1", "t3.medium");
    a.labels = { "topology.kubernetes.io/zone": "ap-northeast-2b", "k8s.amazonaws.com/eniConfig": "x" };
    const cni = cniConfigFromEnv({
      AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "true",
      ENI_CONFIG_LABEL_DEF: "topology.kubernetes.io/zone",
    });
    assert.equal(cni.eniConfigLabelDef, "topology.kubernetes.io/zone");
    const report = buildReport(cluster({ nodes: [a], eniConfigs, cni }));
    assert.deepEqual(report.nodes[0]?.eniConfig, {
      name: "ap-northeast-2b",
      subnetId: "subnet-pod-b",
      found: true,
    });
  });

  test("custom networking: a missing ENIConfig and a subnet in another AZ are warned about", () => {
    const a = node("a", "i-1", "t3.medium", "ap-northeast-2a");
    a.labels = { "k8s.amazonaws.com/eniConfig": "nope" };
    const b = node("b", "i-2", "t3.medium", "ap-northeast-2a");
    b.labels = { "k8s.amazonaws.com/eniConfig": "ap-northeast-2b" };
    const report = buildReport(
      cluster({ nodes: [a, b], eniConfigs, subnets: [subnetA, subnetB], cni: custom }),
    );
    assert.deepEqual(report.nodes[0]?.eniConfig, { name: "nope", subnetId: null, found: false });
    const warnings = report.warnings.filter((w) => /ENIConfig/.test(w));
    assert.equal(warnings.length, 2);
    assert.match(warnings[0] ?? "", /ENIConfig nope does not exist \(1 node: a\)/);
    assert.match(
      warnings[1] ?? "",
      /b in ap-northeast-2a -> ap-northeast-2b subnet subnet-pod-b in ap-northeast-2b/,
    );
  });

  test("without custom networking nothing is warned; without the CRDs the node still says what it names", () => {
    const a = node("a", "i-1", "t3.medium");
    a.labels = { "k8s.amazonaws.com/eniConfig": "nope" };
    const report = buildReport(cluster({ nodes: [a] }));
    assert.deepEqual(report.nodes[0]?.eniConfig, { name: "nope", subnetId: null, found: false });
    assert.deepEqual(report.nodes[0]?.cniFeatures, []);
    assert.deepEqual(
      report.warnings.filter((w) => /ENIConfig/.test(w)),
      [],
    );
  });
});

describe("buildReport: subnet address space", () => {
  /** fullT3 plus a load balancer's ENI (.200, .201) and an explicit reservation of .240/28. */
  function withNeighbours(): ClusterInput {
    const input = fullT3();
    input.enis.push(
      eni("eni-lb", null, null, "192.168.1.200", ["192.168.1.201"], {
        status: "in-use",
        interfaceType: "other",
        typeName: "network_load_balancer",
        description: "ELB net/web/abc",
        requesterId: "amazon-elb",
        cniManaged: false,
      }),
    );
    input.cidrReservations = [
      { id: "scr-1", subnetId: "subnet-a", cidr: "192.168.1.240/28", type: "explicit", description: "" },
    ];
    return input;
  }

  test("counts every address of a subnet in use by holder, and names the ENIs no node holds", () => {
    const r = buildReport(withNeighbours());
    const s = r.subnets[0]!;
    assert.equal(s.used, true);
    // 3 ENI primaries, 15 pods, 2 load-balancer IPs, 15 explicitly reserved (.255 is AWS's).
    assert.deepEqual(
      [s.space?.nodeIps, s.space?.podIps, s.space?.otherIps, s.space?.reservedExplicitIps],
      [3, 15, 2, 15],
    );
    assert.equal(s.space?.free, 251 - 3 - 15 - 2 - 15);
    // Free runs .4-.9, .26-.99, .102-.199, .202-.239: the longest is 98.
    assert.equal(s.space?.largestFreeRun, 98);
    // Whole /28s free: .32-.95 (4), .112-.191 (5), .208-.239 (2).
    assert.equal(s.space?.freeBlocks28, 11);
    assert.deepEqual(
      s.others?.map((o) => [o.id, o.interfaceType, o.requesterId, o.ips]),
      [["eni-lb", "network_load_balancer", "amazon-elb", ["192.168.1.200", "192.168.1.201"]]],
    );
    assert.deepEqual(r.zones[0]!.space, {
      subnets: 1,
      free: 216,
      freeBlocks28: 11,
      largestFreeRun: 98,
      otherIps: 2,
      podIps: 15,
      podShare: 15 / 251,
    });
  });

  test("a subnet no node, ENIConfig or discovery tag uses is listed but not mapped", () => {
    const input = withNeighbours();
    input.subnets.push({ ...subnetA, id: "subnet-b", cidr: "192.168.2.0/24", name: null });
    const b = buildReport(input).subnets.find((s) => s.id === "subnet-b")!;
    assert.equal(b.used, false);
    assert.equal(b.space, undefined);
    input.subnets[1] = { ...input.subnets[1]!, cniDiscovery: true };
    assert.equal(buildReport(input).subnets.find((s) => s.id === "subnet-b")?.space?.free, 251);
  });

  test("with prefix delegation, a subnet with free addresses but no free /28 is warned about", () => {
    const input = withNeighbours();
    // Checkerboard the rest: a load balancer holds every other free address, so no /28 stays whole.
    const taken = new Set(["10", "100", "101", ...Array.from({ length: 15 }, (_, i) => String(11 + i))]);
    const spread = Array.from({ length: 236 }, (_, i) => String(4 + i)).filter(
      (n, i) => i % 2 === 0 && !taken.has(n),
    );
    input.enis.push(
      eni(
        "eni-ep",
        null,
        null,
        `192.168.1.${spread[0]}`,
        spread.slice(1).map((n) => `192.168.1.${n}`),
        {
          status: "in-use",
          interfaceType: "other",
          typeName: "vpc_endpoint",
          cniManaged: false,
        },
      ),
    );
    input.cni = { ...input.cni, prefixDelegation: true };
    const r = buildReport(input);
    assert.equal(r.subnets[0]!.space?.freeBlocks28, 0);
    assert.ok((r.subnets[0]!.space?.free ?? 0) > 0);
    assert.ok(r.warnings.some((w) => /subnet-a .* has no free \/28 .*InsufficientCidrBlocks/.test(w)));
    input.cni = { ...input.cni, prefixDelegation: false };
    assert.ok(!buildReport(input).warnings.some((w) => w.includes("no free /28")));
  });
});
