import assert from "node:assert/strict";
import { test } from "node:test";
import { seeded } from "../seeded.ts";
import type { PodScheduling } from "../types.ts";
import { chooseNode } from "./chooseNode.ts";
import {
  addToUsage,
  emptyUsage,
  type NodeUsage,
  preferredAffinityScore,
  type ScheduleNode,
} from "./nodeFit.ts";
import { podSchedulingFromSpec } from "./podScheduling.ts";

function node(name: string, pods = 17, labels: Record<string, string> = {}): ScheduleNode {
  return {
    name,
    labels,
    unschedulable: false,
    ready: true,
    taints: [],
    pods,
    cpuMilli: 1930,
    memoryBytes: 3 * 2 ** 30,
    podEni: 0,
  };
}

const nginx: PodScheduling = podSchedulingFromSpec({ containers: [{ name: "nginx", image: "nginx" }] });

test("a pod requesting nothing scores with the scheduler's defaults of 100m and 200Mi", () => {
  assert.equal(nginx.cpuMilli, 0);
  assert.equal(nginx.cpuScoreMilli, 100);
  assert.equal(nginx.memoryScoreBytes, 200 * 2 ** 20);
  const requests = podSchedulingFromSpec({
    containers: [{ resources: { requests: { cpu: "250m", memory: "64Mi" } } }, {}],
    nodeSelector: { role: "web" },
  });
  assert.equal(requests.cpuMilli, 250);
  assert.equal(requests.cpuScoreMilli, 350);
  assert.deepEqual(requests.nodeSelector, { role: "web" });
});

test("spreads one owner's pods: the node with fewer of them wins over a less allocated one", () => {
  const nodes = [node("a"), node("b")];
  const usage = new Map<string, NodeUsage>(nodes.map((n) => [n.name, emptyUsage()]));
  addToUsage(usage.get("a") as NodeUsage, nginx, "rs-1", 1);
  addToUsage(usage.get("b") as NodeUsage, nginx, "other", 1);
  addToUsage(usage.get("b") as NodeUsage, nginx, "other", 1);
  const choice = chooseNode(nginx, "rs-1", nodes, (n) => usage.get(n.name) as NodeUsage, seeded(1));
  assert.equal(choice.node?.name, "b");
});

test("three full t3.medium nodes give kube-scheduler's Too many pods message", () => {
  const nodes = [node("a", 2), node("b", 2), node("c", 2)];
  const full = emptyUsage();
  addToUsage(full, nginx, null, 1);
  addToUsage(full, nginx, null, 1);
  const choice = chooseNode(nginx, "rs-1", nodes, () => full, seeded(1));
  assert.equal(
    choice.message,
    "0/3 nodes are available: 3 Too many pods. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
  );
});

test("a node selector no node matches is not helped by preemption", () => {
  const pod = podSchedulingFromSpec({ containers: [{}], nodeSelector: { gpu: "yes" } });
  const choice = chooseNode(pod, null, [node("a"), node("b", 17, { gpu: "no" })], emptyUsage, seeded(1));
  assert.equal(
    choice.message,
    "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
  );
});

test("equal nodes are picked by the seed, and every one can be picked", () => {
  const nodes = [node("a"), node("b"), node("c")];
  const picked = new Set<string>();
  for (let seed = 1; seed <= 20; seed++) {
    const choice = chooseNode(nginx, "rs-1", nodes, emptyUsage, seeded(seed));
    picked.add(choice.node?.name ?? "none");
    assert.equal(chooseNode(nginx, "rs-1", nodes, emptyUsage, seeded(seed)).node?.name, choice.node?.name);
  }
  assert.deepEqual([...picked].sort(), ["a", "b", "c"]);
});

const tainted = (name: string, taints: ScheduleNode["taints"], pods = 17): ScheduleNode => ({
  ...node(name, pods),
  taints,
});

