import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
// What the client-node API calls return: the same JSON, deserialised into typed models with Date times.
import { ObjectSerializer } from "@kubernetes/client-node/dist/serializer.js";
import {
  clusterNameFromDaemonSet,
  cniConfigFromDaemonSet,
  cniNodeFromKube,
  eniConfigFromKube,
  eventFromKube,
  KubeMappingError,
  nodeFromKube,
  podFromKube,
} from "./map.ts";
import { slimPod } from "./slim.ts";

// Shapes as kubectl prints them; the client-node variants differ in timestamps (Date objects).
const kubectlNode = {
  apiVersion: "v1",
  kind: "Node",
  metadata: {
    name: "ip-192-168-1-51.ap-northeast-2.compute.internal",
    creationTimestamp: "2026-11-20T09:02:00Z",
    annotations: { "alpha.kubernetes.io/provided-node-ip": "192.168.1.51" },
    labels: {
      "node.kubernetes.io/instance-type": "t3.medium",
      "topology.kubernetes.io/zone": "ap-northeast-2a",
      "eks.amazonaws.com/nodegroup": "ng1",
      "eks.amazonaws.com/capacityType": "ON_DEMAND",
    },
  },
  spec: { providerID: "aws:///ap-northeast-2a/i-0cd1c351f3c0d11a1", unschedulable: true },
  status: {
    addresses: [
      { type: "InternalIP", address: "192.168.1.51" },
      { type: "Hostname", address: "ip-192-168-1-51.ap-northeast-2.compute.internal" },
    ],
    allocatable: { cpu: "1930m", memory: "3388356Ki", pods: "17" },
    conditions: [{ type: "Ready", status: "True" }],
  },
};

describe("nodeFromKube", () => {
  test("reads instance id and zone from providerID, type and group from labels, allocatable as numbers", () => {
    assert.deepEqual(nodeFromKube(kubectlNode), {
      name: "ip-192-168-1-51.ap-northeast-2.compute.internal",
      instanceId: "i-0cd1c351f3c0d11a1",
      instanceType: "t3.medium",
      zone: "ap-northeast-2a",
      nodeGroup: "ng1",
      capacityType: "ON_DEMAND",
      internalIp: "192.168.1.51",
      ready: true,
      cordoned: true,
      allocatablePods: 17,
      allocatableCpuMilli: 1930,
      allocatableMemoryBytes: 3388356 * 1024,
      createdAt: "2026-11-20T09:02:00.000Z",
      labels: kubectlNode.metadata.labels,
    });
  });

  test("reads the ENIConfig annotation (the default key or the one aws-node names) and no other", () => {
    const withAnnotation = (annotations: Record<string, string>) => ({
      ...kubectlNode,
      metadata: { ...kubectlNode.metadata, annotations },
    });
    assert.equal(
      nodeFromKube(withAnnotation({ "k8s.amazonaws.com/eniConfig": "pods-a" })).eniConfigAnnotation,
      "pods-a",
    );
    assert.equal(nodeFromKube(kubectlNode).eniConfigAnnotation, undefined);
    assert.equal(
      nodeFromKube(withAnnotation({ "example.com/eni": "pods-b" }), "Node", "example.com/eni")
        .eniConfigAnnotation,
      "pods-b",
    );
  });

  test("accepts client-node objects (Date timestamps, no kind) and a kOps node with no type label", () => {
    const node = nodeFromKube({
      metadata: {
        name: "i-0abc",
        creationTimestamp: new Date("2026-11-20T09:02:00Z"),
        labels: { "kops.k8s.io/instancegroup": "nodes-ap-northeast-2a" },
      },
      spec: { providerID: "aws:///ap-northeast-2a/i-0abc" },
      status: { allocatable: { pods: "110" }, conditions: [{ type: "Ready", status: "False" }] },
    });
    assert.equal(node.createdAt, "2026-11-20T09:02:00.000Z");
    assert.equal(node.instanceType, null);
    assert.equal(node.zone, "ap-northeast-2a", "from providerID");
    assert.equal(node.nodeGroup, "nodes-ap-northeast-2a");
    assert.equal(node.ready, false);
  });

  test("rejects something that is not a Node", () => {
    assert.throws(
      () => nodeFromKube({ kind: "Pod", metadata: { name: "x" } }, "items[0]"),
      (err: unknown) => {
        assert.ok(err instanceof KubeMappingError);
        assert.equal(err.message, "items[0]: expected a Node, got a Pod");
        return true;
      },
    );
    assert.throws(() => nodeFromKube({ metadata: {} }), /metadata\.name: missing/);
  });
});

