import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createClock } from "../../../../../packages/sim/src/clock.ts";
import { createFaultControl, type FaultControl } from "../../../../../packages/sim/src/faults.ts";
import { startKubeApiServer } from "../../../../../packages/sim/src/kube/server.ts";
import { ObjectStore } from "../../../../../packages/sim/src/kube/store.ts";
import type { NewObject } from "../../../../../packages/sim/src/kube/types.ts";
import { createRandom } from "../../../../../packages/sim/src/random.ts";
import { makeCertificates } from "../../../../../packages/sim/src/tls.ts";
import { observed } from "../../metrics/durations.ts";
import { emptyCounters, type SourceCounters } from "../source.ts";
import { KubeClient, loadKubeConfig } from "./kubeClient.ts";
import { type KubeChange, KubeWatcher } from "./kubeWatcher.ts";

// The simulator's Kubernetes API server (HTTPS, bearer token, list/watch with resourceVersion, 410,
// fault switches) loaded with the lab fixture: 3 nodes, the system pods, CoreDNS, nginx, aws-node.
const lab = new URL("../../fixtures/lab-2-replicas/", import.meta.url).pathname;
const items = (file: string) =>
  (JSON.parse(readFileSync(join(lab, file), "utf8")) as { items: NewObject[] }).items;

function kubeconfig(server: string, caPem: string, token: string): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: "sim",
        cluster: { server, "certificate-authority-data": Buffer.from(caPem).toString("base64") },
      },
    ],
    users: [{ name: "sim", user: { token } }],
    contexts: [{ name: "sim", context: { cluster: "sim", user: "sim" } }],
    "current-context": "sim",
  });
}

// Waits end as soon as the state is reached; the limit only bounds a failure on a loaded machine.
async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function newPod(name: string, nodeName: string | null): NewObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default", labels: { app: "nginx" } },
    spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: "nginx", image: "nginx:alpine" }] },
    status: { phase: "Pending" },
  };
}

