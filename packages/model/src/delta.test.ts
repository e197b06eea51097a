import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Topology } from "./api.ts";
import { defaultCniConfig } from "./cniConfig.ts";
import { applyDelta, DeltaSequenceError, diffTopology, sameJson } from "./delta.ts";
import { mutateTopology, randomTopology, seeded } from "./testing/randomTopology.ts";
import type { CniConfig, EniReport, NodeReport, PodReport, ReportSummary, SubnetReport } from "./types.ts";

// A hand-built scale-lab cluster: t3.medium nodes (3 ENIs x 6 IPv4), pods on the secondary ENI.
const cni: CniConfig = { ...defaultCniConfig(), detected: true };

function eniOf(id: string, deviceIndex: number, ips: string[], pods: Record<string, string>): EniReport {
  const slots = ips.map((ip) => ({ ip, pod: pods[ip] ?? null }));
  const used = slots.filter((s) => s.pod !== null).length;
  return {
    id,
    deviceIndex,
    networkCardIndex: 0,
    onDefaultCard: true,
    subnetId: "subnet-1",
    role: deviceIndex === 0 ? "primary" : "secondary",
    interfaceType: "interface",
    primaryIp: `192.168.1.${deviceIndex + 10}`,
    slots,
    prefixes: [],
    podCapacity: true,
    slotLimit: 5,
    ipsAssigned: slots.length,
    ipsUsed: used,
    ipsWarm: slots.length - used,
    attachTime: null,
  };
}

function node(name: string, pods: Record<string, string>): NodeReport {
  const ips = (base: number) => [1, 2, 3, 4, 5].map((i) => `192.168.${base}.${i + 100}`);
  const n = Number(name.replace(/\D/g, ""));
  const enis = [eniOf(`eni-${n}a`, 0, ips(n), pods), eniOf(`eni-${n}b`, 1, ips(n + 100), pods)];
  const used = enis.reduce((s, e) => s + e.ipsUsed, 0);
  return {
    name,
    instanceId: `i-${n}`,
    instanceType: "t3.medium",
    zone: "ap-northeast-2a",
    nodeGroup: null,
    capacityType: null,
    internalIp: `192.168.1.${n}`,
    kind: "ec2",
    ipFamily: "ipv4",
    enisKnown: true,
    branchEnis: null,
    podCidrs: [],
    ready: true,
    cordoned: false,
    maxPods: 17,
    maxPodsByEni: 17,
    capacity: {
      instanceType: "t3.medium",
      known: true,
      vcpus: 2,
      maxEnis: 3,
      ipv4PerEni: 6,
      podEnis: 3,
      podIpsPerEni: 5,
      podIps: 15,
      maxPods: 17,
      maxPodsUncapped: null,
      mode: "secondary-ip",
    },
    overcommitted: false,
    enis,
    eniSlotsFree: 1,
    ipsAssigned: 10,
    ipsUsed: used,
    ipsWarm: 10 - used,
    pods: used + 2,
    podsRunning: used + 2,
    hostNetworkPods: [
      { namespace: "kube-system", name: `aws-node-${n}` },
      { namespace: "kube-system", name: `kube-proxy-${n}` },
    ],
    podsWaitingForIp: 0,
    podsOffEni: [],
    notes: [],
    warnings: [],
    eniConfig: null,
    cniFeatures: [],
  };
}

function summary(nodes: NodeReport[], pending: number): ReportSummary {
  const used = nodes.reduce((s, n) => s + n.ipsUsed, 0);
  return {
    nodes: nodes.length,
    enisAttached: nodes.length * 2,
    enisPossible: nodes.length * 3,
    nodesCapacityUnknown: 0,
    nodesEnisUnknown: 0,
    enisOtherCards: 0,
    ipsAssigned: nodes.length * 10,
    ipsUsed: used,
    ipsWarm: nodes.length * 10 - used,
    pods: used,
    podsRunning: used,
    pendingPods: pending,
    maxPods: nodes.length * 17,
    maxPodsByEni: nodes.length * 17,
    hostNetworkPods: nodes.length * 2,
    podsOnUnknownNodes: 0,
    kinds: { ec2: nodes.length },
    overcommittedNodes: 0,
    unplacedPods: 0,
    detachedEnis: 0,
  };
}