test("an untolerated NoSchedule taint and full nodes are counted apart, in kube-scheduler's words", () => {
  const nodes = [
    tainted("a", [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }]),
    node("b", 1),
    node("c", 1),
  ];
  const one = emptyUsage();
  addToUsage(one, nginx, null, 1);
  const choice = chooseNode(nginx, "rs-1", nodes, (n) => (n.name === "a" ? emptyUsage() : one), seeded(1));
  assert.equal(
    choice.message,
    "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Too many pods. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
  );
});

test("a NoExecute taint filters too; a matching toleration lets the pod on", () => {
  const nodes = [tainted("a", [{ key: "team", value: "data", effect: "NoExecute" }])];
  assert.equal(
    chooseNode(nginx, null, nodes, emptyUsage, seeded(1)).message,
    "0/1 nodes are available: 1 node(s) had untolerated taint {team: data}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
  );
  const spec = (tolerations: unknown[]) => podSchedulingFromSpec({ containers: [{}], tolerations });
  const fits = (tolerations: unknown[]) =>
    chooseNode(spec(tolerations), null, nodes, emptyUsage, seeded(1)).node?.name;
  assert.equal(fits([{ key: "team", operator: "Equal", value: "data", effect: "NoExecute" }]), "a");
  assert.equal(fits([{ key: "team", value: "data" }]), "a", "no operator is Equal, no effect matches all");
  assert.equal(fits([{ key: "team", operator: "Exists" }]), "a");
  assert.equal(fits([{ operator: "Exists" }]), "a", "an empty key with Exists tolerates everything");
  assert.equal(fits([{ key: "team", operator: "Equal", value: "web" }]), undefined, "other value");
  assert.equal(fits([{ key: "team", operator: "Exists", effect: "NoSchedule" }]), undefined, "other effect");
});

test("the first untolerated taint in the node's order is the one reported", () => {
  const nodes = [
    tainted("a", [
      { key: "x", value: "", effect: "PreferNoSchedule" },
      { key: "y", value: "1", effect: "NoSchedule" },
      { key: "z", value: "2", effect: "NoSchedule" },
    ]),
  ];
  const pod = podSchedulingFromSpec({ containers: [{}], tolerations: [{ key: "y", operator: "Exists" }] });
  assert.match(
    chooseNode(pod, null, nodes, emptyUsage, seeded(1)).message ?? "",
    /1 node\(s\) had untolerated taint \{z: 2\}\./,
  );
});

test("PreferNoSchedule only lowers the score: the pod avoids the node until nothing else fits", () => {
  const soft = tainted("a", [{ key: "spot", value: "true", effect: "PreferNoSchedule" }]);
  for (let seed = 1; seed <= 10; seed++) {
    assert.equal(chooseNode(nginx, null, [soft, node("b")], emptyUsage, seeded(seed)).node?.name, "b");
  }
  const full = emptyUsage();
  addToUsage(full, nginx, null, 1);
  const onlyA = chooseNode(
    nginx,
    null,
    [soft, node("b", 1)],
    (n) => (n.name === "b" ? full : emptyUsage()),
    seeded(1),
  );
  assert.equal(onlyA.node?.name, "a");
  const tolerant = podSchedulingFromSpec({
    containers: [{}],
    tolerations: [{ key: "spot", operator: "Exists", effect: "PreferNoSchedule" }],
  });
  const picked = new Set<string>();
  for (let seed = 1; seed <= 20; seed++)
    picked.add(chooseNode(tolerant, null, [soft, node("b")], emptyUsage, seeded(seed)).node?.name ?? "none");
  assert.deepEqual([...picked].sort(), ["a", "b"], "tolerated, the taint no longer counts");
});

