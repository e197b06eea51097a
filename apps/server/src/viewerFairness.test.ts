// Viewer fairness over real HTTP on 127.0.0.1: streams per address are capped with a reason the page can
// read, and a stream that takes nothing gives its place to a viewer that reads.
import assert from "node:assert/strict";
import http from "node:http";
import { after, before, describe, it } from "node:test";
import type { ClusterInput, PodInput } from "@eni-view/model";
import type { FastifyInstance } from "fastify";
import { buildApp } from "./app.ts";
import { readCaptureFolder } from "./sources/dump/index.ts";
import { SseClient } from "./testing/sseClient.ts";
import { TestSource } from "./testing/testSource.ts";
import { TopologyFeed } from "./topologyFeed.ts";

const lab = new URL("./fixtures/lab-2-replicas", import.meta.url).pathname;

/** The lab with 40,000 Pending pods (withPending): a topology of tens of megabytes, more than the
 * loopback socket buffers hold, so a client that never reads leaves its stream stuck. */
function withPending(input: ClusterInput, n: number): ClusterInput {
  const template = input.pods.find((p) => p.name.startsWith("nginx"))!;
  const pods: PodInput[] = [...input.pods];
  for (let i = 0; i < n; i++) {
    pods.push({
      ...template,
      name: `waiting-${i}`,
      uid: `waiting-${i}`,
      nodeName: null,
      podIp: null,
      phase: "Pending",
    });
  }
  return { ...input, pods };
}

describe("viewer fairness", { timeout: 60_000 }, () => {
  let feed: TopologyFeed;
  let app: FastifyInstance;
  let base: string;
  const open: (() => void)[] = [];

  before(async () => {
    feed = new TopologyFeed(new TestSource(withPending(await readCaptureFolder(lab), 40_000)));
    await feed.start();
    app = await buildApp({
      feed,
      webDist: null,
      maxViewers: 2,
      viewerLimits: { perAddress: 2, stalledYieldMs: 0, stalledDropMs: 3_600_000 },
    });
    base = await app.listen({ host: "127.0.0.1", port: 0 });
  });
  after(async () => {
    for (const close of open) close();
    await app.close();
    await feed.stop();
  });

  const reader = async () => {
    const c = new SseClient();
    open.push(() => c.close());
    await c.connect(`${base}/api/stream?encoding=compact`);
    return c;
  };

  it("a page past the per-address cap is told why in an event; a script gets 429 and the reason", async () => {
    const a = await reader();
    const b = await reader();
    await a.waitFor((e) => e.event === "ready");
    await b.waitFor((e) => e.event === "ready");
    const page = await reader();
    const refused = await page.waitFor((e) => e.event === "refused");
    const body = JSON.parse(refused.data);
    assert.match(body.reason, /at most 2 live streams from one address \(127\.0\.0\.1\)/);
    // The same as a key of the server catalogue and its values, which a page says in its own language.
    assert.equal(body.key, "stream.reason.too-many-streams-from-address");
    assert.deepEqual(body.values, { max: 2, address: "127.0.0.1" });
    assert.ok(!page.events.some((e) => e.event === "snapshot"));
    const script = await fetch(`${base}/api/stream`);
    assert.equal(script.status, 429);
    const answer = (await script.json()) as { error: string; key: string; values: object };
    assert.equal(answer.error, "too-many-streams-from-address");
    assert.equal(answer.key, "stream.reason.too-many-streams-from-address");
    assert.deepEqual(answer.values, { max: 2, address: "127.0.0.1" });
    a.close();
    b.close();
    page.close();
  });

  it("a stream that takes nothing gives its place to a viewer that reads", async () => {
    // Wait for the two closed readers' places to be free.
    for (let free = false; !free; ) {
      const res = await fetch(`${base}/api/stream`, { method: "HEAD" });
      free =
        res.status === 200 &&
        (await fetch(`${base}/metrics`).then((r) => r.text())).includes("eniview_viewers 0");
      if (!free) await new Promise((r) => setTimeout(r, 20));
    }

    // Two plain streams whose reader never reads: their 40,000-pod snapshots fill the socket buffers.
    const stalled: { req: http.ClientRequest; res: http.IncomingMessage }[] = [];
    for (let i = 0; i < 2; i++) {
      await new Promise<void>((resolve) => {
        const req = http.get(`${base}/api/stream`, { headers: { accept: "text/event-stream" } }, (res) => {
          res.pause();
          res.socket.pause();
          stalled.push({ req, res });
          resolve();
        });
      });
    }
    open.push(() => {
      for (const s of stalled) s.req.destroy();
    });
    // The server is full. A reader gets in as soon as a stalled stream counts as stuck (at once here).
    let admitted: SseClient | null = null;
    while (!admitted) {
      const c = await reader();
      const first = await c.waitFor(
        (e) => e.event === "refused" || e.event === "snapshot" || e.event === "ready",
      );
      if (first.event === "refused") {
        assert.match(JSON.parse(first.data).reason, /every one of them is reading/);
        c.close();
        await new Promise((r) => setTimeout(r, 20));
      } else admitted = c;
    }
    await admitted.waitFor((e) => e.event === "ready");
    // The stream that gave up its place is ended by the server: read on, its reader sees the end.
    const ended = stalled.map(
      ({ res }) =>
        new Promise<void>((resolve) => {
          res.on("close", () => resolve());
          res.on("error", () => resolve());
          res.resume();
          res.socket.resume();
        }),
    );
    await Promise.race(ended);
  });
});

describe("viewer fairness per access token", () => {
  const teamA = "team-a-token-0123456789";
  const teamB = "team-b-token-0123456789";
  let feed: TopologyFeed;
  let app: FastifyInstance;
  let base: string;
  const open: SseClient[] = [];

  before(async () => {
    feed = new TopologyFeed(new TestSource(await readCaptureFolder(lab)));
    await feed.start();
    app = await buildApp({
      feed,
      webDist: null,
      authToken: [teamA, teamB],
      viewerLimits: { perAddress: 10, perToken: 2, stalledDropMs: 3_600_000 },
    });
    base = await app.listen({ host: "127.0.0.1", port: 0 });
  });
  after(async () => {
    for (const c of open) c.close();
    await app.close();
    await feed.stop();
  });

  const reader = async (token: string) => {
    const c = new SseClient();
    open.push(c);
    await c.connect(`${base}/api/stream?encoding=compact`, { authorization: `Bearer ${token}` });
    return c;
  };

  it("one token's streams are capped, with the reason and no token in it; another token's viewer still gets in", async () => {
    for (const c of [await reader(teamA), await reader(teamA)]) await c.waitFor((e) => e.event === "ready");
    const third = await reader(teamA);
    const refused = await third.waitFor((e) => e.event === "refused" || e.event === "snapshot");
    assert.equal(refused.event, "refused");
    const { error, reason } = JSON.parse(refused.data) as { error: string; reason: string };
    assert.equal(error, "too-many-streams-for-token");
    assert.match(reason, /at most 2 live streams share one access token \(token 1\)/);
    assert.ok(!reason.includes(teamA));
    const script = await fetch(`${base}/api/stream`, { headers: { authorization: `Bearer ${teamA}` } });
    assert.equal(script.status, 429);
    await script.body?.cancel();
    const other = await reader(teamB);
    await other.waitFor((e) => e.event === "ready");
  });
});
