import assert from "node:assert/strict";
import { once } from "node:events";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import {
  applyDelta,
  type ClusterInput,
  decodeTopology,
  type LoadingState,
  type LoadingStep,
  type Topology,
  type TopologyDelta,
} from "@eni-view/model";
import type { FastifyInstance } from "fastify";
import { buildApp } from "./app.ts";
import { readCaptureFolder } from "./sources/dump/index.ts";
import { DumpSource } from "./sources/dumpSource.ts";
import { type ServedFeed, serveFeed } from "./testing/serveFeed.ts";
import { SseClient } from "./testing/sseClient.ts";
import { TestSource } from "./testing/testSource.ts";
import { TopologyFeed } from "./topologyFeed.ts";

// The scale lab at 2 replicas (section 3 of the domain notes): 3 x t3.medium, ENIs 2/2/1, IPs 10/10/5,
// CoreDNS and nginx on the first two nodes, one nginx Pending with "Too many pods". The nginx pods
// carry an env password and an annotation that must never be served.
const lab = new URL("./fixtures/lab-2-replicas", import.meta.url).pathname;

describe("the app on a capture folder", () => {
  let feed: TopologyFeed;
  let app: FastifyInstance;

  before(async () => {
    feed = new TopologyFeed(new DumpSource(lab));
    await feed.start();
    app = await buildApp({ feed, webDist: null });
  });
  after(async () => {
    await app.close();
    await feed.stop();
  });

  it("serves the lab's topology: ENIs 2/2/1, IPs 10/10/5, one pod pending for too many pods", async () => {
    const res = await app.inject({ method: "GET", url: "/api/topology" });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers["content-type"]), /^application\/json/);
    const t = res.json() as Topology;
    assert.equal(t.source, "dump");
    assert.equal(t.sources.dump?.stale, false);
    assert.deepEqual(
      t.nodes.map((n) => [n.enis.length, n.ipsAssigned]),
      [
        [2, 10],
        [2, 10],
        [1, 5],
      ],
    );
    assert.equal(t.summary.ipsUsed, 4);
    assert.deepEqual(
      t.pending.map((p) => [p.name, p.reason]),
      [["nginx-deployment-7c79c4bf97-ccccc", "too-many-pods"]],
    );
    assert.ok(!Number.isNaN(Date.parse(t.generatedAt)));
  });

  it("never serves pod env values, secret references or annotations", async () => {
    for (const url of ["/api/topology", "/api/history", "/metrics"]) {
      const body = (await app.inject({ method: "GET", url })).body;
      for (const secret of ["hunter2", "DB_PASSWORD", "secretKeyRef", "annotation"]) {
        assert.ok(!body.includes(secret), `${url} contains ${secret}`);
      }
    }
  });

  it("sets security headers: CSP without inline script, no framing, nosniff, no referrer", async () => {
    const res = await app.inject({ method: "GET", url: "/api/topology" });
    const csp = String(res.headers["content-security-policy"]);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /script-src[^;]*unsafe-inline/);
    assert.match(csp, /frame-ancestors 'none'/);
    // Not on the simulator: the page fetches from this server only.
    assert.match(csp, /connect-src 'self';/);
    assert.equal(res.headers["x-content-type-options"], "nosniff");
    assert.equal(res.headers["referrer-policy"], "no-referrer");
    assert.equal(res.headers["x-frame-options"], "DENY");
  });

  it("50 concurrent topology requests per encoding share one compression each, and all get the same bytes", async () => {
    const compressions = async () =>
      (await app.inject({ method: "GET", url: "/metrics" })).body
        .split("\n")
        .filter((l) => l.startsWith("eniview_topology_compressions_total{"));
    const before = await compressions();
    const burst = async (url: string, accept: string) => {
      const answers = await Promise.all(
        Array.from({ length: 50 }, () =>
          app.inject({ method: "GET", url, headers: { "accept-encoding": accept } }),
        ),
      );
      const first = answers[0]!;
      for (const res of answers) {
        assert.equal(res.statusCode, 200);
        assert.equal(res.headers.vary, "accept-encoding");
        assert.deepEqual(res.rawPayload, first.rawPayload);
      }
      return first;
    };
    const br = await burst("/api/topology", "gzip, deflate, br");
    assert.equal(br.headers["content-encoding"], "br");
    assert.equal(Number(br.headers["content-length"]), br.rawPayload.length);
    const plain = JSON.parse(brotliDecompressSync(br.rawPayload).toString("utf8")) as Topology;
    assert.equal(JSON.stringify(plain), feed.topologyJson());
    const gz = await burst("/api/topology?encoding=compact", "gzip");
    assert.equal(gz.headers["content-encoding"], "gzip");
    assert.equal(gunzipSync(gz.rawPayload).toString("utf8"), feed.topologyCompactJson());
    // br refused with q=0: gzip.
    const refused = await app.inject({
      method: "GET",
      url: "/api/topology",
      headers: { "accept-encoding": "br;q=0, gzip" },
    });
    assert.equal(refused.headers["content-encoding"], "gzip");
    const after = await compressions();
    const count = (lines: string[], body: string) =>
      Number(lines.find((l) => l.includes(`body="${body}"`))?.split(" ")[1] ?? 0);
    // At most one each for this seq (none when an earlier test already made it).
    assert.ok(count(after, "json:br") - count(before, "json:br") <= 1);
    assert.ok(count(after, "compact:gzip") - count(before, "compact:gzip") <= 1);
    assert.ok(count(after, "json:br") >= 1 && count(after, "compact:gzip") >= 1);
  });

  it("compresses the topology for a client that accepts gzip, and answers 304 to a matching ETag", async () => {
    const res = await app.inject({
      method: "GET",
      url: "/api/topology",
      headers: { "accept-encoding": "gzip" },
    });
    assert.equal(res.headers["content-encoding"], "gzip");
    const json = JSON.parse(gunzipSync(res.rawPayload).toString("utf8")) as Topology;
    assert.equal(json.nodes.length, 3);
    const etag = String(res.headers.etag);
    const again = await app.inject({
      method: "GET",
      url: "/api/topology",
      headers: { "if-none-match": etag },
    });
    assert.equal(again.statusCode, 304);
  });

  it("serves the compact form on request: the same topology, a smaller body, its own ETag", async () => {
    const plain = await app.inject({ method: "GET", url: "/api/topology" });
    const compact = await app.inject({ method: "GET", url: "/api/topology?encoding=compact" });
    assert.equal(compact.statusCode, 200);
    assert.match(String(compact.headers["content-type"]), /^application\/json/);
    assert.deepEqual(decodeTopology(compact.json()), plain.json());
    assert.ok(compact.body.length < plain.body.length, `${compact.body.length} vs ${plain.body.length}`);
    assert.notEqual(compact.headers.etag, plain.headers.etag);
    const explicit = await app.inject({ method: "GET", url: "/api/topology?encoding=json" });
    assert.deepEqual(explicit.json(), plain.json());
    const wrong = await app.inject({ method: "GET", url: "/api/topology?encoding=xml" });
    assert.equal(wrong.statusCode, 400);
  });

  it("answers livez and readyz once the capture was read", async () => {
    assert.equal((await app.inject({ method: "GET", url: "/livez" })).statusCode, 200);
    const ready = await app.inject({ method: "GET", url: "/readyz" });
    assert.equal(ready.statusCode, 200);
    assert.equal(ready.json().status, "ready");
  });

  it("exposes Prometheus metrics with the cluster totals", async () => {
    const res = await app.inject({ method: "GET", url: "/metrics" });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers["content-type"]), /^text\/plain; version=0\.0\.4/);
    assert.match(res.body, /^# TYPE eniview_cluster_nodes gauge$/m);
    assert.match(res.body, /^eniview_cluster_nodes 3$/m);
    assert.match(res.body, /^eniview_cluster_ips_warm 21$/m);
    assert.match(res.body, /^eniview_cluster_pods_pending 1$/m);
    assert.match(res.body, /^eniview_viewers 0$/m);
    assert.match(res.body, /^eniview_refresh_duration_seconds_count\{source="dump"\} 1$/m);
    // prom-client's own process and Node.js metrics come along.
    assert.match(res.body, /^process_cpu_user_seconds_total \d/m);
    assert.match(res.body, /^nodejs_eventloop_lag_seconds \d/m);
  });

  it("exposes node-group and Pending-reason gauges, never a series per node or pod", async () => {
    const body = (await app.inject({ method: "GET", url: "/metrics" })).body;
    assert.match(body, /^eniview_nodegroup_nodes\{node_group="ng1"\} 3$/m);
    assert.match(body, /^eniview_nodegroup_nodes_at_max_pods\{node_group="ng1"\} 0$/m);
    assert.match(body, /^eniview_nodegroup_pods_waiting_for_ip\{node_group="ng1"\} 0$/m);
    assert.match(body, /^eniview_nodegroup_enis_attached\{node_group="ng1"\} 5$/m);
    assert.match(body, /^eniview_nodegroup_enis_possible\{node_group="ng1"\} 9$/m);
    assert.match(body, /^eniview_pods_pending_by_reason\{reason="too-many-pods"\} 1$/m);
    assert.match(body, /^eniview_pods_pending_by_reason\{reason="ip-exhausted"\} 0$/m);
    assert.doesNotMatch(body, /\{[^}]*(node|pod)="/);
  });

  it("exposes each subnet's free addresses, free /28s and holders, and the zones' sums", async () => {
    const body = (await app.inject({ method: "GET", url: "/metrics" })).body;
    const l = 'subnet="subnet-01",cidr="192.168.1.0/24",zone="ap-northeast-2a"';
    // 192.168.1.0/24: 2 ENI primaries, 2 pods, 8 warm IPs, AWS's 5; 239 free, 12 whole /28s.
    assert.match(body, new RegExp(`^eniview_subnet_free_addresses\\{${l}\\} 239$`, "m"));
    assert.match(body, new RegExp(`^eniview_subnet_free_blocks28\\{${l}\\} 12$`, "m"));
    assert.match(body, new RegExp(`^eniview_subnet_usable_addresses\\{${l}\\} 251$`, "m"));
    assert.match(body, new RegExp(`^eniview_subnet_addresses\\{${l},holder="pod"\\} 2$`, "m"));
    assert.match(body, new RegExp(`^eniview_subnet_addresses\\{${l},holder="warm"\\} 8$`, "m"));
    assert.match(body, /^eniview_zone_free_blocks28\{zone="ap-northeast-2c"\} 13$/m);
    assert.match(body, /^eniview_prefix_delegation_enabled 0$/m);
    // One read of the capture is no history: no forecast yet.
    assert.doesNotMatch(body, /^eniview_subnet_exhaustion_forecast_seconds\{/m);
  });

  it("names its build: /api/version for the page's footer, eniview_build_info on /metrics", async () => {
    const { version } = JSON.parse(await readFile(new URL("../../../package.json", import.meta.url), "utf8"));
    const res = await app.inject({ method: "GET", url: "/api/version" });
    assert.equal(res.statusCode, 200);
    const body = res.json() as { version: string; commit: string | null };
    assert.deepEqual(Object.keys(body).sort(), ["commit", "version"], "what the footer draws, nothing more");
    assert.equal(body.version, version);
    const metrics = (await app.inject({ method: "GET", url: "/metrics" })).body;
    const line = metrics.split("\n").find((l) => l.startsWith("eniview_build_info{"));
    assert.equal(
      line,
      `eniview_build_info{version="${version}",commit="${body.commit ?? "unknown"}",nodejs="${process.version}"} 1`,
    );
  });

  it("tells lab mode there is no simulator behind a capture: the page then only watches", async () => {
    const res = await app.inject({ method: "GET", url: "/api/lab" });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { simulator: null });
  });

  it("serves the history of totals", async () => {
    const res = await app.inject({ method: "GET", url: "/api/history?minutes=5" });
    assert.equal(res.statusCode, 200);
    const body = res.json() as { minutes: number; points: { nodes: number; ipsAssigned: number }[] };
    assert.equal(body.minutes, 5);
    assert.ok(body.points.length >= 1);
    assert.equal(body.points.at(-1)?.nodes, 3);
    assert.equal(body.points.at(-1)?.ipsAssigned, 25);
  });

  it("rejects bad requests with a JSON error naming the problem", async () => {
    const cases: [string, string, number, RegExp][] = [
      ["GET", "/api/history?minutes=0", 400, /^query parameter minutes must be >= 1$/],
      ["GET", "/api/history?minutes=100000", 400, /^query parameter minutes must be <= 360$/],
      ["GET", "/api/history?minutes=abc", 400, /^query parameter minutes must be integer$/],
      ["GET", "/api/history?limit=5", 400, /^unknown query parameter "limit"$/],
      ["GET", "/api/topology?all=1", 400, /^unknown query parameter "all"$/],
      ["GET", "/api/stream?lastEventId=-1", 400, /^query parameter lastEventId must be >= 0$/],
      ["GET", "/api/nodes", 404, /no such endpoint/],
      ["POST", "/api/topology", 405, /read-only/],
      ["DELETE", "/api/stream", 405, /read-only/],
      ["PUT", "/", 405, /read-only/],
      ["GET", `/api/topology?x=${"a".repeat(3000)}`, 414, /2048/],
    ];
    for (const [method, url, status, message] of cases) {
      const res = await app.inject({ method: method as "GET", url });
      assert.equal(res.statusCode, status, `${method} ${url.slice(0, 40)}`);
      const body = res.json() as { error: string; message: string };
      assert.match(body.message, message, `${method} ${url.slice(0, 40)}: ${body.message}`);
    }
    const post = await app.inject({ method: "POST", url: "/api/topology" });
    assert.equal(post.headers.allow, "GET, HEAD");
  });

  it("answers HEAD on the stream without opening one", async () => {
    const res = await app.inject({ method: "HEAD", url: "/api/stream" });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers["content-type"]), /^text\/event-stream/);
    assert.equal(feed.viewers, 0);
  });

  it("rejects a Last-Event-ID that is not a number", async () => {
    const res = await app.inject({ method: "GET", url: "/api/stream", headers: { "last-event-id": "abc" } });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().message, /Last-Event-ID .*got "abc"/);
    // The key and values beside the English, as every other refusal: a page says it in its language.
    assert.equal(res.json().key, "stream.badLastEventId");
    assert.deepEqual(res.json().values, { got: "abc" });
  });

  it("without a built dashboard, says to run npm run build instead of a blank page", async () => {
    for (const url of ["/", "/nodes/ip-192-168-1-10"]) {
      const res = await app.inject({ method: "GET", url, headers: { accept: "text/html" } });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /npm run build/);
      assert.doesNotMatch(res.body, /<script/);
    }
  });
});