describe("the Kubernetes half against the simulator's API server", () => {
  let dir: string;
  let faults: FaultControl;
  let store: ObjectStore;
  let server: { url: string; close(): Promise<void> };
  let watcher: KubeWatcher;
  let counters: SourceCounters;
  const changes: KubeChange[] = [];
  const node1 = "ip-192-168-1-10.ap-northeast-2.compute.internal";

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "eni-view-kube-"));
    const clock = createClock();
    store = new ObjectStore({ clock, random: createRandom(3), historySize: 1000 });
    for (const n of items("nodes.json")) store.create("nodes", n);
    for (const p of items("pods.json")) store.create("pods", p);
    store.create("daemonsets", JSON.parse(readFileSync(join(lab, "aws-node.json"), "utf8")) as NewObject);
    for (const e of items("events.json")) store.create("events", e);
    store.create("events", {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: "node-1.reboot", namespace: "default" },
      involvedObject: { kind: "Node", name: node1 },
      reason: "Rebooted",
      message: "Node rebooted",
      type: "Warning",
    });
    faults = createFaultControl();
    const certs = makeCertificates({ ips: ["127.0.0.1"], dnsNames: ["localhost"] });
    server = await startKubeApiServer({ store, faults, certs, token: "t0ken" });
    const path = join(dir, "kubeconfig");
    await writeFile(path, kubeconfig(server.url, certs.caCertPem, "t0ken"));
    await writeFile(join(dir, "ca.pem"), certs.caCertPem);
    counters = emptyCounters();
    watcher = new KubeWatcher({
      client: new KubeClient(loadKubeConfig({ kubeconfigPath: path })),
      counters,
      backoffBaseMs: 20,
      backoffMaxMs: 200,
      keepRaw: true,
    });
    watcher.start((c) => changes.push(c));
    await until(
      () => watcher.answered && watcher.daemonSets.listed && watcher.events.listed,
      "the first lists",
    );
  });
  after(async () => {
    await watcher.stop();
    await server.close();
    await rm(dir, { recursive: true });
  });

  it("lists nodes, pods and the aws-node DaemonSet into model inputs", () => {
    const part = watcher.part();
    assert.equal(part.nodes.length, 3);
    assert.equal(part.nodes[0]?.instanceId?.startsWith("i-0"), true);
    assert.equal(part.pods.length, 11);
    assert.equal(part.cni.detected, true);
    assert.equal(part.cni.version, "v1.19.2-eksbuild.1");
    assert.deepEqual(
      part.events.map((e) => [e.name, e.reason]),
      [["nginx-deployment-7c79c4bf97-ccccc", "FailedScheduling"]],
    );
    // The API server filtered the Node event out: it never reached memory.
    assert.equal(watcher.raw()!.events.length, 1);
    assert.deepEqual(watcher.status().error, null);
    assert.equal(watcher.status().stale, false);
  });

  it("keeps no env, annotations or secret references of the pods it holds", () => {
    const text = JSON.stringify(watcher.raw()!);
    for (const secret of ["hunter2", "DB_PASSWORD", "secretKeyRef", "annotations"])
      assert.ok(!text.includes(secret), secret);
  });

  it("sees a new pod through the watch, and flags a pod starting on a node for an early EC2 refresh", async () => {
    changes.length = 0;
    store.create("pods", newPod("nginx-new-1", node1));
    await until(() => watcher.part().pods.some((p) => p.name === "nginx-new-1"), "the new pod");
    assert.ok(changes.some((c) => c.podsStarting));
  });

  it("hands over the same input object for every pod and node that did not change, in name order", async () => {
    const before = watcher.part();
    store.create("pods", newPod("aaa-first", node1));
    await until(() => watcher.part().pods.some((p) => p.name === "aaa-first"), "the new pod");
    const after = watcher.part();
    assert.notEqual(after, before);
    const keys = (part: typeof after) => part.pods.map((p) => `${p.namespace}/${p.name}`);
    assert.deepEqual(keys(after), [...keys(after)].sort(), "namespace/name order, kept without a full sort");
    assert.deepEqual(
      keys(after).filter((k) => k !== "default/aaa-first"),
      keys(before),
    );
    for (const pod of before.pods) {
      assert.equal(
        after.pods.find((p) => p.name === pod.name && p.namespace === pod.namespace),
        pod,
        `${pod.name} is the same object`,
      );
    }
    for (const [i, node] of after.nodes.entries()) assert.equal(node, before.nodes[i]);
    store.remove("pods", "default", "aaa-first");
    await until(() => !watcher.part().pods.some((p) => p.name === "aaa-first"), "the deletion");
    assert.deepEqual(keys(watcher.part()), keys(before));
  });

  it("infers IP cooldown from the running pods it sees deleted, by the cluster's clock, and lets it go after", async () => {
    let now = 1_000_000;
    const timed = new KubeWatcher({
      client: new KubeClient(loadKubeConfig({ kubeconfigPath: join(dir, "kubeconfig") })),
      counters: emptyCounters(),
      now: () => now,
      // The simulator at 10x: IP_COOLDOWN_PERIOD's 30 cluster seconds pass in 3 s of this clock.
      clusterSpeed: 10,
    });
    timed.start(() => {});
    try {
      await until(() => timed.answered && timed.daemonSets.listed, "the first lists");
      const running = (name: string, ip: string): NewObject => ({
        ...newPod(name, node1),
        status: { phase: "Running", podIP: ip, podIPs: [{ ip }] },
      });
      store.create("pods", running("cool-1", "192.168.1.201"));
      store.create("pods", newPod("cool-pending", node1));
      await until(() => timed.part().pods.some((p) => p.name === "cool-1" && p.podIp !== null), "the pod");
      assert.equal(timed.part().cni.ipCooldownSeconds, 30);
      store.remove("pods", "default", "cool-1");
      store.remove("pods", "default", "cool-pending");
      await until(() => !timed.part().pods.some((p) => p.name === "cool-pending"), "the deletions");
      assert.deepEqual(timed.part().releasedIps, [
        {
          ip: "192.168.1.201",
          node: node1,
          at: new Date(1_000_000).toISOString(),
          until: new Date(1_003_000).toISOString(),
        },
      ]);
      now += 3001;
      store.create("pods", newPod("cool-later", node1));
      await until(() => timed.part().pods.some((p) => p.name === "cool-later"), "the next change");
      assert.equal(timed.part().releasedIps, undefined);
      store.remove("pods", "default", "cool-later");
    } finally {
      await timed.stop();
    }
  });

  it("holds only the model inputs unless made to keep the documents (for a capture)", async () => {
    const lean = new KubeWatcher({
      client: new KubeClient(loadKubeConfig({ kubeconfigPath: join(dir, "kubeconfig") })),
      counters: emptyCounters(),
    });
    lean.start(() => {});
    try {
      await until(() => lean.answered && lean.daemonSets.listed, "the first lists");
      assert.equal(lean.raw(), null);
      assert.deepEqual(lean.part().pods, watcher.part().pods);
      assert.equal(lean.part().cni.version, "v1.19.2-eksbuild.1", "the aws-node DaemonSet is still read");
    } finally {
      await lean.stop();
    }
  });

  it("resumes dropped watches, counting restarts, and misses no change", async () => {
    faults.update({ dropWatches: true });
    store.create("pods", newPod("nginx-during-drops", null));
    await until(
      () => watcher.part().pods.some((p) => p.name === "nginx-during-drops"),
      "the pod created during drops",
    );
    await until(() => (counters.watchRestarts["pods/closed"] ?? 0) >= 1, "a restart of the pods watch");
    faults.update({ dropWatches: false });
    store.remove("pods", "default", "nginx-during-drops");
    await until(() => !watcher.part().pods.some((p) => p.name === "nginx-during-drops"), "the deletion");
    assert.equal(watcher.status().error, null);
  });

  it("relists after 410 Gone, counting it, and catches up with what changed", async () => {
    const relists = (await observed(counters.refreshSeconds, "kubernetes")).count;
    faults.update({ watchGone: true, dropWatches: true });
    faults.update({ dropWatches: false });
    store.create("pods", newPod("nginx-after-gone", null));
    await until(() => (counters.watchRestarts["pods/gone"] ?? 0) >= 1, "a 410 restart");
    faults.update({ watchGone: false });
    await until(() => watcher.part().pods.some((p) => p.name === "nginx-after-gone"), "the pod, by relist");
    const after = (await observed(counters.refreshSeconds, "kubernetes")).count;
    assert.notEqual(after, relists, "a relist was timed");
    assert.equal(watcher.status().error, null);
  });

  it("tells a forbidden DaemonSet list without calling the nodes and pods stale", async () => {
    faults.update({ forbidden: ["daemonsets"], dropWatches: true });
    try {
      await until(() => watcher.status().error === "Forbidden: daemonsets", "the Forbidden error");
      assert.equal(watcher.status().stale, false);
      assert.equal(watcher.part().cni.detected, true, "the last aws-node settings are kept");
    } finally {
      faults.update({ forbidden: [], dropWatches: false });
    }
    await until(() => watcher.status().error === null, "recovery");
  });

  it("says the credentials were rejected when the token is wrong or expired", async () => {
    const path = join(dir, "kubeconfig-expired");
    const ca = readFileSync(join(dir, "ca.pem"), "utf8");
    await writeFile(path, kubeconfig(server.url, ca, "expired-token"));
    const other = new KubeWatcher({
      client: new KubeClient(loadKubeConfig({ kubeconfigPath: path })),
      counters: emptyCounters(),
      backoffBaseMs: 20,
    });
    other.start(() => {});
    try {
      await until(() => other.status().error !== null, "an error");
      assert.match(other.status().error ?? "", /^Unauthorized: the Kubernetes API rejected the credentials/);
      assert.equal(other.answered, false);
    } finally {
      await other.stop();
    }
  });

  it("shows Forbidden: pods when RBAC forbids pods, keeps the last pods, and recovers", async () => {
    const before = watcher.part().pods.length;
    faults.update({ forbidden: ["pods"], dropWatches: true });
    await until(() => watcher.status().error === "Forbidden: pods", "the Forbidden error");
    faults.update({ dropWatches: false });
    assert.equal(watcher.status().stale, true);
    assert.ok(watcher.status().since !== null);
    assert.equal(watcher.part().pods.length, before, "the last good pods are kept");
    faults.update({ forbidden: [] });
    await until(() => watcher.status().error === null, "recovery");
    assert.equal(watcher.status().stale, false);
  });

  it("dates its last read by the older of the nodes and pods lists, not by whichever list answered last", async () => {
    const node = items("nodes.json")[0]!;
    const joined = {
      ...node,
      metadata: { ...node.metadata, name: "ip-192-168-9-9.ap-northeast-2.compute.internal" },
    };
    await until(() => watcher.status().lastSuccess !== null, "a first read");
    const t0 = Date.now();
    // Every watch is cut and answered 410, so every resource lists again; the pods list is refused.
    faults.update({ forbidden: ["pods"], watchGone: true, dropWatches: true });
    store.create("nodes", joined);
    try {
      await until(
        () => watcher.part().nodes.some((n) => n.name === joined.metadata.name),
        "the node, by a relist since the cut",
      );
      await until(() => watcher.status().error === "Forbidden: pods", "the pods refused");
      assert.ok(
        Date.parse(watcher.status().lastSuccess!) < t0,
        "the pods were not read since: neither was the picture",
      );
    } finally {
      faults.update({ forbidden: [], watchGone: false, dropWatches: false });
    }
    await until(() => watcher.status().error === null, "recovery");
    assert.ok(Date.parse(watcher.status().lastSuccess!) >= t0, "both lists read again");
    store.remove("nodes", undefined, joined.metadata.name);
    await until(() => !watcher.part().nodes.some((n) => n.name === joined.metadata.name), "the node gone");
  });
});

