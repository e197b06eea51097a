import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { decodeTopology, type RecordedTopology, type RecordingInfo, type Timeline } from "@eni-view/model";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../app.ts";
import { Recorder } from "../recording/recorder.ts";
import { RecordingStore } from "../recording/recordingStore.ts";
import { DumpSource } from "../sources/dumpSource.ts";
import { TopologyFeed } from "../topologyFeed.ts";

const lab = new URL("../fixtures/lab-2-replicas", import.meta.url).pathname;

describe("/api/recordings", () => {
  let dir: string;
  let app: FastifyInstance;
  let feed: TopologyFeed;
  let recorder: Recorder;
  let store: RecordingStore;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "eni-view-rec-routes-"));
    feed = new TopologyFeed(new DumpSource(lab), { coalesceMs: 1 });
    await feed.start();
    store = await RecordingStore.open(join(dir, "rec.db"));
    recorder = await Recorder.start(feed, store);
    app = await buildApp({ feed, webDist: null, recorder });
  });
  after(async () => {
    await app.close();
    await recorder.close();
    await feed.stop();
    store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("lists the always-on ring, and rebuilds its present moment as the live topology", async () => {
    const list = (await app.inject({ url: "/api/recordings" })).json() as { recordings: RecordingInfo[] };
    const ring = list.recordings.find((r) => r.kind === "ring")!;
    assert.equal(ring.recording, true);
    const live = feed.topology();
    const res = await app.inject({ url: `/api/recordings/${ring.id}/topology?at=${live.generatedAt}` });
    assert.equal(res.statusCode, 200);
    const { recorded, ...topology } = res.json() as RecordedTopology;
    assert.deepEqual(topology, live);
    assert.equal(recorded.inGap, false);
    const compact = await app.inject({
      url: `/api/recordings/${ring.id}/topology?at=${Date.parse(live.generatedAt)}&encoding=compact`,
    });
    assert.deepEqual(decodeTopology(compact.json()), res.json());
  });

  it("starts, stops and deletes a named recording; the page's site only", async () => {
    const crossSite = await app.inject({
      method: "POST",
      url: "/api/recordings",
      headers: { "sec-fetch-site": "cross-site" },
      payload: { name: "x" },
    });
    assert.equal(crossSite.statusCode, 403);
    const bad = await app.inject({ method: "POST", url: "/api/recordings", payload: { name: "" } });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().message, /needs a name/);
    const badTtl = await app.inject({
      method: "POST",
      url: "/api/recordings",
      payload: { name: "a", ttl: "3y" },
    });
    assert.equal(badTtl.statusCode, 400);
    const started = await app.inject({
      method: "POST",
      url: "/api/recordings",
      payload: { name: "scale test 14:00", ttl: "2d" },
    });
    assert.equal(started.statusCode, 201, started.body);
    const info = started.json() as RecordingInfo;
    assert.equal(info.name, "scale test 14:00");
    assert.equal(Date.parse(info.expiresAt!) - Date.parse(info.startedAt), 2 * 86_400_000);
    const stopped = await app.inject({ method: "POST", url: `/api/recordings/${info.id}/stop` });
    assert.equal((stopped.json() as RecordingInfo).recording, false);
    const timeline = (await app.inject({ url: `/api/recordings/${info.id}/timeline` })).json() as Timeline;
    assert.equal(timeline.points.length, 1);
    assert.equal(timeline.points[0]!.running, feed.topology().summary.podsRunning);
    const del = await app.inject({ method: "DELETE", url: `/api/recordings/${info.id}` });
    assert.equal(del.statusCode, 204);
    const gone = await app.inject({ url: `/api/recordings/${info.id}/timeline` });
    assert.equal(gone.statusCode, 404);
  });

  it("answers a moment outside the recording with 416 and a malformed one with 400", async () => {
    const ring = recorder.ring!;
    const early = await app.inject({ url: `/api/recordings/${ring}/topology?at=2001-01-01T00:00:00Z` });
    assert.equal(early.statusCode, 416);
    assert.match(early.json().message, /is outside recording "ring", which holds/);
    const junk = await app.inject({ url: `/api/recordings/${ring}/topology?at=yesterday` });
    assert.equal(junk.statusCode, 400);
    assert.match(junk.json().message, /is not a moment/);
    // The catalogue key and values beside the English, which the page says in its language.
    assert.equal(early.json().key, "recording.outside");
    assert.deepEqual(junk.json().values, { value: "yesterday" });
    const missing = await app.inject({ url: `/api/recordings/${ring}/topology` });
    assert.equal(missing.statusCode, 400);
  });
});
