import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createClock } from "../../../../../packages/sim/src/clock.ts";
import { createFaultControl } from "../../../../../packages/sim/src/faults.ts";
import { startKubeApiServer } from "../../../../../packages/sim/src/kube/server.ts";
import { ObjectStore } from "../../../../../packages/sim/src/kube/store.ts";
import type { NewObject } from "../../../../../packages/sim/src/kube/types.ts";
import { createRandom } from "../../../../../packages/sim/src/random.ts";
import { makeCertificates } from "../../../../../packages/sim/src/tls.ts";
import { KubeClient, loadKubeConfig } from "./kubeClient.ts";
import { compareKeys, type InitialListMethod, Reflector, type RestartReason } from "./reflector.ts";

// Lists against the simulator's API server, which pages as the real one does (limit, continue),
// answers 410 Expired to a continue token older than the history it keeps, and streams lists (WatchList:
// sendInitialEvents, the initial-events-end bookmark) unless its WatchList feature gate is off.

function pod(namespace: string, name: string): NewObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace },
    spec: { containers: [{ name: "app", image: "app" }] },
    status: { phase: "Pending" },
  };
}

/** A client that runs `between` before asking for a page with a continue token, and counts what it asks;
 * with `ignoresStreaming` it drops the streaming-list parameters, as an API server older than 1.27 does. */
class PagingClient extends KubeClient {
  paths: string[] = [];
  between: (page: number) => void = () => {};
  ignoresStreaming = false;

  override async getJson(path: string, signal?: AbortSignal, timeoutMs?: number) {
    this.paths.push(path);
    if (path.includes("continue=")) this.between(this.paths.length);
    return super.getJson(path, signal, timeoutMs);
  }

  override watch(...args: Parameters<KubeClient["watch"]>) {
    this.paths.push(args[0]);
    if (this.ignoresStreaming) {
      const url = new URL(args[0], "https://x");
      for (const p of ["sendInitialEvents", "resourceVersionMatch"]) url.searchParams.delete(p);
      args[0] = `${url.pathname}?${url.searchParams}`;
    }
    return super.watch(...args);
  }
}

/** A reflector over pods in pages of 3, recording its restarts and the errors it reports. */
function podReflector(client: PagingClient, backoff: { backoffBaseMs: number; backoffMaxMs?: number }) {
  const restarts: RestartReason[] = [];
  const errors: string[] = [];
  const reflector = new Reflector<string>({
    client,
    resource: "pods",
    path: "/api/v1/pods",
    slim: (raw) => {
      const { namespace, name } = raw.metadata as { namespace: string; name: string };
      return `${namespace}/${name}`;
    },
    pageSize: 3,
    // These tests are about paginated lists; streaming lists have their own below.
    watchList: false,
    ...backoff,
    onChange: () => {},
    onRestart: (reason) => restarts.push(reason),
    onListed: () => {},
    onError: (message) => errors.push(message),
    onHealthy: () => {},
  });
  return { reflector, restarts, errors };
}

describe("the order of namespace/name keys", () => {
  it("orders objects as their joined keys order, where one namespace begins another too", () => {
    const parts: [string, string][] = [
      ["", "node-b"],
      ["", "node-a"],
      ["a", "z"],
      ["a-b", "x"],
      ["a.b", "x"],
      ["ab", "a"],
      ["a", "a-1"],
      ["default", "web-10"],
      ["default", "web-2"],
      ["kube-system", "aws-node-1"],
      ["kube", "proxy"],
    ];
    const joined = parts.map(([ns, name]) => `${ns}/${name}`).sort();
    const compared = [...parts]
      .sort(([ns1, n1], [ns2, n2]) => compareKeys(ns1, n1, ns2, n2))
      .map(([ns, name]) => `${ns}/${name}`);
    assert.deepEqual(compared, joined);
  });
});