describe("ENIConfig and CNINode, watched only while their CRDs are installed", () => {
  let dir: string;
  let server: { url: string; close(): Promise<void> };
  let store: ObjectStore;
  let faults: FaultControl;
  let watcher: KubeWatcher;
  let counters: SourceCounters;
  let listsOfCrds = 0;
  const crds: string[] = [];
  const eniConfig = (name: string, subnet: string): NewObject => ({
    apiVersion: "crd.k8s.amazonaws.com/v1alpha1",
    kind: "ENIConfig",
    metadata: { name, annotations: { note: "not kept" } },
    spec: { subnet, securityGroups: ["sg-1"] },
  });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "eni-view-crds-"));
    store = new ObjectStore({ clock: createClock(), random: createRandom(5), historySize: 1000 });
    const nodes = items("nodes.json");
    // aws-node names another annotation key; the node's other annotations are never kept.
    nodes[0]!.metadata = {
      ...nodes[0]!.metadata,
      annotations: { "example.com/eni-config": "pods-x", "other.example.com/note": "not kept" },
    } as NewObject["metadata"];
    for (const n of nodes) store.create("nodes", n);
    const awsNode = JSON.parse(readFileSync(join(lab, "aws-node.json"), "utf8")) as NewObject;
    awsNode.spec.template.spec.containers[0].env.push({
      name: "ENI_CONFIG_ANNOTATION_DEF",
      value: "example.com/eni-config",
    });
    store.create("daemonsets", awsNode);
    for (const p of items("pods.json")) store.create("pods", p);
    store.create("eniconfigs", eniConfig("ap-northeast-2a", "subnet-pods-a"));
    const nodeName = (items("nodes.json")[0]!.metadata as { name: string }).name;
    store.create("cninodes", {
      apiVersion: "vpcresources.k8s.aws/v1alpha1",
      kind: "CNINode",
      metadata: { name: nodeName },
      spec: { features: [{ name: "CustomNetworking", value: "ap-northeast-2a" }] },
    });
    faults = createFaultControl();
    const certs = makeCertificates({ ips: ["127.0.0.1"], dnsNames: ["localhost"] });
    server = await startKubeApiServer({ store, faults, certs, token: "t0ken", crds });
    const path = join(dir, "kubeconfig");
    await writeFile(path, kubeconfig(server.url, certs.caCertPem, "t0ken"));
    counters = emptyCounters();
    const client = new KubeClient(loadKubeConfig({ kubeconfigPath: path }));
    const getJson = client.getJson.bind(client);
    client.getJson = (path, signal) => {
      if (/eniconfigs|cninodes/.test(path)) listsOfCrds++;
      return getJson(path, signal);
    };
    // A streaming list is a watch request: it looks for the CRD as a list does.
    const watch = client.watch.bind(client);
    client.watch = (path, ...rest) => {
      if (/eniconfigs|cninodes/.test(path) && path.includes("sendInitialEvents")) listsOfCrds++;
      return watch(path, ...rest);
    };
    watcher = new KubeWatcher({
      client,
      counters,
      backoffBaseMs: 20,
      backoffMaxMs: 200,
      crdRecheckMs: 300,
      keepRaw: true,
    });
    watcher.start(() => {});
    await until(() => watcher.answered && watcher.eniConfigs.listed && watcher.cniNodes.listed, "the lists");
  });
  after(async () => {
    await watcher.stop();
    await server.close();
    await rm(dir, { recursive: true });
  });

  it("not installed (404): absent, no error, not stale, no restart counted, looked for again only rarely", async () => {
    assert.equal(watcher.eniConfigs.absent, true);
    assert.equal(watcher.cniNodes.absent, true);
    const part = watcher.part();
    assert.equal(part.eniConfigs, undefined);
    assert.equal(part.cniNodes, undefined);
    assert.equal(watcher.raw()!.eniConfigs, null);
    assert.deepEqual(watcher.status(), { ...watcher.status(), error: null, stale: false });
    assert.deepEqual(
      Object.keys(counters.watchRestarts).filter((k) => /eniconfigs|cninodes/.test(k)),
      [],
    );
    const before = listsOfCrds;
    await new Promise((r) => setTimeout(r, 700));
    // 700 ms at one look per 300 ms: at most 3 more lists for each of the two resources.
    assert.ok(listsOfCrds - before <= 6, `${listsOfCrds - before} lists in 700 ms`);
    assert.ok(listsOfCrds - before >= 2, "looked for again");
  });

  it("installed later: found at the next look, then watched; only the fields eni-view reads are kept", async () => {
    crds.push("eniconfigs", "cninodes");
    await until(
      () => watcher.part().eniConfigs?.length === 1 && watcher.part().cniNodes?.length === 1,
      "the CRDs",
    );
    assert.deepEqual(watcher.part().eniConfigs, [
      { name: "ap-northeast-2a", subnet: "subnet-pods-a", securityGroups: ["sg-1"] },
    ]);
    assert.deepEqual(watcher.part().cniNodes?.[0]?.features, [
      { name: "CustomNetworking", value: "ap-northeast-2a" },
    ]);
    assert.ok(!JSON.stringify(watcher.raw()!.eniConfigs).includes("not kept"));
    store.create("eniconfigs", eniConfig("ap-northeast-2b", "subnet-pods-b"));
    await until(() => watcher.part().eniConfigs?.length === 2, "the new ENIConfig, by watch");
    assert.equal(watcher.status().error, null);
  });

  it("a forbidden ENIConfig list (403) is an error like the others, keeps the last items and is not stale", async () => {
    faults.update({ forbidden: ["eniconfigs"], dropWatches: true });
    try {
      await until(() => watcher.status().error === "Forbidden: eniconfigs", "the Forbidden error");
      assert.equal(watcher.status().stale, false);
      assert.equal(watcher.part().eniConfigs?.length, 2);
    } finally {
      faults.update({ forbidden: [], dropWatches: false });
    }
    await until(() => watcher.status().error === null, "recovery");
  });

  it("reads the node annotation aws-node's ENI_CONFIG_ANNOTATION_DEF names, and keeps no other", async () => {
    const name = (items("nodes.json")[0]!.metadata as { name: string }).name;
    await until(
      () => watcher.part().nodes.find((n) => n.name === name)?.eniConfigAnnotation === "pods-x",
      "the annotation, after a relist of the nodes",
    );
    assert.equal(watcher.part().cni.eniConfigAnnotationDef, "example.com/eni-config");
    assert.ok(!JSON.stringify(watcher.raw()!.nodes).includes("not kept"));
    assert.equal(watcher.status().error, null);
  });

  it("a CRD removed while watched becomes absent without an error", async () => {
    crds.length = 0;
    faults.update({ dropWatches: true });
    faults.update({ dropWatches: false });
    await until(() => watcher.eniConfigs.absent && watcher.cniNodes.absent, "absent again");
    assert.equal(watcher.part().eniConfigs, undefined);
    assert.equal(watcher.status().error, null);
  });
});

