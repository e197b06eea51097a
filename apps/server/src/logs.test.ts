// What an operator reads in the log: one JSON line per request, named by its path only (the token can be
// in the query), the cause of every 5xx, and why a Freeze was refused for space.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { after, before, describe, it } from "node:test";
import type { FastifyInstance } from "fastify";
import { buildApp } from "./app.ts";
import { SnapshotStore } from "./snapshots/store.ts";
import { DumpSource } from "./sources/dumpSource.ts";
import { TopologyFeed } from "./topologyFeed.ts";

const lab = new URL("./fixtures/lab-2-replicas", import.meta.url).pathname;

describe("the server's log", () => {
  let feed: TopologyFeed;
  let dir: string;
  let text = "";
  const stream = new PassThrough();
  stream.on("data", (d: Buffer) => {
    text += d.toString();
  });
  const lines = () =>
    text
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  const apps: FastifyInstance[] = [];
  const app = async (options: Partial<Parameters<typeof buildApp>[0]> = {}) => {
    const a = await buildApp({ feed, webDist: null, logLevel: "info", logStream: stream, ...options });
    apps.push(a);
    return a;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "eni-view-logs-"));
    feed = new TopologyFeed(new DumpSource(lab));
    await feed.start();
  });
  after(async () => {
    for (const a of apps) await a.close();
    await feed.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("writes one JSON line per request with its path, status and time, never the query string", async () => {
    const a = await app();
    text = "";
    await a.inject({ url: "/api/topology?token=sekrit-0123456789abcdef&x=1" });
    await a.inject({ url: "/api/history" });
    await a.inject({ url: "/livez" });
    const requests = lines().filter((l) => l.msg === "request");
    assert.deepEqual(
      requests.map((l) => [l.method, l.path, l.status, l.level]),
      [
        ["GET", "/api/topology", 400, 30],
        ["GET", "/api/history", 200, 30],
      ],
      "probes only at debug",
    );
    assert.ok(requests.every((l) => typeof l.ms === "number" && typeof l.time === "number"));
    assert.ok(!text.includes("sekrit"), "the query string never reaches the log");
  });

  it("logs the cause of a 500 while the answer stays generic", async () => {
    const store = await SnapshotStore.open({ path: join(dir, "closed.db") });
    const a = await app({ snapshots: store });
    store.close();
    text = "";
    const res = await a.inject({ method: "POST", url: "/api/snapshots" });
    assert.equal(res.statusCode, 500);
    assert.deepEqual(res.json(), { error: "internal", message: "internal server error" });
    const error = lines().find((l) => l.level === 50);
    assert.ok(error, text);
    assert.match(String(error.msg), /^500 on \/api\/snapshots: .*database is not open/i);
    assert.match(String((error.err as { stack?: string }).stack), /store\.ts/);
  });

  it("logs why a Freeze was refused for space (507)", async () => {
    const store = await SnapshotStore.open({ path: join(dir, "tiny.db"), maxTotalBytes: 100 });
    const a = await app({ snapshots: store });
    text = "";
    const res = await a.inject({ method: "POST", url: "/api/snapshots" });
    assert.equal(res.statusCode, 507);
    assert.match(res.json().message, /of its 0\.0 MB/);
    const error = lines().find((l) => l.level === 50);
    assert.match(String(error?.msg), /^Freeze refused: the snapshot store holds 0\.0 MB of its 0\.0 MB/);
    assert.equal(error?.code, "snapshot-budget-full");
    store.close();
  });
});