describe("a reflector's list", () => {
  let dir: string;
  let store: ObjectStore;
  let server: { url: string; close(): Promise<void> };
  let kubeconfigPath: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "eni-view-reflector-"));
    // A history of 8 changes: a few more between two pages compact the list's resourceVersion away.
    store = new ObjectStore({ clock: createClock(), random: createRandom(5), historySize: 8 });
    for (let i = 0; i < 10; i++) store.create("pods", pod(i % 2 ? "team-b" : "team-a", `pod-${i}`));
    const certs = makeCertificates({ ips: ["127.0.0.1"], dnsNames: ["localhost"] });
    server = await startKubeApiServer({ store, faults: createFaultControl(), certs, token: "t0ken" });
    kubeconfigPath = join(dir, "kubeconfig");
    await writeFile(
      kubeconfigPath,
      JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [
          {
            name: "sim",
            cluster: {
              server: server.url,
              "certificate-authority-data": Buffer.from(certs.caCertPem).toString("base64"),
            },
          },
        ],
        users: [{ name: "sim", user: { token: "t0ken" } }],
        contexts: [{ name: "sim", context: { cluster: "sim", user: "sim" } }],
        "current-context": "sim",
      }),
    );
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true });
  });

  async function listOnce(client: PagingClient) {
    const { reflector, restarts, errors } = podReflector(client, { backoffBaseMs: 10, backoffMaxMs: 20 });
    reflector.start();
    const deadline = Date.now() + 5000;
    while (!reflector.listed) {
      if (Date.now() > deadline) throw new Error("the list did not finish");
      await new Promise((r) => setTimeout(r, 5));
    }
    const items = reflector.sortedValues();
    await reflector.stop();
    return { items, restarts, errors };
  }

  it("reads every pod in pages of the size asked, in namespace/name order", async () => {
    const client = new PagingClient(loadKubeConfig({ kubeconfigPath }));
    const { items, restarts, errors } = await listOnce(client);
    const expected = [...store.all("pods")].map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort();
    assert.equal(items.length, 10);
    assert.deepEqual(items, expected);
    assert.equal(client.paths.filter((p) => p.startsWith("/api/v1/pods?limit=3")).length, 4);
    assert.deepEqual(restarts, []);
    assert.deepEqual(errors, []);
  });

  it("begins again when its continue token expires between pages, without an error, with every pod", async () => {
    const client = new PagingClient(loadKubeConfig({ kubeconfigPath }));
    let added = 0;
    client.between = () => {
      // Only during the first pass: ten changes push the list's resourceVersion out of the history.
      if (added > 0) return;
      for (; added < 10; added++) store.create("pods", pod("team-c", `late-${added}`));
    };
    const { items, restarts, errors } = await listOnce(client);
    assert.deepEqual(restarts, ["gone"]);
    assert.deepEqual(errors, []);
    assert.equal(items.length, 20);
    assert.ok(items.includes("team-c/late-9"));
    assert.equal(new Set(items).size, 20);
  });

  it("reports an error when the list expires every time it is begun", async () => {
    const client = new PagingClient(loadKubeConfig({ kubeconfigPath }));
    let n = 0;
    client.between = () => {
      for (let i = 0; i < 10; i++) store.create("pods", pod("team-d", `churn-${n++}`));
    };
    const { reflector, restarts, errors } = podReflector(client, { backoffBaseMs: 10_000 });
    reflector.start();
    const deadline = Date.now() + 5000;
    while (errors.length === 0) {
      if (Date.now() > deadline) throw new Error("no error reported");
      await new Promise((r) => setTimeout(r, 5));
    }
    await reflector.stop();
    assert.deepEqual(restarts, ["gone", "gone", "gone", "error"]);
    assert.match(errors[0]!, /^Expired: pods \(HTTP 410\)$/);
    assert.equal(reflector.listed, false);
  });
});