describe("a watch that goes quiet", () => {
  it("is abandoned after the quiet time and resumed, without an error", async () => {
    const dir = await mkdtemp(join(tmpdir(), "eni-view-kube-"));
    const store = new ObjectStore({ clock: createClock(), random: createRandom(5) });
    for (const n of items("nodes.json")) store.create("nodes", n);
    const certs = makeCertificates({ ips: ["127.0.0.1"], dnsNames: ["localhost"] });
    // No bookmarks for a minute and no changes: the connection stays open and silent.
    const server = await startKubeApiServer({
      store,
      faults: createFaultControl(),
      certs,
      token: "t",
      bookmarkIntervalMs: 60_000,
    });
    const path = join(dir, "kubeconfig");
    await writeFile(path, kubeconfig(server.url, certs.caCertPem, "t"));
    const counters = emptyCounters();
    const watcher = new KubeWatcher({
      client: new KubeClient(loadKubeConfig({ kubeconfigPath: path })),
      counters,
      quietMs: 150,
    });
    watcher.start(() => {});
    try {
      await until(
        () => (counters.watchRestarts["nodes/quiet"] ?? 0) >= 4,
        "four quiet restarts of the nodes watch",
      );
      assert.equal(watcher.part().nodes.length, 3);
      assert.equal(watcher.status().error, null);
      // Resumed from the last version, not relisted: one list per resource.
      assert.equal((await observed(counters.refreshSeconds, "kubernetes")).count, 4);
    } finally {
      await watcher.stop();
      await server.close();
      await rm(dir, { recursive: true });
    }
  });
});