/** `nodeCount` nodes named node-01..; `placed` maps a node to its pods' names (each on the next slot). */
function topology(
  seq: number,
  nodeCount: number,
  placed: Record<string, string[]>,
  pending: string[] = [],
): Topology {
  const pods: PodReport[] = [];
  const nodes: NodeReport[] = [];
  for (let i = 1; i <= nodeCount; i++) {
    const name = `node-${String(i).padStart(2, "0")}`;
    const byIp: Record<string, string> = {};
    (placed[name] ?? []).forEach((pod, j) => {
      const ip = `192.168.${i + 100}.${j + 101}`;
      byIp[ip] = `default/${pod}`;
      pods.push({
        namespace: "default",
        name: pod,
        node: name,
        ip,
        eni: `eni-${i}b`,
        phase: "Running",
        status: "Running",
        owner: "Deployment/nginx-deployment",
        labels: { app: "nginx" },
      });
    });
    nodes.push(node(name, byIp));
  }
  return {
    cluster: { name: "lab", region: "ap-northeast-2", cni },
    summary: summary(nodes, pending.length),
    nodes,
    pods,
    pending: pending.map((name) => ({
      namespace: "default",
      name,
      node: null,
      reason: "too-many-pods",
      message: "0/3 nodes are available: 3 Too many pods.",
      status: "Pending",
      owner: "Deployment/nginx-deployment",
      since: null,
    })),
    subnets: [],
    zones: [],
    detachedEnis: [],
    warnings: [],
    seq,
    generatedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
    source: "dump",
    sources: { dump: { stale: false, error: null, since: null, lastSuccess: "2026-01-01T00:00:00.000Z" } },
  };
}

function subnetOf(id: string): SubnetReport {
  return {
    id,
    name: null,
    cidr: "192.168.0.0/16",
    zone: "ap-northeast-2a",
    availableIps: 100,
    totalIps: 65531,
    enis: 2,
    ipsAssigned: 10,
    ipsUsed: 1,
    ipsWarm: 9,
  };
}

const keyOf = (p: { namespace: string; name: string }) => `${p.namespace}/${p.name}`;