describe("the dashboard's static files", () => {
  let dist: string;
  let app: FastifyInstance;
  let feed: TopologyFeed;

  before(async () => {
    dist = await mkdtemp(join(tmpdir(), "eni-view-dist-"));
    await writeFile(join(dist, "index.html"), '<!doctype html><script type="module" src="/app.js"></script>');
    await writeFile(join(dist, "app.js"), `console.log(${JSON.stringify("x".repeat(2000))});`);
    feed = new TopologyFeed(new DumpSource(lab));
    app = await buildApp({ feed, webDist: dist, frameAncestors: "'self'" });
  });
  after(async () => {
    await app.close();
    await rm(dist, { recursive: true });
  });

  it("serves files, falls back to index.html for app routes, and 404s missing assets", async () => {
    const index = await app.inject({ method: "GET", url: "/" });
    assert.equal(index.statusCode, 200);
    assert.match(index.body, /app\.js/);
    const js = await app.inject({ method: "GET", url: "/app.js", headers: { "accept-encoding": "gzip" } });
    assert.equal(js.statusCode, 200);
    assert.match(String(js.headers["content-type"]), /javascript/);
    assert.equal(js.headers["content-encoding"], "gzip");
    const route = await app.inject({ method: "GET", url: "/node/ip-1", headers: { accept: "text/html" } });
    assert.equal(route.statusCode, 200);
    assert.match(route.body, /app\.js/);
    const missing = await app.inject({ method: "GET", url: "/missing.js", headers: { accept: "*/*" } });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error, "not-found");
  });

  it("uses the configured frame-ancestors and then sends no X-Frame-Options", async () => {
    const res = await app.inject({ method: "GET", url: "/" });
    assert.match(String(res.headers["content-security-policy"]), /frame-ancestors 'self'/);
    assert.equal(res.headers["x-frame-options"], undefined);
  });
});

