// Freeze snapshots as a reviewer relies on them: a permalink opens the same state later (also after the
// server restarts), bad and unknown ids get a clear 404, and the store stays bounded (size, count,
// expiry, rate) with a file only its owner can read.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { gunzipSync } from "node:zlib";
import type { Topology } from "@eni-view/model";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../app.ts";
import { DumpSource } from "../sources/dumpSource.ts";
import { TopologyFeed } from "../topologyFeed.ts";
import { type FrozenTopology, isSnapshotId, parseDuration, SnapshotStore } from "./store.ts";

const lab = new URL("../fixtures/lab-2-replicas", import.meta.url).pathname;

function fakeTopology(seq: number, extra = ""): Topology {
  return {
    seq,
    generatedAt: "2026-11-23T10:00:00.000Z",
    source: "cluster",
    sources: {},
    nodes: [],
    pods: [],
    pending: [],
    subnets: [],
    zones: [],
    detachedEnis: [],
    warnings: extra ? [extra] : [],
  } as unknown as Topology;
}

describe("snapshot store", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "eni-view-snap-"));
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("stores gzip-compressed under a 128-bit base64url id and reads the same topology back", async () => {
    const store = await SnapshotStore.open({ path: join(dir, "s.db"), now: () => 1_000_000 });
    const frozen = await store.create(fakeTopology(41));
    assert.ok(isSnapshotId(frozen.id));
    assert.equal(Buffer.from(frozen.id, "base64url").length, 16);
    assert.equal(frozen.from, "cluster");
    assert.equal(frozen.frozenAt, new Date(1_000_000).toISOString());
    const gz = store.readCompressed(frozen.id);
    assert.ok(gz && gz[0] === 0x1f && gz[1] === 0x8b, "stored as gzip");
    const back = JSON.parse(gunzipSync(gz).toString()) as FrozenTopology;
    assert.equal(back.seq, 41);
    assert.equal(back.source, "snapshot");
    assert.deepEqual(back.frozen, frozen);
    const ids = new Set([frozen.id, (await store.create(fakeTopology(42))).id]);
    assert.equal(ids.size, 2);
    store.close();
  });

  it("creates the file readable by its owner only", async () => {
    const path = join(dir, "sub", "s.db");
    const store = await SnapshotStore.open({ path });
    await store.create(fakeTopology(1));
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal((await stat(join(dir, "sub"))).mode & 0o077, 0);
    store.close();
  });

  it("expires snapshots after the TTL", async () => {
    let now = 5_000_000;
    const store = await SnapshotStore.open({ path: join(dir, "s.db"), ttlMs: 3600_000, now: () => now });
    const { id, expiresAt } = await store.create(fakeTopology(1));
    assert.equal(expiresAt, new Date(5_000_000 + 3600_000).toISOString());
    now += 3599_000;
    assert.ok(store.readCompressed(id));
    now += 1_000;
    assert.equal(store.readCompressed(id), null, "expired exactly at expiresAt");
    assert.equal(store.expire(), 1, "and removed from the file");
    assert.equal(store.count(), 0);
    store.close();
  });

  it("keeps at most maxCount, dropping the oldest", async () => {
    let now = 1;
    const store = await SnapshotStore.open({ path: join(dir, "s.db"), maxCount: 3, now: () => now++ });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await store.create(fakeTopology(i))).id);
    assert.equal(store.count(), 3);
    assert.equal(store.readCompressed(ids[0]!), null);
    assert.equal(store.readCompressed(ids[1]!), null);
    for (const id of ids.slice(2)) assert.ok(store.readCompressed(id), id);
    store.close();
  });

  it("refuses a snapshot over the size limit and stores nothing", async () => {
    const store = await SnapshotStore.open({ path: join(dir, "s.db"), maxCompressedBytes: 2048 });
    // Random text does not compress: well over 2 KB gzipped.
    const big = fakeTopology(1, (await import("node:crypto")).randomBytes(8192).toString("hex"));
    await assert.rejects(store.create(big), (e: Error & { status?: number }) => {
      assert.equal(e.status, 413);
      assert.match(e.message, /limited to/);
      return true;
    });
    assert.equal(store.count(), 0);
    store.close();
  });

  it("rate-limits creation and says when to retry", async () => {
    let now = 10_000;
    const store = await SnapshotStore.open({
      path: join(dir, "s.db"),
      createsPerWindow: 2,
      windowMs: 60_000,
      now: () => now,
    });
    await store.create(fakeTopology(1));
    await store.create(fakeTopology(2));
    await assert.rejects(
      store.create(fakeTopology(3)),
      (e: Error & { status?: number; retryAfterS?: number }) => {
        assert.equal(e.status, 429);
        assert.equal(e.retryAfterS, 60);
        return true;
      },
    );
    now += 60_001;
    await store.create(fakeTopology(4));
    assert.equal(store.count(), 3);
    store.close();
  });

  it("keeps the rate limit in the file: a restart or a second server on it does not start afresh", async () => {
    const now = 10_000;
    const path = join(dir, "s.db");
    const options = { path, createsPerWindow: 2, windowMs: 60_000, now: () => now };
    const first = await SnapshotStore.open(options);
    await first.create(fakeTopology(1));
    first.close();
    const restarted = await SnapshotStore.open(options);
    const replica = await SnapshotStore.open(options);
    await replica.create(fakeTopology(2));
    await assert.rejects(restarted.create(fakeTopology(3)), (e: Error & { status?: number }) => {
      assert.equal(e.status, 429);
      return true;
    });
    assert.equal(restarted.count(), 2);
    restarted.close();
    replica.close();
  });

  /** A view whose compressed size is about `bytes` (random text does not compress). */
  const bulky = (seq: number, bytes: number) =>
    fakeTopology(seq, crypto.randomBytes(bytes).toString("base64"));

  it("refuses with 507 past its byte budget, saying how full it is, and keeps what it has", async () => {
    const store = await SnapshotStore.open({ path: join(dir, "s.db"), maxTotalBytes: 1024 * 1024 });
    const kept = await store.create(bulky(1, 600_000));
    await assert.rejects(store.create(bulky(2, 600_000)), (e: Error & { status?: number; code?: string }) => {
      assert.equal(e.status, 507);
      assert.equal(e.code, "snapshot-budget-full");
      assert.match(
        e.message,
        /holds 0\.6 MB of its 1\.0 MB and this view needs 0\.6 MB.*--snapshot-max-size/,
      );
      return true;
    });
    assert.equal(store.count(), 1);
    assert.ok(store.readCompressed(kept.id));
    assert.ok(store.bytes() <= 1024 * 1024);
    store.close();
  });

  it("answers 507 naming the file when its disk is full", async () => {
    const path = join(dir, "s.db");
    const store = await SnapshotStore.open({ path });
    // SQLite's own cap on the file stands in for a full disk: the write fails with SQLITE_FULL.
    const db = (store as unknown as { db: { exec(sql: string): void } }).db;
    db.exec("PRAGMA max_page_count = 12");
    await assert.rejects(store.create(bulky(1, 200_000)), (e: Error & { status?: number; code?: string }) => {
      assert.equal(e.status, 507);
      assert.equal(e.code, "no-space");
      assert.ok(e.message.startsWith(`the disk holding the snapshot file ${path} is full`));
      return true;
    });
    assert.equal(store.count(), 0);
    store.close();
  });

  it("refuses a file with another program's snapshots table, or a newer eni-view's, naming it", async () => {
    const { DatabaseSync } = await import("node:sqlite");
    const foreign = join(dir, "foreign.db");
    const db = new DatabaseSync(foreign);
    db.exec("CREATE TABLE snapshots (id TEXT, taken TEXT); INSERT INTO snapshots VALUES ('a', 'b');");
    db.close();
    await assert.rejects(SnapshotStore.open({ path: foreign }), (e: Error) => {
      assert.equal(e.name, "SnapshotSchemaError");
      assert.equal(
        e.message,
        `${foreign} has a "snapshots" table that is not eni-view's (no created_at, expires_at, bytes, data column): it belongs to another program or version; choose another --snapshot-db`,
      );
      return true;
    });
    // Nothing was written to it.
    const after = new DatabaseSync(foreign);
    const tables = after.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
      name: string;
    }[];
    assert.deepEqual(
      tables.map((r) => r.name),
      ["snapshots"],
    );
    after.close();
    const newer = join(dir, "newer.db");
    (await SnapshotStore.open({ path: newer })).close();
    const bump = new DatabaseSync(newer);
    bump.exec("UPDATE snapshot_format SET version = 7");
    bump.close();
    await assert.rejects(
      SnapshotStore.open({ path: newer }),
      /newer\.db was written by a newer eni-view \(snapshot format 7; this one reads 1\)/,
    );
  });

  it("says clearly when the file is not a database", async () => {
    const path = join(dir, "junk.db");
    await writeFile(path, "this is not sqlite, just text long enough to have a header ".repeat(10));
    await assert.rejects(
      SnapshotStore.open({ path }),
      /cannot be used as the snapshot database.*--snapshot-db/,
    );
  });

  it("parses --snapshot-ttl durations", () => {
    assert.equal(parseDuration("30d", "snapshot-ttl"), 30 * 86_400_000);
    assert.equal(parseDuration("90m", "snapshot-ttl"), 90 * 60_000);
    assert.throws(() => parseDuration("30", "snapshot-ttl"), /--snapshot-ttl must be a duration/);
    assert.throws(() => parseDuration("5s", "snapshot-ttl"), /from 1m to 366d/);
    assert.throws(() => parseDuration("999d", "snapshot-ttl"), /from 1m to 366d/);
  });
});