describe("diffTopology", () => {
  it("returns null when only seq and generatedAt differ", () => {
    const a = topology(1, 3, { "node-01": ["nginx-a"] });
    const b = topology(2, 3, { "node-01": ["nginx-a"] });
    assert.notEqual(a.nodes[0], b.nodes[0], "fresh objects, so equality must be structural");
    assert.equal(diffTopology(a, b), null);
  });

  it("a pod that takes a warm IP is one slot of one ENI, the node's counters and the pod", () => {
    const prev = topology(10, 50, { "node-07": ["nginx-a", "nginx-b"] });
    const next = topology(11, 50, { "node-07": ["nginx-a", "nginx-b", "nginx-c"] });
    const delta = diffTopology(prev, next);
    assert.ok(delta);
    assert.equal(delta.seq, 11);
    assert.deepEqual(delta.nodes, {
      upsert: [],
      remove: [],
      patch: [
        {
          key: "node-07",
          set: { ipsUsed: 3, ipsWarm: 7, pods: 5, podsRunning: 5 },
          enis: [{ id: "eni-7b", set: { ipsUsed: 3, ipsWarm: 2 }, pods: [[2, "default/nginx-c"]] }],
        },
      ],
    });
    assert.deepEqual(delta.pods?.upsert.map(keyOf), ["default/nginx-c"]);
    assert.deepEqual(delta.summary, { ipsUsed: 3, ipsWarm: 497, pods: 3, podsRunning: 3 });
    assert.equal(delta.subnets, undefined);
    assert.equal(delta.pending, undefined);
    const text = JSON.stringify(delta);
    assert.ok(!text.includes("nginx-a") && !text.includes("nginx-b"), "no other slot's pod travels");
    assert.deepEqual(applyDelta(prev, delta), next);
  });

  it("a pod that leaves its slot is the slot set free and the pod's key", () => {
    const prev = topology(3, 10, { "node-02": ["a", "b", "c"] });
    const next = topology(4, 10, { "node-02": ["a", "b"] });
    const delta = diffTopology(prev, next)!;
    assert.deepEqual(delta.nodes?.patch?.[0]?.enis, [
      { id: "eni-2b", set: { ipsUsed: 2, ipsWarm: 3 }, pods: [[2, null]] },
    ]);
    assert.deepEqual(delta.pods, { upsert: [], remove: ["default/c"] });
    const text = JSON.stringify(delta);
    assert.ok(!text.includes("default/a") && !text.includes("192.168"), "no slot IP or other pod travels");
    assert.deepEqual(applyDelta(prev, delta), next);
  });

  it("a freed IP travels alone, not with every IP still cooling, and the list leaves the topology when it empties", () => {
    const prev = topology(3, 10, { "node-02": ["a", "b"] });
    const cooling = (ip: string, at: number) => ({
      ip,
      node: "node-02",
      eni: "eni-2b",
      releasedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, at)).toISOString(),
      until: new Date(Date.UTC(2026, 0, 1, 0, 0, at + 30)).toISOString(),
    });
    const first = cooling("192.168.1.99", 3);
    const second = cooling("192.168.1.120", 5);
    const next = { ...topology(4, 10, { "node-02": ["a", "b"] }), cooling: [first] };
    const delta = diffTopology(prev, next)!;
    assert.deepEqual(delta.cooling?.upsert, [first]);
    assert.deepEqual(applyDelta(prev, delta), next);
    // The second release carries only itself; the list stays in IP order (".120" sorts before ".99").
    const both = { ...topology(5, 10, { "node-02": ["a", "b"] }), cooling: [second, first] };
    const more = diffTopology(next, both)!;
    assert.deepEqual(more.cooling, { upsert: [second], remove: [] });
    assert.deepEqual(applyDelta(next, more), both);
    const after = topology(6, 10, { "node-02": ["a", "b"] });
    const gone = diffTopology(both, after)!;
    assert.deepEqual(gone.cooling?.remove.sort(), ["192.168.1.120", "192.168.1.99"]);
    const applied = applyDelta(both, gone);
    assert.equal("cooling" in applied, false);
    assert.deepEqual(applied, after);
  });

  it("an ENI that attaches travels whole, with the node's new ENI order, and no other ENI", () => {
    const prev = topology(3, 4, { "node-03": ["a"] });
    const next = structuredClone(prev);
    next.seq = 4;
    const n3 = next.nodes[2]!;
    n3.enis.push(eniOf("eni-3c", 2, ["192.168.203.101", "192.168.203.102"], {}));
    n3.eniSlotsFree = 0;
    const delta = diffTopology(prev, next)!;
    const patch = delta.nodes?.patch?.[0];
    assert.equal(patch?.key, "node-03");
    assert.deepEqual(patch?.set, { eniSlotsFree: 0 });
    assert.deepEqual(
      patch?.addEnis?.map((e) => e.id),
      ["eni-3c"],
    );
    assert.deepEqual(patch?.eniOrder, ["eni-3a", "eni-3b", "eni-3c"]);
    assert.equal(patch?.enis, undefined);
    assert.ok(!JSON.stringify(delta).includes("default/a"));
    const applied = applyDelta(prev, delta);
    assert.deepEqual(applied, next);
    assert.equal(applied.nodes[2]!.enis[0], prev.nodes[2]!.enis[0], "unchanged ENIs are the same objects");
  });

  it("sends a whole slot list when the ENI's IPs change", () => {
    const prev = topology(1, 2, { "node-01": ["a"] });
    const next = structuredClone(prev);
    next.seq = 2;
    next.nodes[0]!.enis[1]!.slots.push({ ip: "192.168.101.250", pod: null });
    const delta = diffTopology(prev, next)!;
    assert.equal(delta.nodes?.patch?.[0]?.enis?.[0]?.slots?.length, 6);
    assert.deepEqual(applyDelta(prev, delta), next);
  });

  it("lists removed nodes, pods and pending pods by key", () => {
    const prev = topology(1, 3, { "node-02": ["nginx-a"] }, ["nginx-p1", "nginx-p2"]);
    const next = topology(2, 2, {}, ["nginx-p2"]);
    const delta = diffTopology(prev, next);
    assert.deepEqual(delta?.nodes?.remove, ["node-03"]);
    assert.deepEqual(
      delta?.nodes?.patch?.map((n) => n.key),
      ["node-02"],
    );
    assert.deepEqual(delta?.pods, { upsert: [], remove: ["default/nginx-a"] });
    assert.deepEqual(delta?.pending, { upsert: [], remove: ["default/nginx-p1"] });
    assert.deepEqual(applyDelta(prev, delta!), next);
  });

  it("notices a pod replaced by another in the same place of the list", () => {
    const prev = topology(1, 2, { "node-01": ["nginx-a", "nginx-b"] });
    const next = topology(2, 2, { "node-01": ["nginx-a", "nginx-c"] });
    const delta = diffTopology(prev, next);
    assert.deepEqual(
      delta?.pods?.upsert.map((p) => p.name),
      ["nginx-c"],
    );
    assert.deepEqual(delta?.pods?.remove, ["default/nginx-b"]);
    assert.deepEqual(applyDelta(prev, delta!), next);
  });

  it("sends a changed pod, subnet or zone as its changed fields, by key", () => {
    const prev = topology(1, 2, { "node-01": ["a", "b"] });
    prev.subnets = [subnetOf("subnet-1"), subnetOf("subnet-2")];
    const next = structuredClone(prev);
    next.seq = 2;
    next.pods[1] = { ...next.pods[1]!, status: "Terminating" };
    next.subnets[1] = { ...next.subnets[1]!, availableIps: 10 };
    const delta = diffTopology(prev, next)!;
    assert.deepEqual(delta.pods, {
      upsert: [],
      remove: [],
      patch: [{ key: "default/b", set: { status: "Terminating" } }],
    });
    assert.deepEqual(delta.subnets, {
      upsert: [],
      remove: [],
      patch: [{ key: "subnet-2", set: { availableIps: 10 } }],
    });
    assert.deepEqual(applyDelta(prev, delta), next);
  });

  it("sends source status changes alone, so a viewer learns EC2 went stale", () => {
    const prev = topology(1, 2, {});
    const next = topology(2, 2, {});
    next.sources = {
      ...next.sources,
      ec2: { stale: true, error: "RequestLimitExceeded", since: "t", lastSuccess: null },
    };
    const delta = diffTopology(prev, next);
    assert.deepEqual(Object.keys(delta ?? {}).sort(), ["generatedAt", "seq", "sources"]);
    assert.equal(delta?.sources?.ec2?.error, "RequestLimitExceeded");
  });

  it("says the order when a list's order changes in a way inserting new keys does not give", () => {
    const prev = topology(1, 2, {});
    prev.subnets = [subnetOf("subnet-b"), subnetOf("subnet-c")];
    const next = structuredClone(prev);
    next.seq = 2;
    next.subnets = [subnetOf("subnet-c"), subnetOf("subnet-a"), subnetOf("subnet-b")];
    const delta = diffTopology(prev, next)!;
    assert.deepEqual(delta.subnets?.order, ["subnet-c", "subnet-a", "subnet-b"]);
    assert.deepEqual(applyDelta(prev, delta), next);
  });

  it("from an empty cluster, says the order only when the new list is not in key order", () => {
    const empty = topology(1, 0, {});
    const unsorted = topology(2, 3, {
      "node-01": ["web-2", "web-10"],
      "node-02": ["api-1"],
      "node-03": ["web-1"],
    });
    const delta = diffTopology(empty, unsorted)!;
    assert.deepEqual(
      delta.pods?.order,
      unsorted.pods.map((p) => `${p.namespace}/${p.name}`),
    );
    assert.deepEqual(applyDelta(empty, delta), unsorted);
    const sorted = structuredClone(unsorted);
    sorted.pods.sort((a, b) => (a.name < b.name ? -1 : 1));
    const inOrder = diffTopology(empty, sorted)!;
    assert.equal(inOrder.pods?.order, undefined, "applyDelta puts each new pod in place");
    assert.deepEqual(applyDelta(empty, inOrder), sorted);
  });

  it("sends a node whole when two of its ENIs share an id, so that a patch cannot land on the wrong one", () => {
    const prev = topology(1, 2, { "node-01": ["a"] });
    const twin = { ...prev.nodes[0]!.enis[1]!, id: "eni-1a" };
    prev.nodes[0] = { ...prev.nodes[0]!, enis: [prev.nodes[0]!.enis[0]!, twin] };
    const next = structuredClone(prev);
    next.seq = 2;
    next.nodes[0]!.enis[1]!.slots[0]!.pod = null;
    const delta = diffTopology(prev, next)!;
    assert.deepEqual(
      delta.nodes?.upsert.map((n) => n.name),
      ["node-01"],
    );
    assert.deepEqual(applyDelta(prev, delta), next);
  });

  it("unsets a field the next object no longer has", () => {
    const prev = topology(1, 1, {});
    const next = structuredClone(prev);
    next.seq = 2;
    const withExtra = prev.nodes[0] as NodeReport & { extra?: string };
    withExtra.extra = "x";
    const delta = diffTopology(prev, next)!;
    assert.deepEqual(delta.nodes?.patch, [{ key: "node-01", unset: ["extra"] }]);
    assert.deepEqual(applyDelta(prev, delta), next);
  });

  it("for many random changes, applying the delta gives the next topology", () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const r = seeded(seed);
      let t = randomTopology(r, { nodes: 4 + seed * 3, seq: 100 });
      for (let step = 0; step < 150; step++) {
        const next = mutateTopology(t, r);
        const delta = diffTopology(t, next);
        if (delta === null) assert.deepEqual({ ...next, seq: t.seq, generatedAt: t.generatedAt }, t);
        else {
          const applied = applyDelta(t, JSON.parse(JSON.stringify(delta)));
          assert.deepEqual(applied, JSON.parse(JSON.stringify(next)), `seed ${seed} step ${step}`);
          t = applied;
          continue;
        }
        t = next;
      }
    }
  });
});

