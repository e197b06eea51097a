import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Topology } from "./api.ts";
import { defaultCniConfig } from "./cniConfig.ts";
import { applyDelta, DeltaSequenceError, diffTopology, sameJson } from "./delta.ts";
import type { CniConfig, EniReport, NodeReport, PodReport, ReportSummary } from "./types.ts";

// A hand-built scale-lab cluster: t3.medium nodes (3 ENIs x 6 IPv4), pods on the secondary ENI.
const cni: CniConfig = { ...defaultCniConfig(), detected: true };

function eni(id: string, deviceIndex: number, ips: string[], pods: Record<string, string>): EniReport {
  const slots = ips.map((ip) => ({ ip, pod: pods[ip] ?? null }));
  const used = slots.filter((s) => s.pod !== null).length;
  return {
    id,
    deviceIndex,
    networkCardIndex: 0,
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
  const enis = [eni(`eni-${n}a`, 0, ips(n), pods), eni(`eni-${n}b`, 1, ips(n + 100), pods)];
  const used = enis.reduce((s, e) => s + e.ipsUsed, 0);
  return {
    name,
    instanceId: `i-${n}`,
    instanceType: "t3.medium",
    zone: "ap-northeast-2a",
    nodeGroup: null,
    capacityType: null,
    internalIp: `192.168.1.${n}`,
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
    notes: [],
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
    ipsAssigned: nodes.length * 10,
    ipsUsed: used,
    ipsWarm: nodes.length * 10 - used,
    pods: used,
    podsRunning: used,
    pendingPods: pending,
    maxPods: nodes.length * 17,
    maxPodsByEni: nodes.length * 17,
    hostNetworkPods: nodes.length * 2,
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

describe("diffTopology", () => {
  it("returns null when only seq and generatedAt differ", () => {
    const a = topology(1, 3, { "node-01": ["nginx-a"] });
    const b = topology(2, 3, { "node-01": ["nginx-a"] });
    assert.notEqual(a.nodes[0], b.nodes[0], "fresh objects, so equality must be structural");
    assert.equal(diffTopology(a, b), null);
  });

  it("a one-pod change on a 50-node cluster names one node and one pod and stays small", () => {
    const placed = { "node-07": ["nginx-a", "nginx-b"] };
    const prev = topology(10, 50, placed);
    const next = topology(11, 50, { "node-07": ["nginx-a", "nginx-b", "nginx-c"] });
    const delta = diffTopology(prev, next);
    assert.ok(delta);
    assert.equal(delta.seq, 11);
    assert.deepEqual(
      delta.nodes?.upsert.map((n) => n.name),
      ["node-07"],
    );
    assert.deepEqual(delta.nodes?.remove, []);
    assert.deepEqual(
      delta.pods?.upsert.map((p) => `${p.namespace}/${p.name}`),
      ["default/nginx-c"],
    );
    assert.equal(delta.summary?.ipsUsed, 3);
    assert.equal(delta.subnets, undefined);
    assert.equal(delta.pending, undefined);
    const deltaBytes = JSON.stringify(delta).length;
    const fullBytes = JSON.stringify(next).length;
    assert.ok(deltaBytes * 20 < fullBytes, `delta ${deltaBytes} B vs snapshot ${fullBytes} B`);
  });

  it("lists removed nodes, pods and pending pods by key", () => {
    const prev = topology(1, 3, { "node-02": ["nginx-a"] }, ["nginx-p1", "nginx-p2"]);
    const next = topology(2, 2, {}, ["nginx-p2"]);
    const delta = diffTopology(prev, next);
    assert.deepEqual(delta?.nodes?.remove, ["node-03"]);
    assert.deepEqual(
      delta?.nodes?.upsert.map((n) => n.name),
      ["node-02"],
    );
    assert.deepEqual(delta?.pods, { upsert: [], remove: ["default/nginx-a"] });
    assert.deepEqual(delta?.pending, { upsert: [], remove: ["default/nginx-p1"] });
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
});

describe("applyDelta", () => {
  it("rebuilds the next topology exactly, sharing every unchanged node and pod", () => {
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
    assert.notEqual(
      applied.nodes.find((n) => n.name === "node-03"),
      prev.nodes.find((n) => n.name === "node-03"),
    );
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

  it("refuses a delta that does not follow the topology's seq", () => {
    const prev = topology(7, 2, {});
    const next = topology(9, 2, { "node-01": ["x"] });
    const delta = diffTopology(prev, next)!;
    assert.throws(() => applyDelta(prev, delta), DeltaSequenceError);
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
