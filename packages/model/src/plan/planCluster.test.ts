import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { eksCluster } from "../testing/eksCluster.ts";
import { PlanInputError } from "./errors.ts";
import { planCluster } from "./planCluster.ts";
import type { PlanChange, PlanInput } from "./types.ts";

// 6 m5.xlarge nodes (4 ENIs x 14 IPs, max pods 58) over 4 zones, 12 pods each of 5 Deployments.
const cluster = eksCluster(6, 12);
const web = { kind: "Deployment", namespace: "default", name: "web" } as const;
const webPods = cluster.pods.filter((p) => p.owner === "Deployment/web").length;

function plan(changes: PlanChange[], more: Partial<PlanInput> = {}) {
  return planCluster({ cluster, changes, ...more });
}

function refused(changes: PlanChange[], code: string, names: RegExp): void {
  assert.throws(
    () => plan(changes),
    (err) => err instanceof PlanInputError && err.code === code && names.test(err.message),
  );
}

describe("bad input is refused, naming what is wrong", () => {
  test("an unknown workload", () =>
    refused(
      [{ kind: "scale", workload: { ...web, name: "nope" }, replicas: 3 }],
      "unknown-workload",
      /default\/nope/,
    ));
  test("an unknown pod to copy", () =>
    refused(
      [{ kind: "more-pods", like: { namespace: "default", name: "ghost" }, count: 3 }],
      "unknown-pod",
      /ghost/,
    ));
  test("an unknown node group, with the cluster's", () =>
    refused(
      [{ kind: "add-nodes", nodeGroup: "ng-9", count: 1 }],
      "unknown-node-group",
      /ng-9: the cluster's are ng-1/,
    ));
  test("an unknown instance type", () =>
    refused(
      [{ kind: "instance-type", nodeGroup: "ng-1", instanceType: "m5.huge" }],
      "unknown-instance-type",
      /m5\.huge/,
    ));
  test("an unknown setting", () =>
    refused([{ kind: "set", settings: { WARM_FOO: "1" } as never }], "unknown-setting", /WARM_FOO/));
  test("a negative count", () =>
    refused(
      [{ kind: "scale", workload: web, replicas: -1 }],
      "invalid-count",
      /replicas of Deployment default\/web.*-1/,
    ));
  test("a count aws-node cannot read", () =>
    refused(
      [{ kind: "set", settings: { WARM_IP_TARGET: "lots" } }],
      "invalid-setting",
      /WARM_IP_TARGET=lots/,
    ));
  test("settings aws-node refuses to start with (validateEnvVars)", () =>
    refused(
      [
        {
          kind: "set",
          settings: { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "0", WARM_ENI_TARGET: "0" },
        },
      ],
      "invalid-setting",
      /WARM_PREFIX_TARGET = 0 is not supported/,
    ));
  test("removing more nodes than the group has", () =>
    refused([{ kind: "remove-nodes", nodeGroup: "ng-1", count: 7 }], "invalid-count", /has 6 nodes/));
});

test("the cluster as it is plans to itself: no Pending pod, no EC2 call, every node kept", () => {
  const p = plan([]);
  assert.equal(p.pending.length, 0);
  assert.equal(p.ec2.calls.length, 0);
  assert.equal(p.firstLimit, null);
  for (const n of p.nodes) {
    assert.equal(n.fate, "kept");
    assert.deepEqual(n.pods, { min: n.before.pods, max: n.before.pods });
  }
});

