// Slowloris and idle connections against the real HTTP server on 127.0.0.1: requests that never finish
// their headers are closed by the server while /livez keeps answering, kept-alive idle connections are
// closed, and a stream (a request long since complete) is not. Bounded: a few hundred sockets, every wait
// ends on an event, and the suite's timeout stops it if the server never closes them.
import assert from "node:assert/strict";
import { once } from "node:events";
import { connect, type Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import type { FastifyInstance } from "fastify";
import { buildApp } from "./app.ts";
import { DumpSource } from "./sources/dumpSource.ts";
import { SseClient } from "./testing/sseClient.ts";
import { TopologyFeed } from "./topologyFeed.ts";

const lab = new URL("./fixtures/lab-2-replicas", import.meta.url).pathname;

describe("HTTP timeouts", { timeout: 60_000 }, () => {
  let feed: TopologyFeed;
  let app: FastifyInstance;
  let port: number;

  before(async () => {
    feed = new TopologyFeed(new DumpSource(lab));
    await feed.start();
    app = await buildApp({
      feed,
      webDist: null,
      heartbeatMs: 50,
      timeouts: { headersMs: 300, requestMs: 400, keepAliveMs: 200, checkMs: 100 },
    });
    const url = await app.listen({ host: "127.0.0.1", port: 0 });
    port = Number(new URL(url).port);
  });
  after(async () => {
    await app.close();
    await feed.stop();
  });

  /** A socket that sends the start of a request and then nothing. */
  async function slowloris(): Promise<Socket> {
    const socket = connect(port, "127.0.0.1");
    await once(socket, "connect");
    socket.write("GET /livez HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
    socket.on("error", () => {});
    socket.resume();
    return socket;
  }

  it("closes requests that never finish their headers, and answers /livez meanwhile", async () => {
    const sockets = await Promise.all(Array.from({ length: 300 }, slowloris));
    const closed = sockets.map((s) => once(s, "close"));
    const live = await fetch(`http://127.0.0.1:${port}/livez`);
    assert.equal(live.status, 200);
    assert.deepEqual(await live.json(), { status: "ok" });
    // Every one is closed by the server (408 or a reset); without the timeouts this never ends.
    await Promise.all(closed);
    assert.ok(sockets.every((s) => s.destroyed));
  });

  it("closes an idle kept-alive connection", async () => {
    const socket = connect(port, "127.0.0.1");
    await once(socket, "connect");
    socket.write("GET /livez HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    let answer = "";
    socket.setEncoding("utf8");
    socket.on("data", (d: string) => {
      answer += d;
    });
    await once(socket, "close");
    assert.match(answer, /^HTTP\/1\.1 200 OK/);
    assert.match(answer, /keep-alive/i);
  });

  it("leaves a stream open well past the request timeout", async () => {
    const client = new SseClient();
    await client.connect(`http://127.0.0.1:${port}/api/stream`);
    await client.waitFor((e) => e.event === "ready");
    // Heartbeats every 50 ms: 20 of them is 1 s, past the 400 ms request and 300 ms headers timeouts.
    while (client.comments < 20) await new Promise((r) => setTimeout(r, 50));
    assert.equal(client.status, 200);
    client.close();
  });
});
