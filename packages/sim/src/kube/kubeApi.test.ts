// The simulated Kubernetes API through @kubernetes/client-node (list, paging, watch, errors) and raw
// HTTPS where the client hides the wire (401, Table output, 404/405).
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { AppsV1Api, CoreV1Api, KubeConfig, Watch } from "@kubernetes/client-node";
import { runFor } from "../clientsForTests.ts";
import { type Sim, startSim } from "../index.ts";

let sim: Sim;
let kc: KubeConfig;
let core: CoreV1Api;
let apps: AppsV1Api;

before(async () => {
  sim = await startSim({
    scenario: "scale-lab",
    clock: "manual",
    bookmarkIntervalMs: 50,
    stateDir: mkdtempSync(join(tmpdir(), "kube-api-")),
  });
  kc = new KubeConfig();
  kc.loadFromFile(sim.kubeconfigPath);
  core = kc.makeApiClient(CoreV1Api);
  apps = kc.makeApiClient(AppsV1Api);
});
after(() => sim.stop());

function raw(
  path: string,
  options: {
    method?: string;
    token?: string | null;
    accept?: string;
    body?: string;
    contentType?: string;
  } = {},
) {
  const cluster = kc.getCurrentCluster();
  const token = options.token === undefined ? kc.getCurrentUser()?.token : options.token;
  const url = new URL(path, cluster?.server);
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? "GET",
        ca: Buffer.from(cluster?.caData ?? "", "base64"),
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(options.accept ? { accept: options.accept } : {}),
          ...(options.body ? { "content-type": options.contentType ?? "application/merge-patch+json" } : {}),
        },
      },
      (res) => {
        let body = "";
        res.on("data", (c) => {
          body += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

interface WatchEvent {
  type: string;
  object: {
    metadata: { name: string; resourceVersion: string; annotations?: Record<string, string> };
    status?: { phase?: string; podIP?: string; code?: number; reason?: string };
  };
}

/** Collects watch events until `until` says enough, or the server closes the watch. */
async function collect(
  path: string,
  params: Record<string, string | number | boolean>,
  until: (events: WatchEvent[]) => boolean,
  whileOpen: () => Promise<void> = async () => {},
): Promise<{ events: WatchEvent[]; closedByServer: boolean }> {
  const events: WatchEvent[] = [];
  let closedByServer = false;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const controller = await new Watch(kc).watch(
    path,
    params,
    (type, object) => {
      events.push({ type, object });
      if (until(events)) finish();
    },
    () => {
      closedByServer = true;
      // The client may report the close before it has handed over the last line it read.
      setImmediate(() => setImmediate(finish));
    },
  );
  await whileOpen();
  const timeout = setTimeout(finish, 5_000);
  await finished;
  clearTimeout(timeout);
  controller.abort();
  return { events, closedByServer };
}

test("lists nodes and pods with the shapes client-node expects", async () => {
  const nodes = await core.listNode();
  assert.equal(nodes.items.length, 3);
  assert.equal(nodes.items[0]?.status?.allocatable?.pods, "17");
  assert.match(nodes.items[0]?.spec?.providerID ?? "", /^aws:\/\/\/ap-northeast-2[abc]\/i-/);
  const pods = await core.listPodForAllNamespaces();
  const hostNetwork = pods.items.filter((p) => p.spec?.hostNetwork);
  assert.equal(hostNetwork.length, 6, "aws-node and kube-proxy on each of 3 nodes");
  for (const p of hostNetwork)
    assert.equal(p.status?.podIP, p.status?.hostIP, "hostNetwork pods take the node's IP");
  const nginx = pods.items.filter((p) => p.metadata?.labels?.app === "nginx");
  assert.equal(nginx[0]?.metadata?.ownerReferences?.[0]?.kind, "ReplicaSet");
  const ds = await apps.readNamespacedDaemonSet({ name: "aws-node", namespace: "kube-system" });
  const env = ds.spec?.template.spec?.containers[0]?.env ?? [];
  assert.equal(env.find((e) => e.name === "WARM_ENI_TARGET")?.value, "1");
  assert.equal(env.find((e) => e.name === "ENABLE_PREFIX_DELEGATION")?.value, "false");
  assert.match(ds.spec?.template.spec?.containers[0]?.image ?? "", /amazon-k8s-cni:v1\.19\.2-eksbuild\.1$/);
});

test("limit/continue pages through every pod exactly once", async () => {
  const all = await core.listPodForAllNamespaces();
  const seen: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await core.listPodForAllNamespaces({ limit: 4, ...(token ? { _continue: token } : {}) });
    assert.ok(page.items.length <= 4);
    seen.push(...page.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`));
    token = page.metadata?._continue;
    pages++;
  } while (token);
  assert.equal(pages, Math.ceil(all.items.length / 4));
  assert.deepEqual(
    seen,
    all.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`),
  );
});

test("field and label selectors: spec.nodeName, metadata.name, app=nginx", async () => {
  const node = (await core.listNode()).items[0]?.metadata?.name as string;
  const onNode = await core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${node}` });
  assert.ok(onNode.items.length >= 2);
  assert.ok(onNode.items.every((p) => p.spec?.nodeName === node));
  const byName = await core.listNode({ fieldSelector: `metadata.name=${node}` });
  assert.deepEqual(
    byName.items.map((n) => n.metadata?.name),
    [node],
  );
  const nginx = await core.listNamespacedPod({ namespace: "default", labelSelector: "app=nginx" });
  assert.equal(nginx.items.length, 2);
  await assert.rejects(
    core.listPodForAllNamespaces({ fieldSelector: "spec.color=blue" }),
    (err: { code?: number; body?: string }) => {
      assert.equal(err.code, 400);
      assert.match(String(err.body), /field label not supported: spec.color/);
      return true;
    },
  );
});

test("a watch from a list's resourceVersion sees the pods a scale-up creates go Running with an IP", async () => {
  const list = await core.listNamespacedPod({ namespace: "default" });
  const rv = list.metadata?.resourceVersion as string;
  const { events } = await collect(
    "/api/v1/namespaces/default/pods",
    { resourceVersion: rv, allowWatchBookmarks: true },
    (evs) => evs.filter((e) => e.type === "MODIFIED" && e.object.status?.phase === "Running").length >= 2,
    async () => {
      await apps.replaceNamespacedDeploymentScale({
        name: "nginx-deployment",
        namespace: "default",
        body: { metadata: { name: "nginx-deployment", namespace: "default" }, spec: { replicas: 4 } },
      });
      await runFor(sim, 20_000);
    },
  );
  const added = events.filter((e) => e.type === "ADDED").map((e) => e.object.metadata.name);
  assert.equal(added.length, 2);
  const running = events.filter((e) => e.type === "MODIFIED" && e.object.status?.phase === "Running");
  for (const e of running) assert.match(e.object.status?.podIP ?? "", /^192\.168\.[123]\.\d+$/);
  const versions = events
    .filter((e) => e.type !== "BOOKMARK")
    .map((e) => Number(e.object.metadata.resourceVersion));
  assert.deepEqual(
    versions,
    [...versions].sort((a, b) => a - b),
    "events arrive in resourceVersion order",
  );
});

test("watch bookmarks carry the current resourceVersion", async () => {
  const { events } = await collect(
    "/api/v1/nodes",
    { allowWatchBookmarks: true, resourceVersion: "0" },
    (evs) => evs.some((e) => e.type === "BOOKMARK"),
  );
  assert.equal(
    events.filter((e) => e.type === "ADDED").length,
    3,
    "resourceVersion 0 starts with the current nodes",
  );
  const bookmark = events.find((e) => e.type === "BOOKMARK");
  assert.ok(Number(bookmark?.object.metadata.resourceVersion) > 0);
});

test("sendInitialEvents ends the initial ADDED events with the initial-events-end bookmark", async () => {
  const { events } = await collect(
    "/api/v1/namespaces",
    { sendInitialEvents: true, allowWatchBookmarks: true, resourceVersionMatch: "NotOlderThan" },
    (evs) => evs.some((e) => e.type === "BOOKMARK"),
  );
  const names = events.filter((e) => e.type === "ADDED").map((e) => e.object.metadata.name);
  assert.deepEqual(names.sort(), ["default", "kube-node-lease", "kube-public", "kube-system"]);
  assert.equal(events.at(-1)?.object.metadata.annotations?.["k8s.io/initial-events-end"], "true");
});

test("a streaming list is refused with 422 Invalid without NotOlderThan, and when the WatchList gate is off", async () => {
  const noMatch = await raw("/api/v1/nodes?watch=true&sendInitialEvents=true&allowWatchBookmarks=true");
  assert.equal(noMatch.status, 422);
  assert.equal(
    JSON.parse(noMatch.body).message,
    'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
  );
  const onList = await raw("/api/v1/nodes?sendInitialEvents=true");
  assert.equal(onList.status, 422, "sendInitialEvents is for watches only");
  sim.faults.update({ watchListDisabled: true });
  try {
    const off = await raw(
      "/api/v1/nodes?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan",
    );
    assert.equal(off.status, 422);
    const status = JSON.parse(off.body);
    assert.equal(status.reason, "Invalid");
    assert.equal(status.details.causes[0].field, "sendInitialEvents");
    const list = await raw("/api/v1/nodes?limit=2");
    assert.equal(JSON.parse(list.body).items.length, 2, "paginated lists still answer");
  } finally {
    sim.faults.update({ watchListDisabled: false });
  }
});

test("sendInitialEvents=false starts from now: no initial events, then changes", async () => {
  const { events } = await collect(
    "/api/v1/namespaces",
    { sendInitialEvents: false, allowWatchBookmarks: true, resourceVersionMatch: "NotOlderThan" },
    (evs) => evs.some((e) => e.type === "ADDED"),
    async () => {
      await core.createNamespace({ body: { metadata: { name: "streamed-later" } } });
    },
  );
  assert.deepEqual(
    events.filter((e) => e.type === "ADDED").map((e) => e.object.metadata.name),
    ["streamed-later"],
  );
});

test("faults: watchGone answers a watch with 410 Expired; dropWatches closes it; forbidden gives 403", async () => {
  sim.faults.update({ watchGone: true });
  const gone = await collect("/api/v1/pods", { resourceVersion: "5" }, () => false);
  sim.faults.update({ watchGone: false });
  assert.equal(gone.events[0]?.type, "ERROR");
  const status = gone.events[0]?.object as unknown as { kind: string; code: number; reason: string };
  assert.deepEqual([status.kind, status.code, status.reason], ["Status", 410, "Expired"]);
  assert.equal(gone.closedByServer, true);

  sim.faults.update({ dropWatches: true });
  const dropped = await collect("/api/v1/nodes", {}, () => false);
  sim.faults.update({ dropWatches: false });
  assert.equal(dropped.closedByServer, true);
  assert.equal(dropped.events.length, 1, "closed after its first event");

  sim.faults.update({ forbidden: ["pods"] });
  try {
    await assert.rejects(core.listPodForAllNamespaces(), (err: { code?: number; body?: string }) => {
      assert.equal(err.code, 403);
      assert.equal(
        JSON.parse(String(err.body)).message,
        'pods is forbidden: User "eni-view" cannot list resource "pods" in API group "" at the cluster scope',
      );
      return true;
    });
  } finally {
    sim.faults.update({ forbidden: [] });
  }
  assert.equal((await core.listNode()).items.length, 3, "other resources still answer");

  sim.faults.update({ kubeLatencyMs: 120 });
  const started = performance.now();
  await core.listNode();
  const took = performance.now() - started;
  sim.faults.update({ kubeLatencyMs: 0 });
  assert.ok(took >= 115, `a call with 120 ms of added latency answered after ${Math.round(took)} ms`);
});

test("requests without the bearer token get 401; unknown paths 404; unsupported methods 405", async () => {
  const anonymous = await raw("/api/v1/pods", { token: null });
  assert.equal(anonymous.status, 401);
  assert.equal(JSON.parse(anonymous.body).reason, "Unauthorized");
  const wrong = await raw("/api/v1/pods", { token: "not-the-token" });
  assert.equal(wrong.status, 401);
  const missing = await raw("/api/v1/secrets");
  assert.equal(missing.status, 404);
  assert.equal(JSON.parse(missing.body).kind, "Status");
  const nope = await raw("/api/v1/namespaces/default/pods/nginx", { method: "POST" });
  assert.equal(nope.status, 405);
  const absent = await raw("/api/v1/namespaces/default/pods/no-such-pod");
  assert.equal(absent.status, 404);
  assert.equal(JSON.parse(absent.body).message, 'pods "no-such-pod" not found');
});

test("scale subresource: JSON patch works, server-side apply gets 415", async () => {
  const path = "/apis/apps/v1/namespaces/default/deployments/nginx-deployment/scale";
  const before = JSON.parse((await raw(path)).body).spec.replicas;
  const patched = await raw(path, {
    method: "PATCH",
    contentType: "application/json-patch+json",
    body: JSON.stringify([{ op: "replace", path: "/spec/replicas", value: before }]),
  });
  assert.equal(patched.status, 200);
  assert.equal(JSON.parse(patched.body).kind, "Scale");
  const apply = await raw(path, {
    method: "PATCH",
    contentType: "application/apply-patch+yaml",
    body: "spec: {}",
  });
  assert.equal(apply.status, 415);
  assert.equal(JSON.parse(apply.body).reason, "UnsupportedMediaType");
});

test("scale subresource: bad replicas are refused with 422 Invalid", async () => {
  const res = await raw("/apis/apps/v1/namespaces/default/deployments/nginx-deployment/scale", {
    method: "PATCH",
    body: JSON.stringify({ spec: { replicas: -1 } }),
  });
  assert.equal(res.status, 422);
  assert.match(
    JSON.parse(res.body).message,
    /spec.replicas: Invalid value: -1: must be greater than or equal to 0/,
  );
});

test("Table output has kubectl's columns, with -o wide ones at priority 1", async () => {
  const res = await raw("/api/v1/namespaces/default/pods", {
    accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json",
  });
  const table = JSON.parse(res.body);
  assert.equal(table.kind, "Table");
  const columns = table.columnDefinitions.map(
    (c: { name: string; priority: number }) => `${c.name}:${c.priority}`,
  );
  assert.deepEqual(columns.slice(0, 7), [
    "Name:0",
    "Ready:0",
    "Status:0",
    "Restarts:0",
    "Age:0",
    "IP:1",
    "Node:1",
  ]);
  assert.equal(table.rows[0].object.kind, "PartialObjectMetadata");
  assert.equal(table.rows[0].cells[2], "Running");
});

test("the kubeconfig holds the CA and token, and the API serves TLS that the CA verifies", () => {
  const text = readFileSync(sim.kubeconfigPath, "utf8");
  assert.match(text, /certificate-authority-data: [A-Za-z0-9+/=]+\n/);
  assert.match(text, /token: [0-9a-f]{48}\n/);
  assert.match(text, /current-context: arn:aws:eks:ap-northeast-2:111122223333:cluster\/myeks/);
  const endpoints = JSON.parse(readFileSync(sim.endpointsPath, "utf8"));
  assert.equal(endpoints.kubernetes, sim.kubernetesUrl);
  assert.equal(endpoints.ec2, sim.ec2Url);
  assert.equal(endpoints.region, "ap-northeast-2");
});

test("kubelets renew their node leases every 10 simulated seconds", async () => {
  const node = (await core.listNode()).items[0]?.metadata?.name as string;
  const path = `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${node}`;
  const before = JSON.parse((await raw(path)).body).spec.renewTime;
  await runFor(sim, 20_000);
  const after = JSON.parse((await raw(path)).body).spec.renewTime;
  assert.match(after, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  assert.ok(Date.parse(after) - Date.parse(before) >= 10_000, `${before} -> ${after}`);
});

test("a Lease is created, read and updated, and an update from a stale resourceVersion is a 409", async () => {
  const path = "/apis/coordination.k8s.io/v1/namespaces/default/leases";
  const spec = { holderIdentity: "a", leaseDurationSeconds: 15, leaseTransitions: 0 };
  const created = await raw(path, {
    method: "POST",
    body: JSON.stringify({ metadata: { name: "eni-view" }, spec }),
    contentType: "application/json",
  });
  assert.equal(created.status, 201, created.body);
  const first = JSON.parse(created.body);
  const put = (lease: object) =>
    raw(`${path}/eni-view`, { method: "PUT", body: JSON.stringify(lease), contentType: "application/json" });
  const taken = await put({ ...first, spec: { ...spec, holderIdentity: "b", leaseTransitions: 1 } });
  assert.equal(taken.status, 200, taken.body);
  assert.equal(JSON.parse((await raw(`${path}/eni-view`)).body).spec.holderIdentity, "b");
  // A replica that read the lease before "b" took it must not overwrite it.
  const stale = await put({ ...first, spec: { ...spec, holderIdentity: "c" } });
  assert.equal(stale.status, 409, stale.body);
  assert.equal(JSON.parse(stale.body).reason, "Conflict");
  const bad = await put({ ...JSON.parse(taken.body), spec: { ...spec, leaseDurationSeconds: 0 } });
  assert.equal(bad.status, 422, bad.body);
  assert.match(
    JSON.parse(bad.body).message,
    /spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0/,
  );
});

test("a watch ends after the timeoutSeconds the client asked for", async () => {
  const { closedByServer, events } = await collect("/api/v1/nodes", { timeoutSeconds: 1 }, () => false);
  assert.equal(closedByServer, true);
  assert.equal(events.filter((e) => e.type === "ADDED").length, 3);
});

test("the cluster's two system Services are served (kubectl get all lists them)", async () => {
  const services = await core.listServiceForAllNamespaces();
  assert.deepEqual(
    services.items.map((s) => `${s.metadata?.namespace}/${s.metadata?.name} ${s.spec?.clusterIP}`),
    ["default/kubernetes 10.100.0.1", "kube-system/kube-dns 10.100.0.10"],
  );
});

test("boolean query parameters parse as Go's ParseBool (the Python client sends watch=True)", async () => {
  const rv = (await core.listNamespacedPod({ namespace: "default" })).metadata?.resourceVersion ?? "";
  const watched = raw(`/api/v1/namespaces/default/pods?watch=True&resourceVersion=${rv}&timeoutSeconds=1`);
  const res = await watched;
  assert.equal(res.status, 200, res.body);
  const bad = await raw("/api/v1/namespaces/default/pods?watch=yes");
  assert.equal(bad.status, 400);
  assert.match(bad.body, /watch: strconv.ParseBool: parsing \\"yes\\": invalid syntax/);
  const listed = await raw("/api/v1/namespaces/default/pods?watch=0");
  assert.equal(JSON.parse(listed.body).kind, "PodList");
});