describe("a viewer that stops reading", () => {
  it("is dropped once it falls too far behind, and the others are not held up", async () => {
    const input = await readCaptureFolder(lab);
    const source = new TestSource(input);
    const feed = new TopologyFeed(source, { coalesceMs: 1 });
    await feed.start();
    const app = await buildApp({ feed, webDist: null, maxBufferedBytes: 256 * 1024 });
    const base = new URL(await app.listen({ host: "127.0.0.1", port: 0 }));
    const stalled = connect(Number(base.port), "127.0.0.1");
    try {
      await once(stalled, "connect");
      stalled.write("GET /api/stream HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n");
      stalled.pause();
      const deadline = Date.now() + 10_000;
      while (feed.viewers === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      assert.equal(feed.viewers, 1);
      // Big deltas (300 pods appear and go) until the socket's buffers are full and the server gives up.
      const template = input.pods.find((p) => p.name.startsWith("nginx") && p.podIp)!;
      const many = Array.from({ length: 300 }, (_, i) => ({
        ...template,
        name: `flood-${i}-${"x".repeat(200)}`,
        uid: `f${i}`,
      }));
      for (let round = 0; feed.viewers > 0 && Date.now() < deadline; round++) {
        source.change(round % 2 ? input : { ...input, pods: [...input.pods, ...many] });
        await new Promise((r) => setTimeout(r, 5));
      }
      assert.equal(feed.viewers, 0, "the stalled viewer was dropped");
      const fresh = new SseClient();
      await fresh.connect(`${base.origin}/api/stream`);
      await fresh.waitFor((e) => e.event === "snapshot");
      fresh.close();
    } finally {
      stalled.destroy();
      await app.close();
      await feed.stop();
    }
  });
});

describe("a server still reading the cluster: loading with progress, never an empty picture", () => {
  let source: TestSource;
  /** Nodes listed, pods half-way through a paged list of 153,000. */
  const progress = (pods: number, complete: boolean): LoadingStep[] => [
    { what: "listing nodes", count: 3, total: 3, complete: true, error: null },
    { what: "listing pods", count: pods, total: 153_000, complete, error: null },
  ];
  let base: string;
  const clients: SseClient[] = [];

  let served: ServedFeed;
  before(async () => {
    source = new TestSource();
    source.steps = progress(40_000, false);
    served = await serveFeed(source, { coalesceMs: 5, statusCheckMs: 5 });
    ({ base } = served);
  });
  after(async () => {
    for (const c of clients) c.close();
    await served.stop();
  });

  it("/api/topology answers 503 with the progress, not a topology of 0 nodes", async () => {
    for (const query of ["", "?encoding=compact"]) {
      const res = await fetch(`${base}/api/topology${query}`);
      assert.equal(res.status, 503);
      assert.equal(res.headers.get("retry-after"), "2");
      const body = (await res.json()) as { error: string; message: string; loading: LoadingState };
      assert.equal(body.error, "loading");
      assert.equal(body.message, "the server is still reading the cluster: listing pods: 40,000 of 153,000");
      assert.deepEqual(
        body.loading.steps.map((st) => [st.what, st.count, st.total, st.complete]),
        [
          ["listing nodes", 3, 3, true],
          ["listing pods", 40_000, 153_000, false],
        ],
      );
      assert.ok(!("nodes" in body));
    }
    assert.equal((await fetch(`${base}/readyz`)).status, 503);
  });

  it("the stream sends loading events as the lists progress, then the snapshot and ready; a stale id gets the snapshot too", async () => {
    const fresh = new SseClient();
    // An id from an earlier run of the server (a page that reconnects after a restart).
    const resuming = new SseClient();
    clients.push(fresh, resuming);
    await fresh.connect(`${base}/api/stream?encoding=compact`);
    await resuming.connect(`${base}/api/stream`, { "last-event-id": "1700000000000" });
    for (const c of [fresh, resuming]) {
      assert.equal(c.status, 200);
      const first = await c.waitFor((e) => e.event === "loading");
      assert.equal((JSON.parse(first.data) as LoadingState).message, "listing pods: 40,000 of 153,000");
    }
    source.steps = progress(120_000, false);
    await fresh.waitFor((e) => e.event === "loading" && e.data.includes("120,000"));
    source.steps = progress(153_000, true);
    source.change(await readCaptureFolder(lab));
    for (const c of [fresh, resuming]) {
      const ready = await c.waitFor((e) => e.event === "ready");
      const kinds = c.events.map((e) => e.event);
      const at = kinds.indexOf("snapshot");
      assert.ok(at > 0, `a snapshot after the loading events: ${kinds.join(", ")}`);
      assert.ok(
        kinds.slice(0, at).every((k) => k === "loading"),
        "nothing but progress before the snapshot",
      );
      assert.ok(!kinds.includes("delta") || kinds.indexOf("delta") > at, "no delta of a half-read cluster");
      const snap = c.events[at]!;
      const topology =
        c === fresh ? decodeTopology(JSON.parse(snap.data)) : (JSON.parse(snap.data) as Topology);
      assert.equal(topology.nodes.length, 3);
      assert.ok(topology.pods.length > 0);
      assert.equal((JSON.parse(ready.data) as { seq: number }).seq, topology.seq);
    }
    const res = await fetch(`${base}/api/topology`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as Topology).nodes.length, 3);
  });
});