describe("podFromKube", () => {
  const running = {
    kind: "Pod",
    metadata: {
      name: "nginx-deployment-7c79c4bf97-abcde",
      namespace: "default",
      uid: "u1",
      creationTimestamp: "2026-11-20T10:00:00Z",
      labels: { app: "nginx", "pod-template-hash": "7c79c4bf97" },
      annotations: { "secret-ish": "never copied" },
      ownerReferences: [{ kind: "ReplicaSet", name: "nginx-deployment-7c79c4bf97", controller: true }],
    },
    spec: { nodeName: "n1", containers: [{ name: "nginx" }] },
    status: {
      phase: "Running",
      podIP: "192.168.1.20",
      podIPs: [{ ip: "192.168.1.20" }],
      containerStatuses: [{ name: "nginx", state: { running: { startedAt: "2026-11-20T10:00:05Z" } } }],
    },
  };

  test("a running Deployment pod", () => {
    const pod = podFromKube(running);
    assert.equal(pod.owner, "Deployment/nginx-deployment");
    assert.equal(pod.podIp, "192.168.1.20");
    assert.equal(pod.status, "Running");
    assert.deepEqual(pod.labels, { app: "nginx" }, "only the labels the view filters on");
    assert.ok(!JSON.stringify(pod).includes("never copied"));
  });

  test("an unschedulable pod keeps the scheduler's words", () => {
    const pod = podFromKube({
      metadata: { name: "p", namespace: "default", creationTimestamp: new Date("2026-11-20T10:00:00Z") },
      spec: {},
      status: {
        phase: "Pending",
        conditions: [
          {
            type: "PodScheduled",
            status: "False",
            reason: "Unschedulable",
            message: "0/3 nodes are available: 3 Too many pods.",
          },
        ],
      },
    });
    assert.deepEqual(
      [pod.nodeName, pod.status, pod.scheduledReason, pod.scheduledMessage, pod.createdAt],
      [
        null,
        "Pending",
        "Unschedulable",
        "0/3 nodes are available: 3 Too many pods.",
        "2026-11-20T10:00:00.000Z",
      ],
    );
  });

  test("kubectl-like status: ContainerCreating, Completed, Terminating, Init", () => {
    const status = (s: object, meta: object = {}) =>
      podFromKube({ metadata: { name: "p", namespace: "d", ...meta }, spec: { nodeName: "n" }, status: s })
        .status;
    assert.equal(
      status({
        phase: "Pending",
        containerStatuses: [{ state: { waiting: { reason: "ContainerCreating" } } }],
      }),
      "ContainerCreating",
    );
    assert.equal(
      status({ phase: "Succeeded", containerStatuses: [{ state: { terminated: { reason: "Completed" } } }] }),
      "Completed",
    );
    assert.equal(status({ phase: "Running" }, { deletionTimestamp: "2026-11-20T10:00:00Z" }), "Terminating");
    assert.equal(
      status({
        phase: "Pending",
        initContainerStatuses: [{ state: { waiting: { reason: "ImagePullBackOff" } } }],
      }),
      "Init:ImagePullBackOff",
    );
    assert.equal(status({ phase: "Failed", reason: "Evicted" }), "Evicted");
  });

  test("a dual-stack pod is placed by its IPv4 address", () => {
    const pod = podFromKube({
      metadata: { name: "p", namespace: "d" },
      spec: { nodeName: "n" },
      status: {
        phase: "Running",
        podIP: "2600:1f13::5",
        podIPs: [{ ip: "2600:1f13::5" }, { ip: "192.168.1.9" }],
      },
    });
    assert.equal(pod.podIp, "192.168.1.9");
  });

  test("hostNetwork pods", () => {
    const pod = podFromKube({
      metadata: {
        name: "aws-node-x",
        namespace: "kube-system",
        ownerReferences: [{ kind: "DaemonSet", name: "aws-node", controller: true }],
      },
      spec: { hostNetwork: true, nodeName: "n1" },
      status: { phase: "Running", podIP: "192.168.1.51" },
    });
    assert.equal(pod.hostNetwork, true);
    assert.equal(pod.owner, "DaemonSet/aws-node");
  });
});