test("a cordoned node is unschedulable unless the pod tolerates node.kubernetes.io/unschedulable", () => {
  const cordoned: ScheduleNode = {
    ...node("a"),
    unschedulable: true,
    taints: [{ key: "node.kubernetes.io/unschedulable", value: "", effect: "NoSchedule" }],
  };
  assert.equal(
    chooseNode(nginx, null, [cordoned], emptyUsage, seeded(1)).message,
    "0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
  );
  const pod = podSchedulingFromSpec({
    containers: [{}],
    tolerations: [{ key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" }],
  });
  assert.equal(chooseNode(pod, null, [cordoned], emptyUsage, seeded(1)).node?.name, "a");
});

test("a node that is not Ready counts as tainted not-ready, and tolerating that lets the pod on", () => {
  const down: ScheduleNode = { ...node("a"), ready: false };
  assert.equal(
    chooseNode(nginx, null, [down], emptyUsage, seeded(1)).message,
    "0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
  );
  const pod = podSchedulingFromSpec({
    containers: [{}],
    tolerations: [{ key: "node.kubernetes.io/not-ready", operator: "Exists" }],
  });
  assert.equal(chooseNode(pod, null, [down], emptyUsage, seeded(1)).node?.name, "a");
});

test("preferred node affinity adds the weights of the terms a node matches; the highest sum wins", () => {
  const pod = podSchedulingFromSpec({
    containers: [{}],
    affinity: {
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 30, preference: { matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }] } },
          { weight: 50, preference: { matchExpressions: [{ key: "spot", operator: "DoesNotExist" }] } },
          { weight: 100, preference: {} },
        ],
      },
    },
  });
  const a = node("a", 17, { zone: "a", spot: "true" });
  const b = node("b", 17, { zone: "b" });
  const c = node("c", 17, { zone: "a" });
  assert.equal(preferredAffinityScore(pod, a), 30);
  assert.equal(preferredAffinityScore(pod, b), 50);
  assert.equal(preferredAffinityScore(pod, c), 80, "an empty preference matches no node");
  // c is busier than a and b, and already runs one of the owner's pods: the preference still decides.
  const busy = emptyUsage();
  addToUsage(busy, nginx, "rs-1", 1);
  for (let seed = 1; seed <= 10; seed++) {
    const choice = chooseNode(
      pod,
      "rs-1",
      [a, b, c],
      (n) => (n.name === "c" ? busy : emptyUsage()),
      seeded(seed),
    );
    assert.equal(choice.node?.name, "c");
  }
  // A preference is no requirement: with c full the pod goes to the next best, b.
  const full: ScheduleNode = { ...c, pods: 1 };
  assert.equal(
    chooseNode(pod, "rs-1", [a, b, full], (n) => (n.name === "c" ? busy : emptyUsage()), seeded(1)).node
      ?.name,
    "b",
  );
});

test("a Windows pod needs a free vpc.amazonaws.com/PrivateIPv4Address on its Windows node", () => {
  // The VPC resource controller's webhook gives the pod one address request; an m5.large Windows node
  // advertises IPv4 per ENI - 1 = 9 of them. With 9 in use (and kubelet's max pods raised to 20, so only
  // the addresses stop it) the scheduler names the resource; the Linux node fails on the selector.
  const iis = podSchedulingFromSpec({
    containers: [{ resources: { requests: { "vpc.amazonaws.com/PrivateIPv4Address": "1" } } }],
    nodeSelector: { "kubernetes.io/os": "windows" },
  });
  assert.equal(iis.privateIpv4, 1);
  const windows = { ...node("win", 20, { "kubernetes.io/os": "windows" }), privateIpv4: 9 };
  const linux = { ...node("linux", 17, { "kubernetes.io/os": "linux" }), privateIpv4: 0 };
  const used = emptyUsage();
  for (let i = 0; i < 9; i++) addToUsage(used, iis, "rs-iis", 1);
  const usage = (n: ScheduleNode) => (n.name === "win" ? used : emptyUsage());
  assert.equal(
    chooseNode(iis, "rs-iis", [windows, linux], usage, seeded(1)).message,
    "0/2 nodes are available: 1 Insufficient vpc.amazonaws.com/PrivateIPv4Address, 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.",
  );
  // One address back: the pod fits. A node whose source does not give the resource is not checked.
  addToUsage(used, iis, "rs-iis", -1);
  assert.equal(chooseNode(iis, "rs-iis", [windows, linux], usage, seeded(1)).node?.name, "win");
  const unknown = node("win", 20, { "kubernetes.io/os": "windows" });
  assert.equal(chooseNode(iis, null, [unknown], () => emptyUsage(), seeded(1)).node?.name, "win");
});