describe("snapshot routes", () => {
  let dir: string;
  let feed: TopologyFeed;
  const apps: FastifyInstance[] = [];
  const stores: SnapshotStore[] = [];

  async function startApp(): Promise<FastifyInstance> {
    const store = await SnapshotStore.open({ path: join(dir, "snapshots.db") });
    const app = await buildApp({ feed, webDist: null, snapshots: store });
    stores.push(store);
    apps.push(app);
    return app;
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "eni-view-snaproutes-"));
    feed = new TopologyFeed(new DumpSource(lab));
    await feed.start();
  });
  after(async () => {
    for (const app of apps) await app.close();
    for (const s of stores) s.close();
    await feed.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("POST freezes the current view; the permalink opens it again after a restart on the same file", async () => {
    const app = await startApp();
    const res = await app.inject({ method: "POST", url: "/api/snapshots" });
    assert.equal(res.statusCode, 201, res.body);
    const { id, url, frozenAt } = res.json() as { id: string; url: string; frozenAt: string };
    assert.ok(isSnapshotId(id));
    assert.equal(url, `/?snapshot=${id}`);
    assert.equal(res.headers.location, `/api/snapshots/${id}`);
    const live = feed.topology();
    await app.close();
    stores[0]!.close();

    // A new server process: new store, new app, same file.
    const again = await startApp();
    const got = await again.inject({ url: `/api/snapshots/${id}` });
    assert.equal(got.statusCode, 200);
    const t = got.json() as FrozenTopology;
    assert.equal(t.source, "snapshot");
    assert.equal(t.frozen.from, "dump");
    assert.equal(t.frozen.frozenAt, frozenAt);
    assert.deepEqual(t.nodes, live.nodes);
    assert.deepEqual(t.pods, live.pods);
    assert.deepEqual(t.pending, live.pending);
    assert.equal(t.seq, live.seq);

    // A browser taking gzip gets the stored bytes as they are.
    const gz = await again.inject({
      url: `/api/snapshots/${id}`,
      headers: { "accept-encoding": "gzip, br" },
    });
    assert.equal(gz.headers["content-encoding"], "gzip");
    assert.deepEqual(JSON.parse(gunzipSync(gz.rawPayload).toString()), t);
  });

  it("answers unknown and malformed ids with a clear JSON 404", async () => {
    const app = apps.at(-1) ?? (await startApp());
    const unknown = await app.inject({ url: "/api/snapshots/AAAAAAAAAAAAAAAAAAAAAA" });
    assert.equal(unknown.statusCode, 404);
    assert.deepEqual(unknown.json(), {
      error: "snapshot-not-found",
      message: "snapshot AAAAAAAAAAAAAAAAAAAAAA was not found or has expired",
      // The same words by key, which the page says in its language.
      key: "snapshot.notFound",
      values: { id: "AAAAAAAAAAAAAAAAAAAAAA" },
    });
    for (const bad of ["short", "AAAAAAAAAAAAAAAAAAAAAAA", "..%2F..%2Fetc%2Fpasswd", "%3Cimg%3E"]) {
      const res = await app.inject({ url: `/api/snapshots/${bad}` });
      assert.equal(res.statusCode, 404, bad);
      assert.match((res.json() as { message: string }).message, /is not a snapshot id/);
    }
  });

  it("answers the page at a dead permalink with HTTP 404 (the page itself explains), a live one with 200", async () => {
    const app = apps.at(-1) ?? (await startApp());
    const made = await app.inject({ method: "POST", url: "/api/snapshots" });
    const { id } = made.json() as { id: string };
    const live = await app.inject({ url: `/?snapshot=${id}`, headers: { accept: "text/html" } });
    assert.equal(live.statusCode, 200);
    for (const bad of ["AAAAAAAAAAAAAAAAAAAAAA", "nope"]) {
      const res = await app.inject({ url: `/?snapshot=${bad}`, headers: { accept: "text/html" } });
      assert.equal(res.statusCode, 404, bad);
      assert.match(String(res.headers["content-type"]), /^text\/html/);
    }
    assert.equal((await app.inject({ url: "/", headers: { accept: "text/html" } })).statusCode, 200);
  });

  it("refuses a Freeze from another site's page", async () => {
    const app = apps.at(-1) ?? (await startApp());
    const res = await app.inject({
      method: "POST",
      url: "/api/snapshots",
      headers: { "sec-fetch-site": "cross-site" },
    });
    assert.equal(res.statusCode, 403);
  });

  it("refuses a Freeze whose Origin is not this server, even without Sec-Fetch-Site", async () => {
    const app = apps.at(-1) ?? (await startApp());
    const freeze = (headers: Record<string, string>) =>
      app.inject({
        method: "POST",
        url: "/api/snapshots",
        headers: { host: "eni-view.example:8080", ...headers },
      });
    for (const origin of ["https://evil.example", "http://eni-view.example", "null", "not a url"]) {
      const res = await freeze({ origin });
      assert.equal(res.statusCode, 403, origin);
      assert.match(res.json().message, /only be made from eni-view's own page/);
    }
    // Its own page (any scheme: a TLS proxy may sit in front), and a script that sends no Origin.
    assert.equal((await freeze({ origin: "https://eni-view.example:8080" })).statusCode, 201);
    assert.equal((await freeze({})).statusCode, 201);
  });
});