describe("applyDelta", () => {
  it("rebuilds the next topology exactly, sharing every unchanged node, ENI and pod", () => {
    const prev = topology(4, 6, { "node-01": ["a1"], "node-03": ["c1", "c2"], "node-05": ["e1"] }, ["p1"]);
    const next = topology(5, 6, { "node-01": ["a1"], "node-03": ["c1"], "node-05": ["e1", "e2"] }, ["p2"]);
    const delta = diffTopology(prev, next);
    assert.ok(delta);
    const applied = applyDelta(prev, delta);
    assert.deepEqual(applied, next);
    for (const name of ["node-01", "node-02", "node-04", "node-06"]) {
      const before = prev.nodes.find((n) => n.name === name);
      assert.equal(
        applied.nodes.find((n) => n.name === name),
        before,
        `${name} is the same object`,
      );
    }
    const n3 = applied.nodes.find((n) => n.name === "node-03")!;
    assert.notEqual(n3, prev.nodes[2]);
    assert.equal(n3.enis[0], prev.nodes[2]!.enis[0], "the ENI without a change is the same object");
    assert.equal(n3.enis[1]!.slots[0], prev.nodes[2]!.enis[1]!.slots[0], "so is an unchanged slot");
    assert.equal(
      applied.pods.find((p) => p.name === "a1"),
      prev.pods.find((p) => p.name === "a1"),
    );
    assert.equal(applied.subnets, prev.subnets);
    assert.equal(applied.cluster, prev.cluster);
  });

  it("puts a new node in name order in a name-sorted list", () => {
    const prev = topology(1, 4, {});
    prev.nodes.splice(1, 1); // node-02 missing
    const next = topology(2, 4, {});
    const applied = applyDelta(prev, diffTopology(prev, next)!);
    assert.deepEqual(
      applied.nodes.map((n) => n.name),
      ["node-01", "node-02", "node-03", "node-04"],
    );
  });

  it("applies to lists that are not in key order, keeping their order", () => {
    const prev = topology(1, 5, { "node-01": ["z"], "node-02": ["a"], "node-03": ["m"] });
    prev.nodes.reverse();
    prev.pods.reverse();
    const next = structuredClone(prev);
    next.seq = 2;
    next.pods[1] = { ...next.pods[1]!, status: "Terminating" };
    next.nodes[0] = { ...next.nodes[0]!, ready: false };
    next.pods.push({ ...next.pods[0]!, name: "b" });
    const delta = diffTopology(prev, next)!;
    assert.equal(delta.pods?.order, undefined, "appending is what applyDelta does with an unsorted list");
    assert.deepEqual(applyDelta(prev, delta), next);
  });

  it("refuses a delta that does not follow the topology's seq", () => {
    const prev = topology(7, 2, {});
    const next = topology(9, 2, { "node-01": ["x"] });
    const delta = diffTopology(prev, next)!;
    assert.throws(() => applyDelta(prev, delta), DeltaSequenceError);
  });

  it("refuses a delta that changes what the topology does not have", () => {
    const prev = topology(1, 2, { "node-01": ["a"] });
    const next = topology(2, 2, { "node-01": ["a", "b"] });
    const delta = diffTopology(prev, next)!;
    const other = topology(1, 2, {});
    other.nodes = other.nodes.map((n) => ({ ...n, name: `x-${n.name}` }));
    assert.throws(() => applyDelta(other, delta), DeltaSequenceError);
  });

  it("leaves the topology it was given untouched", () => {
    const prev = topology(1, 3, { "node-01": ["a"] });
    const copy = structuredClone(prev);
    applyDelta(prev, diffTopology(prev, topology(2, 3, { "node-02": ["b"] }))!);
    assert.deepEqual(prev, copy);
  });
});

describe("sameJson", () => {
  it("treats a missing optional field and an undefined one alike, and order of keys as irrelevant", () => {
    assert.ok(sameJson({ ip: "10.0.0.1", pod: null }, { pod: null, ip: "10.0.0.1", prefix: undefined }));
    assert.ok(!sameJson({ ip: "10.0.0.1", pod: null }, { ip: "10.0.0.1", pod: "default/a" }));
    assert.ok(!sameJson([1, 2], [2, 1]));
    assert.ok(!sameJson({ a: [] }, { a: {} }));
  });
});