test("scaling web up spreads it, and a node short of its warm ENI attaches one (5 EC2 calls each)", () => {
  const p = plan([{ kind: "scale", workload: web, replicas: webPods + 12 }]);
  assert.equal(p.pending.length, 0);
  // Each node holds 12 pods' IPs on 2 ENIs (28 IPs, 16 warm): two more leave 14 warm, still a full ENI's
  // worth, so nothing is attached.
  for (const n of p.nodes) assert.deepEqual(n.pods, { min: n.before.pods + 2, max: n.before.pods + 2 });
  assert.equal(p.ec2.calls.length, 0);
  const q = plan([{ kind: "scale", workload: web, replicas: webPods + 18 }]);
  for (const n of q.nodes) {
    assert.deepEqual(n.enis, { min: 3, max: 3 }, `${n.name}: 3 more pods leave 13 warm < 14: a 3rd ENI`);
  }
  const calls = Object.fromEntries(q.ec2.calls.map((c) => [c.action, c.count.max]));
  // awsutils AllocENI per ENI: DescribeSubnets (subnet discovery), CreateNetworkInterface, DescribeInstances
  // (the free device index), AttachNetworkInterface, ModifyNetworkInterfaceAttribute (DeleteOnTermination).
  assert.deepEqual(calls, {
    AttachNetworkInterface: 6,
    CreateNetworkInterface: 6,
    DescribeInstances: 6,
    DescribeSubnets: 6,
    ModifyNetworkInterfaceAttribute: 6,
  });
  const mutating = q.ec2.calls.filter((c) => c.category === "mutating").map((c) => c.action);
  assert.deepEqual(mutating.sort(), ["AttachNetworkInterface", "ModifyNetworkInterfaceAttribute"]);
  assert.equal(q.ec2.fits, true);
});