describe("a reflector's streaming list (WatchList)", () => {
  let dir: string;
  let store: ObjectStore;
  let faults: ReturnType<typeof createFaultControl>;
  let server: { url: string; close(): Promise<void> };
  let kubeconfigPath: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "eni-view-watchlist-"));
    store = new ObjectStore({ clock: createClock(), random: createRandom(7) });
    for (let i = 0; i < 10; i++) store.create("pods", pod(i % 2 ? "team-b" : "team-a", `pod-${i}`));
    faults = createFaultControl();
    const certs = makeCertificates({ ips: ["127.0.0.1"], dnsNames: ["localhost"] });
    server = await startKubeApiServer({ store, faults, certs, token: "t0ken", bookmarkIntervalMs: 20 });
    kubeconfigPath = join(dir, "kubeconfig");
    await writeFile(kubeconfigPath, kubeconfigFor(server.url, certs.caCertPem));
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true });
  });

  function reflectorOn(client: PagingClient, path = "/api/v1/pods") {
    const methods: InitialListMethod[] = [];
    const restarts: RestartReason[] = [];
    const errors: string[] = [];
    const reflector = new Reflector<string>({
      client,
      resource: path.split("/").at(-1)!,
      path,
      slim: (raw) => {
        const { namespace, name } = raw.metadata as { namespace?: string; name: string };
        return namespace ? `${namespace}/${name}` : name;
      },
      backoffBaseMs: 10,
      backoffMaxMs: 20,
      onChange: () => {},
      onRestart: (reason) => restarts.push(reason),
      onListed: (_, method) => methods.push(method),
      onError: (message) => errors.push(message),
      onHealthy: () => {},
    });
    return { reflector, methods, restarts, errors };
  }

  async function until(check: () => boolean, what: string, ms = 10_000) {
    const deadline = Date.now() + ms;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  const podKeys = () =>
    [...store.all("pods")].map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort();

  it("takes the initial state from one streaming watch, then follows it as a watch", async () => {
    const client = new PagingClient(loadKubeConfig({ kubeconfigPath }));
    const { reflector, methods, errors } = reflectorOn(client);
    reflector.start();
    await until(() => reflector.listed, "the streaming list");
    assert.deepEqual(reflector.sortedValues(), podKeys());
    assert.deepEqual(methods, ["watch-list"]);
    assert.equal(client.paths.length, 1, "no LIST: one watch request");
    assert.match(client.paths[0]!, /sendInitialEvents=true/);
    assert.match(client.paths[0]!, /resourceVersionMatch=NotOlderThan/);
    assert.match(client.paths[0]!, /allowWatchBookmarks=true/);
    store.create("pods", pod("team-a", "after-the-bookmark"));
    await until(() => reflector.size === podKeys().length, "the pod created after the bookmark");
    assert.deepEqual(reflector.sortedValues(), podKeys());
    await reflector.stop();
    assert.deepEqual(errors, []);
  });

  it("lists in pages when the API server refuses streaming lists (WatchList gate off), without an error", async () => {
    faults.update({ watchListDisabled: true });
    try {
      const client = new PagingClient(loadKubeConfig({ kubeconfigPath }));
      const { reflector, methods, errors } = reflectorOn(client);
      reflector.start();
      await until(() => reflector.listed, "the paginated list");
      assert.deepEqual(reflector.sortedValues(), podKeys());
      assert.deepEqual(methods, ["list"]);
      assert.equal(reflector.initialListMethod, "list");
      assert.ok(client.paths.some((p) => p.startsWith("/api/v1/pods?limit=")));
      // A relist keeps to pages: the server said no once.
      const asked = client.paths.length;
      reflector.relist();
      await until(() => methods.length === 2, "the relist");
      assert.deepEqual(methods, ["list", "list"]);
      assert.ok(client.paths.slice(asked).every((p) => !p.includes("sendInitialEvents")));
      await reflector.stop();
      assert.deepEqual(errors, []);
    } finally {
      faults.update({ watchListDisabled: false });
    }
  });

  it("lists in pages when the API server ignores sendInitialEvents (a bookmark without the end annotation)", async () => {
    const client = new PagingClient(loadKubeConfig({ kubeconfigPath }));
    client.ignoresStreaming = true;
    const { reflector, methods, errors } = reflectorOn(client);
    reflector.start();
    await until(() => reflector.listed, "the fallback list");
    assert.deepEqual(methods, ["list"]);
    assert.deepEqual(reflector.sortedValues(), podKeys());
    await reflector.stop();
    assert.deepEqual(errors, []);
  });

  it("relists 20,000 nodes by a streaming list and holds exactly the nodes the API server has", async () => {
    const nodes = Array.from({ length: 20_000 }, (_, i) => bigNode(i));
    store.load("nodes", nodes);
    const client = new PagingClient(loadKubeConfig({ kubeconfigPath }));
    const { reflector, methods, errors } = reflectorOn(client, "/api/v1/nodes");
    reflector.start();
    await until(() => reflector.listed, "the first streaming list", 60_000);
    assert.equal(reflector.size, 20_000);
    // Churn, then a relist: 50 nodes go and 50 come, as a scaling node group does.
    for (let i = 0; i < 50; i++) store.remove("nodes", undefined, `node-${String(i).padStart(5, "0")}`);
    for (let i = 20_000; i < 20_050; i++) store.create("nodes", bigNode(i));
    reflector.relist();
    await until(() => methods.length === 2, "the relist", 60_000);
    const expected = [...store.all("nodes")].map((n) => n.metadata.name).sort();
    assert.deepEqual(reflector.sortedValues(), expected);
    assert.deepEqual(methods, ["watch-list", "watch-list"]);
    await reflector.stop();
    assert.deepEqual(errors, []);
  });
});

/** A node with the labels, addresses and capacity an EKS node carries (about 1 KB of JSON). */
function bigNode(i: number): NewObject {
  const zone = ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"][i % 3]!;
  const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: `node-${String(i).padStart(5, "0")}`,
      labels: {
        "node.kubernetes.io/instance-type": "m5.xlarge",
        "topology.kubernetes.io/zone": zone,
        "eks.amazonaws.com/nodegroup": `group-${i % 20}`,
        "kubernetes.io/os": "linux",
      },
    },
    spec: { providerID: `aws:///${zone}/i-${i.toString(16).padStart(17, "0")}` },
    status: {
      addresses: [
        { type: "InternalIP", address: ip },
        { type: "Hostname", address: `ip-${ip.replaceAll(".", "-")}.ap-northeast-2.compute.internal` },
      ],
      allocatable: { cpu: "3920m", memory: "15147816Ki", pods: "58" },
      conditions: [{ type: "Ready", status: "True", reason: "KubeletReady" }],
    },
  };
}

function kubeconfigFor(url: string, caPem: string): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: "sim",
        cluster: { server: url, "certificate-authority-data": Buffer.from(caPem).toString("base64") },
      },
    ],
    users: [{ name: "sim", user: { token: "t0ken" } }],
    contexts: [{ name: "sim", context: { cluster: "sim", user: "sim" } }],
    "current-context": "sim",
  });
}
