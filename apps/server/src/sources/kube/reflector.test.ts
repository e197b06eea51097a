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
import { Reflector, type RestartReason } from "./reflector.ts";

// Lists against the simulator's API server, which pages as the real one does (limit, continue) and
// answers 410 Expired to a continue token older than the history it keeps.

function pod(namespace: string, name: string): NewObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace },
    spec: { containers: [{ name: "app", image: "app" }] },
    status: { phase: "Pending" },
  };
}

/** A client that runs `between` before asking for a page with a continue token, and counts what it asks. */
class PagingClient extends KubeClient {
  paths: string[] = [];
  between: (page: number) => void = () => {};

  override async getJson(path: string, signal?: AbortSignal, timeoutMs?: number) {
    this.paths.push(path);
    if (path.includes("continue=")) this.between(this.paths.length);
    return super.getJson(path, signal, timeoutMs);
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
    ...backoff,
    onChange: () => {},
    onRestart: (reason) => restarts.push(reason),
    onListed: () => {},
    onError: (message) => errors.push(message),
    onHealthy: () => {},
  });
  return { reflector, restarts, errors };
}

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