test("/28 prefixes are assigned with AssignPrivateIpAddresses (Ipv4PrefixCount), in that action's bucket", () => {
  const p = plan([
    { kind: "set", settings: { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1" } },
    { kind: "roll-nodes" },
  ]);
  const assign = p.ec2.calls.find((c) => c.action === "AssignPrivateIpAddresses");
  assert.equal(assign?.category, "network-interface");
  assert.deepEqual(assign?.bucket, { size: 100, refillPerSecond: 5 });
  assert.ok(
    p.ec2.calls.every((c) => !/Prefix/.test(c.action)),
    "EC2 has no IPv4 prefix action",
  );
});

test("a pod that waited for an IP before the change is not the change's first limit", () => {
  // node-00000 is cordoned (IPAMD attaches nothing there) and holds no free IP: a web pod bound to it
  // without one waits now, and still does after a change that touches nothing of it.
  const [first] = cluster.nodes;
  assert.ok(first);
  const held = new Set(cluster.pods.filter((p) => p.nodeName === first.name).map((p) => p.podIp));
  const waiting = { ...cluster.pods.find((p) => p.owner === "Deployment/web" && p.nodeName === first.name)! };
  waiting.name = "web-waiting";
  waiting.podIp = null;
  const stuck = {
    ...cluster,
    nodes: cluster.nodes.map((n) => (n === first ? { ...n, cordoned: true } : n)),
    enis: cluster.enis.map((e) =>
      e.instanceId === first.instanceId
        ? { ...e, secondaryIps: e.secondaryIps.filter((ip) => held.has(ip)) }
        : e,
    ),
    pods: [...cluster.pods, waiting],
  };
  const p = planCluster({
    cluster: stuck,
    changes: [{ kind: "set", settings: { WARM_IP_TARGET: "3" } }],
    seeds: [1],
  });
  const still = p.pending.find((x) => x.name === "web-waiting");
  assert.equal(still?.already, true, JSON.stringify(p.pending));
  assert.equal(p.firstLimit, null);
});

test("past max pods the rest stays Pending with the scheduler's message, and the first limit says so", () => {
  // 14 pods on each node now (aws-node and kube-proxy included): 44 more fit each.
  const p = plan([{ kind: "scale", workload: web, replicas: webPods + 6 * 44 + 5 }]);
  const fresh = p.pending.filter((x) => !x.already);
  assert.equal(fresh.length, 5);
  assert.equal(
    fresh[0]?.message,
    "0/6 nodes are available: 6 Too many pods. preemption: 0/6 nodes are available: 6 No preemption victims found for incoming pod.",
  );
  assert.equal(fresh[0]?.reason, "too-many-pods");
  assert.match(p.firstLimit ?? "", /every node is at max pods 58 \(4 ENIs x 14 IPs \+ 2\)/);
});

test("prefix delegation with a roll-over: new nodes with max pods 110 on /28s", () => {
  const p = plan([
    { kind: "set", settings: { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1" } },
    { kind: "roll-nodes" },
  ]);
  assert.equal(p.nodesToReplace.length, 6);
  const fresh = p.nodes.filter((n) => n.fate === "new");
  assert.equal(fresh.length, 6);
  for (const n of fresh) {
    assert.equal(n.maxPods, 110);
    assert.equal(n.unit, "prefix");
    assert.ok(n.replaces !== undefined);
  }

  assert.deepEqual(p.effects.atOnce.length > 0, true);
  assert.ok(p.effects.onReplacedNodes.some((t) => /max pods/.test(t)));
  assert.ok(p.subnets.every((s) => s.freeBlocks28After.max <= s.freeBlocks28Before + 64));
});

test("where the seeds end differently the figures are ranges: a 4th web pod goes to one of three equal nodes", () => {
  // Nodes 1-3 hold 2 web pods, nodes 0, 4 and 5 hold 3: three more go to 1-3, the 4th to any of the six.
  const p = plan([{ kind: "scale", workload: web, replicas: webPods + 4 }]);
  const ranged = p.nodes.filter((n) => n.pods.min < n.pods.max);
  assert.ok(ranged.length >= 2, `${ranged.length} nodes with a range`);
  for (const n of ranged) assert.equal(n.pods.max - n.pods.min, 1);
});

test("removing a node takes it from the zone with the most of the group's nodes, as the Auto Scaling group would", () => {
  const perZone = new Map<string, number>();
  for (const n of cluster.nodes) perZone.set(n.zone ?? "", (perZone.get(n.zone ?? "") ?? 0) + 1);
  const most = Math.max(...perZone.values());
  assert.ok(most > Math.min(...perZone.values()), "the test cluster's zones are uneven");
  // The newest node is alone in its zone: it stays.
  const lone = cluster.nodes.find((n) => perZone.get(n.zone ?? "") === 1);
  assert.ok(lone);
  const nodes = cluster.nodes.map((n) => (n === lone ? { ...n, createdAt: "2026-02-01T00:00:00Z" } : n));
  const p = planCluster({
    cluster: { ...cluster, nodes },
    changes: [{ kind: "remove-nodes", nodeGroup: "ng-1", count: 1 }],
  });
  const gone = p.nodes.filter((n) => n.fate === "removed");
  assert.equal(gone.length, 1);
  assert.equal(perZone.get(gone[0]?.zone ?? ""), most, `${gone[0]?.name} in ${gone[0]?.zone}`);
});

test("a StatefulSet scales by ordinal: new pods take the next ordinals, a scale-down deletes the highest", () => {
  let n = 0;
  const pods = cluster.pods.map((p) =>
    p.owner === "Deployment/web" ? { ...p, owner: "StatefulSet/db", name: `db-${n++}` } : p,
  );
  const sts = { ...cluster, pods };
  const db = { kind: "StatefulSet", namespace: "default", name: "db" } as const;
  const names = (p: ReturnType<typeof planCluster>) =>
    p.report.pods.filter((x) => x.name.startsWith("db-")).map((x) => x.name);
  const up = planCluster({
    cluster: sts,
    changes: [{ kind: "scale", workload: db, replicas: n + 2 }],
    seeds: [1],
  });
  assert.equal(up.changes[0]?.text, `scale StatefulSet default/db ${n} -> ${n + 2}`);
  assert.ok(names(up).includes(`db-${n}`) && names(up).includes(`db-${n + 1}`), names(up).join(" "));
  const down = planCluster({
    cluster: sts,
    changes: [{ kind: "scale", workload: db, replicas: n - 3 }],
    seeds: [1],
  });
  assert.deepEqual(
    names(down).sort((a, b) => Number(a.slice(3)) - Number(b.slice(3))),
    Array.from({ length: n - 3 }, (_, i) => `db-${i}`),
  );
});

test("a ReplicaSet scales like a Deployment's pods, named after its pods", () => {
  const pods = cluster.pods.map((p) =>
    p.owner === "Deployment/web" ? { ...p, owner: "ReplicaSet/web-6d4cf56db6" } : p,
  );
  const rs = { kind: "ReplicaSet", namespace: "default", name: "web-6d4cf56db6" } as const;
  const p = planCluster({
    cluster: { ...cluster, pods },
    changes: [{ kind: "scale", workload: rs, replicas: webPods + 6 }],
    seeds: [1],
  });
  const added = p.nodes.reduce((sum, x) => sum + x.pods.max - x.before.pods, 0);
  assert.equal(added, 6);
  assert.equal(p.pending.length, 0);
});

test("the same seeds give the same plan", () => {
  const changes: PlanChange[] = [{ kind: "scale", workload: web, replicas: webPods + 40 }];
  assert.deepEqual(plan(changes).nodes, plan(changes).nodes);
});

test("a WARM_IP_TARGET takes effect at once on every node: the pools shrink to pods + 2", () => {
  const p = plan([{ kind: "set", settings: { WARM_IP_TARGET: "2" } }]);
  for (const n of p.nodes) {
    assert.deepEqual(n.warm, { min: 2, max: 2 }, n.name);
    assert.ok(n.enis.max <= n.before.enis);
  }
  assert.ok(p.ec2.calls.some((c) => c.action === "UnassignPrivateIpAddresses"));
  // Giving the IPs back is IPAMD's work too: one loop at least, not "nothing to do".
  assert.ok(p.settle.seconds.min >= 5, JSON.stringify(p.settle));
  assert.match(p.settle.summary, /giving addresses back/);
});

test("MINIMUM_IP_TARGET without WARM_IP_TARGET stops the pool at the floor: pods wait for an IP on nodes with ENI slots free, and the first limit says why", () => {
  // 14 pods' IPs (12 web and friends) on each node's 28: the floor of 30 takes 2 more; 20 more pods each
  // would need 34.
  const p = plan([
    { kind: "set", settings: { MINIMUM_IP_TARGET: "30" } },
    { kind: "scale", workload: web, replicas: webPods + 6 * 20 },
  ]);
  assert.ok(p.pending.some((x) => x.reason === "ip-exhausted"));
  for (const n of p.nodes) assert.ok(n.enis.max < 4, `${n.name} has an ENI slot free`);
  assert.match(p.firstLimit ?? "", /MINIMUM_IP_TARGET 30 without WARM_IP_TARGET keeps its pool at 30 IPs/);
  assert.doesNotMatch(p.firstLimit ?? "", /every ENI it may attach is full/);
});

test("prefix delegation on running nodes whose ENIs are full of secondary IPs: IPAMD never settles, and the plan says so", () => {
  // Every ENI holds its 14 /32s, so the first /28 needs a new ENI; once a minute old it is freed again,
  // as the old ENIs' free /32s count as free "prefixes" when IPAMD picks an ENI to free (datastore
  // isRequiredForWarmPrefixTarget), and the next loop finds no prefix and creates one again.
  const p = plan([{ kind: "set", settings: { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1" } }], {
    seeds: [1],
  });
  assert.ok(p.settle.loop, p.settle.summary);
  assert.equal(p.settle.loop.nodes.length, 6);
  assert.ok(p.settle.loop.periodSeconds.min >= 60, JSON.stringify(p.settle.loop));
  assert.match(
    p.settle.summary,
    /^never on 6 nodes .*frees an ENI and creates another about every \d+ s, 8 EC2 calls/,
  );
  assert.ok(p.settle.loop.callsPerHour > 6 * 8 * 40, String(p.settle.loop.callsPerHour));
  // 6 nodes' detach, attach and modify each turn: about 17 mutating calls a minute, well within EC2's 300.
  assert.ok(!p.warnings.some((w) => /never settle/.test(w)), p.warnings.join("\n"));
  // An account whose mutating bucket refills 6 a minute is drained by them.
  const slow = plan(
    [{ kind: "set", settings: { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1" } }],
    {
      seeds: [1],
      throttling: { mutating: { size: 50, refillPerSecond: 0.1 } },
    },
  );
  const warning = slow.warnings.find((w) => /never settle/.test(w));
  assert.match(
    warning ?? "",
    /^6 nodes that never settle make \d+ mutating EC2 calls a minute between them, more than the 6 a minute/,
  );
});

test("a new node group in one zone takes DaemonSet pods and is where more pods like one of web go", () => {
  const like = cluster.pods.find((x) => x.owner === "Deployment/web");
  assert.ok(like);
  const p = plan([
    { kind: "new-node-group", name: "big", instanceType: "m5.2xlarge", nodes: 2, zones: ["us-west-2a"] },
    { kind: "more-pods", like: { namespace: "default", name: like.name }, count: 10 },
  ]);
  const fresh = p.nodes.filter((n) => n.fate === "new");
  assert.deepEqual(
    fresh.map((n) => [n.nodeGroup, n.zone, n.instanceType]),
    [
      ["big", "us-west-2a", "m5.2xlarge"],
      ["big", "us-west-2a", "m5.2xlarge"],
    ],
  );
  for (const n of fresh) assert.ok(n.pods.min >= 2, "aws-node and kube-proxy run there");
  assert.equal(p.pending.length, 0);
});

test("the inverse questions: replicas that fit, nodes needed, and the family's types compared", () => {
  const like = cluster.pods.find((x) => x.owner === "Deployment/web");
  assert.ok(like);
  const ref = { namespace: "default", name: like.name };
  const p = planCluster({
    cluster,
    changes: [],
    seeds: [1, 2],
    questions: [
      { kind: "replicas-that-fit", workload: web },
      { kind: "nodes-needed", like: ref, count: 120, instanceType: "m5.xlarge" },
      { kind: "instance-types", like: ref, count: 120, family: "m5" },
    ],
  });
  const [fit, nodes, types] = p.answers;
  assert.equal(fit?.kind, "replicas-that-fit");
  // Each node takes 58 - 14 pods more (max pods); 6 nodes: 264 more than now.
  if (fit?.kind === "replicas-that-fit")
    assert.deepEqual(fit.fit, { min: webPods + 264, max: webPods + 264 });
  // 120 pods: 264 places left on the cluster already, so no node is needed.
  if (nodes?.kind === "nodes-needed") assert.deepEqual(nodes.nodes, { min: 0, max: 0 });
  if (types?.kind === "instance-types") {
    assert.ok(types.options.length > 3);
    assert.ok(types.options.every((o) => o.nodes === 0));
  }
});

test("the family's types are listed smallest first, and a tie names the smallest type", () => {
  const like = cluster.pods.find((x) => x.owner === "Deployment/web");
  assert.ok(like);
  const p = planCluster({
    cluster,
    changes: [],
    seeds: [1],
    questions: [
      { kind: "instance-types", like: { namespace: "default", name: like.name }, count: 400, family: "m5" },
    ],
  });
  const [types] = p.answers;
  assert.equal(types?.kind, "instance-types");
  if (types?.kind !== "instance-types") return;
  const names = types.options.map((o) => o.instanceType);
  assert.ok(names.indexOf("m5.2xlarge") < names.indexOf("m5.12xlarge"), names.join(" "));
  assert.equal(names[0], "m5.large");
  // 136 pods beyond the cluster's 264 free places: one m5.4xlarge (max pods 234) holds them, as do the
  // 8xlarge, 12xlarge and larger; the smallest of those is the answer.
  const one = types.options.filter((o) => o.nodes === 1).map((o) => o.instanceType);
  assert.equal(one[0], "m5.4xlarge");
  assert.equal(types.fewestNodes, "m5.4xlarge");
});

test("custom networking with an ENIConfig per zone and a roll-over: the new nodes' pod ENIs are in the pod subnets", () => {
  const podSubnets = ["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"].map((zone, i) => ({
    id: `subnet-pods-${i}`,
    vpcId: "vpc-1",
    cidr: `100.64.${i * 16}.0/20`,
    zone,
    availableIps: 4091,
    name: `pods-${zone}`,
  }));
  const withPodSubnets = { ...cluster, subnets: [...cluster.subnets, ...podSubnets] };
  const p = planCluster({
    cluster: withPodSubnets,
    changes: [
      {
        kind: "set",
        settings: {
          AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "true",
          ENI_CONFIG_LABEL_DEF: "topology.kubernetes.io/zone",
        },
      },
      ...podSubnets.map((s) => ({ kind: "eni-config" as const, name: s.zone, subnetId: s.id })),
      { kind: "roll-nodes" },
    ],
  });
  assert.ok(p.effects.onReplacedNodes.some((t) => /ENIConfig/.test(t)));
  const fresh = p.report.nodes.filter((n) => n.name.includes("-planned-"));
  assert.equal(fresh.length, 6);
  for (const n of fresh) {
    const primary = n.enis.find((e) => e.deviceIndex === 0);
    assert.equal(primary?.ipsUsed, 0, `${n.name}: no pod on the primary ENI`);
    for (const e of n.enis.filter((x) => x.deviceIndex > 0))
      assert.equal(e.subnetId, podSubnets.find((s) => s.zone === n.zone)?.id, `${n.name} ${e.id}`);
  }
  const used = p.subnets.filter((s) => s.id.startsWith("subnet-pods-") && s.freeAfter.max < s.freeBefore);
  assert.equal(used.length, 4);
});

test("an ENIConfig moved to another subnet takes running nodes' next ENIs at once (IPAMD reads it at each ENI)", () => {
  const zones = ["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"];
  const podSubnet = (zone: string, i: number, gen: number) => ({
    id: `subnet-pods-${gen}-${i}`,
    vpcId: "vpc-1",
    cidr: `100.${64 + gen}.${i * 16}.0/20`,
    zone,
    availableIps: 4091,
    name: `pods-${gen}-${zone}`,
  });
  const old = zones.map((z, i) => podSubnet(z, i, 0));
  const moved = zones.map((z, i) => podSubnet(z, i, 1));
  const custom = {
    ...cluster,
    subnets: [...cluster.subnets, ...old, ...moved],
    cni: { ...cluster.cni, customNetworking: true, eniConfigLabelDef: "topology.kubernetes.io/zone" },
    eniConfigs: old.map((s) => ({ name: s.zone, subnet: s.id, securityGroups: [] })),
  };
  // 18 more web pods: every node attaches an ENI (the primary ENI takes no more pod IPs).
  const p = planCluster({
    cluster: custom,
    changes: [
      { kind: "eni-config", name: "us-west-2a", subnetId: "subnet-pods-1-0" },
      { kind: "scale", workload: web, replicas: webPods + 18 },
    ],
    seeds: [1],
  });
  const change = p.changes.find((c) => c.change.kind === "eni-config");
  assert.equal(change?.effect, "both");
  const fresh = p.report.nodes.flatMap((n) =>
    n.enis.filter((e) => e.id.startsWith("eni-planned-")).map((e) => [n.zone, e.subnetId] as const),
  );
  assert.ok(
    fresh.some(([zone]) => zone === "us-west-2a"),
    JSON.stringify(fresh),
  );
  for (const [zone, subnet] of fresh)
    assert.equal(subnet, zone === "us-west-2a" ? "subnet-pods-1-0" : old.find((s) => s.zone === zone)?.id);
});