describe("eventFromKube", () => {
  test("a pod's sandbox failure, with the kubelet's message and last time", () => {
    const e = eventFromKube({
      kind: "Event",
      metadata: { name: "p.1", namespace: "default" },
      involvedObject: { kind: "Pod", name: "p", namespace: "default" },
      reason: "FailedCreatePodSandBox",
      message: "... add cmd: failed to assign an IP address to container",
      type: "Warning",
      count: 12,
      firstTimestamp: "2026-11-20T10:00:00Z",
      lastTimestamp: new Date("2026-11-20T10:05:00Z"),
    });
    assert.deepEqual(e, {
      namespace: "default",
      kind: "Pod",
      name: "p",
      reason: "FailedCreatePodSandBox",
      message: "... add cmd: failed to assign an IP address to container",
      type: "Warning",
      count: 12,
      lastSeen: "2026-11-20T10:05:00.000Z",
    });
  });

  test("null for events not about pods; series time for events.k8s.io-style events", () => {
    assert.equal(
      eventFromKube({
        metadata: { name: "n.1" },
        involvedObject: { kind: "Node", name: "n" },
        reason: "NodeReady",
      }),
      null,
    );
    const e = eventFromKube({
      metadata: { name: "p.2", namespace: "ns" },
      regarding: { kind: "Pod", name: "p", namespace: "ns" },
      reason: "FailedScheduling",
      note: "0/3 nodes are available: 3 Too many pods.",
      type: "Warning",
      series: { count: 4, lastObservedTime: "2026-11-20T10:07:00Z" },
      eventTime: "2026-11-20T10:00:00Z",
    });
    assert.deepEqual(
      [e?.message, e?.count, e?.lastSeen],
      ["0/3 nodes are available: 3 Too many pods.", 4, "2026-11-20T10:07:00.000Z"],
    );
  });
});

describe("cniConfigFromDaemonSet", () => {
  const ds = (
    env: object[],
    image = "602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni:v1.19.2-eksbuild.1",
  ) => ({
    kind: "DaemonSet",
    metadata: { name: "aws-node", namespace: "kube-system" },
    spec: {
      template: {
        spec: {
          containers: [
            { name: "aws-node", image, env },
            { name: "aws-eks-nodeagent", env: [] },
          ],
        },
      },
    },
  });

  test("reads the CNI's knobs and version, nothing else", () => {
    const cni = cniConfigFromDaemonSet(
      ds([
        { name: "ENABLE_PREFIX_DELEGATION", value: "true" },
        { name: "WARM_PREFIX_TARGET", value: "1" },
        { name: "WARM_IP_TARGET", value: "5" },
        { name: "MAX_ENI", value: "2" },
        { name: "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG", value: "false" },
        { name: "MINIMUM_IP_TARGET", valueFrom: { secretKeyRef: { name: "s", key: "k" } } },
        { name: "SOME_TOKEN", value: "hunter2" },
      ]),
    );
    assert.deepEqual(cni, {
      prefixDelegation: true,
      customNetworking: false,
      podEni: false,
      warmEniTarget: 1,
      warmIpTarget: 5,
      minimumIpTarget: null,
      warmPrefixTarget: 1,
      maxEni: 2,
      ipCooldownSeconds: 30,
      externalSnat: false,
      version: "v1.19.2-eksbuild.1",
      detected: true,
    });
  });

  test("the cluster name from CLUSTER_NAME, when set", () => {
    assert.equal(clusterNameFromDaemonSet(ds([{ name: "CLUSTER_NAME", value: "myeks" }])), "myeks");
    assert.equal(clusterNameFromDaemonSet(ds([{ name: "CLUSTER_NAME", value: "" }])), null);
    assert.equal(clusterNameFromDaemonSet(null), null);
  });

  test("defaults when there is no aws-node DaemonSet; no tag when the image has none", () => {
    assert.equal(cniConfigFromDaemonSet(null).detected, false);
    assert.equal(cniConfigFromDaemonSet(ds([], "registry.local:5000/amazon-k8s-cni")).version, null);
    assert.equal(cniConfigFromDaemonSet(ds([], "amazon-k8s-cni:v1.20.0@sha256:abc")).version, "v1.20.0");
  });
});