describe("the Kubernetes half without a reachable API server", () => {
  it("says it cannot reach the API and is stale", async () => {
    const dir = await mkdtemp(join(tmpdir(), "eni-view-kube-"));
    const path = join(dir, "kubeconfig");
    await writeFile(path, kubeconfig("https://127.0.0.1:9", "unused", "t"));
    const watcher = new KubeWatcher({
      client: new KubeClient(loadKubeConfig({ kubeconfigPath: path })),
      counters: emptyCounters(),
      backoffBaseMs: 20,
      backoffMaxMs: 100,
    });
    watcher.start(() => {});
    try {
      await until(() => watcher.status().error !== null, "an error");
      assert.match(
        watcher.status().error ?? "",
        /cannot reach the Kubernetes API at https:\/\/127\.0\.0\.1:9: ECONNREFUSED/,
      );
      assert.equal(watcher.status().stale, true);
      assert.equal(watcher.answered, false);
    } finally {
      await watcher.stop();
      await rm(dir, { recursive: true });
    }
  });

  it("names a missing context and lists the known ones", async () => {
    const dir = await mkdtemp(join(tmpdir(), "eni-view-kube-"));
    const path = join(dir, "kubeconfig");
    await writeFile(path, kubeconfig("https://127.0.0.1:9", "unused", "t"));
    assert.throws(
      () => loadKubeConfig({ kubeconfigPath: path, context: "prod" }),
      /no context "prod" in the kubeconfig \(known: sim\)/,
    );
    await rm(dir, { recursive: true });
  });
});