describe("the stream over real HTTP", () => {
  let source: TestSource;
  let app: FastifyInstance;
  let base: string;
  const clients: SseClient[] = [];

  const client = async (headers: Record<string, string> = {}) => {
    const c = new SseClient();
    clients.push(c);
    await c.connect(`${base}/api/stream`, headers);
    return c;
  };

  /** The lab plus one more nginx pod on the third node's warm IP 192.168.3.21. */
  const withNewPod = (input: ClusterInput, name: string, ip: string): ClusterInput => {
    const template = input.pods.find((p) => p.name.startsWith("nginx") && p.phase === "Running")!;
    return {
      ...input,
      pods: [
        ...input.pods,
        {
          ...template,
          name,
          uid: name,
          nodeName: "ip-192-168-3-10.ap-northeast-2.compute.internal",
          podIp: ip,
        },
      ],
    };
  };

  let served: ServedFeed;
  before(async () => {
    source = new TestSource(await readCaptureFolder(lab));
    served = await serveFeed(source, { coalesceMs: 10, deltaRingSize: 4 });
    ({ app, base } = served);
  });
  after(async () => {
    for (const c of clients) c.close();
    await served.stop();
  });

  it("sends a snapshot first, then a small delta that applies to it and gives the served topology", async () => {
    const c = await client();
    assert.equal(c.status, 200);
    assert.match(String(c.headers["content-type"]), /^text\/event-stream/);
    assert.equal(c.headers["content-encoding"], undefined, "events must not wait in a compressor");
    assert.ok(c.headers["content-security-policy"]);
    const snap = await c.waitFor((e) => e.event === "snapshot");
    const snapshot = JSON.parse(snap.data) as Topology;
    assert.equal(snap.id, String(snapshot.seq));

    source.change(withNewPod(source.input!, "nginx-deployment-7c79c4bf97-ddddd", "192.168.3.21"));
    const ev = await c.waitFor((e) => e.event === "delta", 5000, "delta");
    const delta = JSON.parse(ev.data) as TopologyDelta;
    assert.equal(ev.id, String(snapshot.seq + 1));
    assert.deepEqual(
      delta.pods?.upsert.map((p) => [p.name, p.ip, p.eni]),
      [["nginx-deployment-7c79c4bf97-ddddd", "192.168.3.21", "eni-030bbbbbbbbbbbbb"]],
    );
    assert.deepEqual(
      delta.nodes?.patch?.map((n) => n.key),
      ["ip-192-168-3-10.ap-northeast-2.compute.internal"],
    );
    assert.deepEqual(
      delta.nodes?.patch?.[0]?.enis?.flatMap((e) => e.pods ?? []).map(([, pod]) => pod),
      ["default/nginx-deployment-7c79c4bf97-ddddd"],
      "the node travels as the one slot that changed",
    );
    assert.ok(
      ev.data.length * 2 < snap.data.length,
      `delta ${ev.data.length} B vs snapshot ${snap.data.length} B`,
    );

    const served = (await app.inject({ method: "GET", url: "/api/topology" })).json() as Topology;
    assert.deepEqual(applyDelta(snapshot, delta), served);
  });

  it("sends the snapshot in the compact form when asked, and the same deltas", async () => {
    const c = new SseClient();
    clients.push(c);
    await c.connect(`${base}/api/stream?encoding=compact`, {});
    const snap = await c.waitFor((e) => e.event === "snapshot");
    const snapshot = decodeTopology(JSON.parse(snap.data));
    assert.equal(snap.id, String(snapshot.seq));
    source.change(withNewPod(source.input!, "nginx-deployment-7c79c4bf97-cmpct", "192.168.3.24"));
    const ev = await c.waitFor(
      (e) => e.event === "delta" && Number(e.id) === snapshot.seq + 1,
      5000,
      "delta",
    );
    const served = (await app.inject({ method: "GET", url: "/api/topology" })).json() as Topology;
    assert.deepEqual(applyDelta(snapshot, JSON.parse(ev.data) as TopologyDelta), served);
  });

  it("compresses the stream for a viewer that accepts gzip, flushing every event", async () => {
    const c = await client({ "accept-encoding": "gzip" });
    assert.equal(c.headers["content-encoding"], "gzip");
    const snap = await c.waitFor((e) => e.event === "snapshot");
    const seq = Number(snap.id);
    source.change(withNewPod(source.input!, "nginx-deployment-7c79c4bf97-gzip1", "192.168.3.23"));
    // The stream stays open: the delta can only arrive if the compressor was flushed after it.
    const delta = await c.waitFor((e) => e.event === "delta" && Number(e.id) === seq + 1, 5000, "the delta");
    assert.match(delta.data, /gzip1/);
  });

  it("sends heartbeats and counts the viewers in /metrics", async () => {
    const c = await client();
    await c.waitFor((e) => e.event === "snapshot");
    // Waited for, not slept on: a loaded machine may run the heartbeat's timer late.
    const deadline = Date.now() + 20_000;
    while (c.comments < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.ok(c.comments >= 1, "a heartbeat comment arrived");
    const metrics = (await app.inject({ method: "GET", url: "/metrics" })).body;
    const viewers = Number(/^eniview_viewers (\d+)$/m.exec(metrics)?.[1]);
    assert.ok(viewers >= 1);
  });

  it("resumes from Last-Event-ID with only the missed deltas, or a snapshot when they are gone", async () => {
    const first = await client();
    const snap = await first.waitFor((e) => e.event === "snapshot");
    const seq = Number(snap.id);
    source.change(withNewPod(source.input!, "nginx-deployment-7c79c4bf97-eeeee", "192.168.3.22"));
    await first.waitFor((e) => e.event === "delta" && Number(e.id) === seq + 1);
    first.close();

    const resumed = await client({ "last-event-id": String(seq) });
    const missed = await resumed.waitFor((e) => e.event === "delta" || e.event === "snapshot");
    assert.equal(missed.event, "delta");
    assert.equal(missed.id, String(seq + 1));

    // The ring keeps 4 deltas: after 5 more changes, seq is too old to resume from.
    for (let i = 0; i < 5; i++) {
      source.change(withNewPod(source.input!, `nginx-extra-${i}`, `192.168.2.${42 + i}`));
      await resumed.waitFor((e) => e.event === "delta" && Number(e.id) === seq + 2 + i);
    }
    const late = await client({ "last-event-id": String(seq) });
    const again = await late.waitFor((e) => e.event === "delta" || e.event === "snapshot");
    assert.equal(again.event, "snapshot");
  });
});

describe("a stream and a topology written in small pieces", () => {
  it("deliver the snapshot and the deltas whole and in order, plain and gzip", async () => {
    const input = await readCaptureFolder(lab);
    const source = new TestSource(input);
    const feed = new TopologyFeed(source, { coalesceMs: 1 });
    await feed.start();
    // 97 characters: the lab's snapshot goes out in a few hundred pieces, cut anywhere.
    const app = await buildApp({ feed, webDist: null, streamPieceChars: 97 });
    const base = await app.listen({ host: "127.0.0.1", port: 0 });
    const viewers = [new SseClient(), new SseClient(), new SseClient()];
    try {
      await viewers[0]!.connect(`${base}/api/stream`, {});
      await viewers[1]!.connect(`${base}/api/stream`, { "accept-encoding": "gzip" });
      await viewers[2]!.connect(`${base}/api/stream?encoding=compact`, { "accept-encoding": "gzip" });
      const served = await app.inject({ method: "GET", url: "/api/topology" });
      const compact = await app.inject({ method: "GET", url: "/api/topology?encoding=compact" });
      const snaps = await Promise.all(viewers.map((v) => v.waitFor((e) => e.event === "snapshot")));
      assert.ok(served.body.length > 50 * 97);
      assert.deepEqual(JSON.parse(served.body), feed.topology());
      const gzipped = await app.inject({
        method: "GET",
        url: "/api/topology",
        headers: { "accept-encoding": "gzip" },
      });
      assert.equal(gzipped.headers["content-encoding"], "gzip");
      assert.equal(gunzipSync(gzipped.rawPayload).toString("utf8"), served.body);
      assert.equal(snaps[0]!.data, served.body);
      assert.equal(snaps[1]!.data, served.body);
      assert.equal(snaps[2]!.data, compact.body);
      const seq = Number(snaps[0]!.id);
      const template = input.pods.find((p) => p.name.startsWith("nginx") && p.phase === "Running")!;
      const pods = [...input.pods];
      for (let i = 0; i < 3; i++) {
        pods.push({ ...template, name: `piece-${i}`, uid: `piece-${i}`, podIp: `192.168.2.${60 + i}` });
        source.change({ ...input, pods: [...pods] });
        await viewers[0]!.waitFor((e) => e.event === "delta" && Number(e.id) === seq + 1 + i);
      }
      for (const v of viewers) {
        let topology = JSON.parse(snaps[0]!.data) as Topology;
        for (let i = 0; i < 3; i++) {
          const ev = await v.waitFor((e) => e.event === "delta" && Number(e.id) === seq + 1 + i);
          topology = applyDelta(topology, JSON.parse(ev.data) as TopologyDelta);
        }
        const now = (await app.inject({ method: "GET", url: "/api/topology" })).json() as Topology;
        assert.deepEqual(topology, now);
      }
    } finally {
      for (const v of viewers) v.close();
      await app.close();
      await feed.stop();
    }
  });
});