test("client-node objects (typed models, Date timestamps) map exactly like kubectl's JSON", () => {
  const read = (file: string) =>
    JSON.parse(readFileSync(new URL(`../dump/fixtures/edge-cases/${file}`, import.meta.url), "utf8"));
  const cases: [string, string, (raw: unknown) => unknown][] = [
    ["nodes.json", "V1NodeList", (raw) => nodeFromKube(raw)],
    ["pods.json", "V1PodList", (raw) => podFromKube(raw)],
    ["events.json", "CoreV1EventList", (raw) => eventFromKube(raw)],
  ];
  for (const [file, type, map] of cases) {
    const json = read(file);
    const typed = ObjectSerializer.deserialize(read(file), type) as { items: unknown[] };
    assert.ok(typed.items.length > 0);
    assert.deepEqual(typed.items.map(map), json.items.map(map), file);
  }
  const ds = ObjectSerializer.deserialize(read("aws-node.json"), "V1DaemonSet");
  assert.deepEqual(cniConfigFromDaemonSet(ds), cniConfigFromDaemonSet(read("aws-node.json")));
});

describe("ENIConfig and CNINode", () => {
  test("an ENIConfig gives its subnet and security groups", () => {
    assert.deepEqual(
      eniConfigFromKube({
        apiVersion: "crd.k8s.amazonaws.com/v1alpha1",
        kind: "ENIConfig",
        metadata: { name: "ap-northeast-2a" },
        spec: { subnet: "subnet-0a", securityGroups: ["sg-1", 7, "sg-2"] },
      }),
      { name: "ap-northeast-2a", subnet: "subnet-0a", securityGroups: ["sg-1", "sg-2"] },
    );
    assert.throws(
      () => eniConfigFromKube({ kind: "CNINode", metadata: { name: "x" } }),
      /expected a ENIConfig/,
    );
  });

  test("a CNINode gives its features, with or without a value", () => {
    assert.deepEqual(
      cniNodeFromKube({
        kind: "CNINode",
        metadata: { name: "ip-1" },
        spec: {
          features: [{ name: "SecurityGroupsForPods" }, { name: "CustomNetworking", value: "pods-a" }, {}],
        },
      }),
      {
        name: "ip-1",
        features: [
          { name: "SecurityGroupsForPods", value: null },
          { name: "CustomNetworking", value: "pods-a" },
        ],
      },
    );
    assert.deepEqual(cniNodeFromKube({ metadata: { name: "ip-2" } }).features, []);
  });
});

test("a pod maps alike from the wire object and from what slimPod keeps of it (the server maps the former)", () => {
  const folders = ["edge-cases", "prefix-delegation", "scale-lab-50", "c5d-large"];
  let pods = 0;
  for (const folder of folders) {
    const file = new URL(`../dump/fixtures/${folder}/pods.json`, import.meta.url);
    for (const raw of (JSON.parse(readFileSync(file, "utf8")) as { items: Record<string, unknown>[] })
      .items) {
      assert.deepEqual(podFromKube(raw), podFromKube(slimPod(raw)));
      pods++;
    }
  }
  assert.ok(pods > 100);
});
