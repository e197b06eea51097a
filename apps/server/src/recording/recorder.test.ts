import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { ClusterInput, SourceStatus, Topology } from "@eni-view/model";
import { readCaptureFolder } from "../sources/dump/index.ts";
import { emptyCounters, type Source, type SourceSnapshot } from "../sources/source.ts";
import { TopologyFeed } from "../topologyFeed.ts";
import { Recorder } from "./recorder.ts";
import { RecordingError, RecordingFileError, RecordingStore } from "./recordingStore.ts";
import { rebuildAt } from "./replay.ts";

const lab = new URL("../fixtures/lab-2-replicas", import.meta.url).pathname;
const ok: SourceStatus = { stale: false, error: null, since: null, lastSuccess: "2026-12-06T14:00:00.000Z" };

class TestSource implements Source {
  readonly kind = "cluster";
  input: ClusterInput;
  ec2: SourceStatus = ok;
  restarts: Record<string, number> = {};
  notify: () => void = () => {};
  constructor(input: ClusterInput) {
    this.input = input;
  }
  async start(onChange: () => void) {
    this.notify = onChange;
  }
  snapshot(): SourceSnapshot {
    return { input: this.input, sources: { kubernetes: ok, ec2: this.ec2 }, ready: true, loaded: true };
  }
  progress() {
    return [];
  }
  counters() {
    return { ...emptyCounters(), watchRestarts: { ...this.restarts } };
  }
  async stop() {}
}

/** A cluster whose nginx Deployment has `n` more Running pods than the capture, on the capture's IPs. */
function withPods(input: ClusterInput, n: number): ClusterInput {
  const template = input.pods.find((p) => p.name.startsWith("nginx") && p.podIp)!;
  const extra = Array.from({ length: n }, (_, i) => ({
    ...template,
    name: `nginx-extra-${i}`,
    uid: `extra-${i}`,
    nodeName: null,
    podIp: null,
    phase: "Pending" as const,
    status: "Pending",
    scheduledReason: "Unschedulable",
    scheduledMessage: "0/3 nodes are available: 3 Too many pods.",
  }));
  return { ...input, pods: [...input.pods, ...extra] };
}

async function changeAndBuild(feed: TopologyFeed, source: TestSource): Promise<void> {
  const seq = feed.topology().seq;
  source.notify();
  const deadline = Date.now() + 10_000;
  while (feed.topology().seq === seq) {
    if (Date.now() > deadline) throw new Error("the feed did not publish");
    await new Promise((r) => setTimeout(r, 2));
  }
}

const withoutRecorded = (t: Topology & { recorded?: unknown }): Topology => {
  const { recorded: _, ...rest } = t;
  return rest;
};

describe("the recorder", () => {
  let dir: string;
  let input: ClusterInput;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "eni-view-rec-"));
    // The capture without its Pending pod: the recordings below start with every pod placed.
    const capture = await readCaptureFolder(lab);
    input = { ...capture, pods: capture.pods.filter((p) => p.nodeName !== null) };
  });
  after(() => rm(dir, { recursive: true, force: true }));

  async function setup(file: string, options: ConstructorParameters<typeof Object>[0] = {}) {
    let clock = Date.parse("2026-12-06T14:00:00.000Z");
    const source = new TestSource(input);
    const feed = new TopologyFeed(source, { coalesceMs: 1, statusCheckMs: 3_600_000, now: () => clock });
    await feed.start();
    const store = await RecordingStore.open(join(dir, file));
    const recorder = await Recorder.start(feed, store, {
      flushEveryMs: 3_600_000,
      now: () => clock,
      ...options,
    });
    return {
      source,
      feed,
      store,
      recorder,
      step: (ms: number) => {
        clock += ms;
        return clock;
      },
      now: () => clock,
      close: async () => {
        await recorder.close();
        await feed.stop();
        store.close();
      },
    };
  }

  it("rebuilds every recorded moment exactly as the server served it, across keyframes", async () => {
    const s = await setup("exact.db", { keyframeEveryMs: 25_000 });
    const kept: { at: number; topology: Topology }[] = [{ at: s.now(), topology: s.feed.topology() }];
    for (let i = 1; i <= 8; i++) {
      s.step(10_000);
      s.source.input = withPods(input, i % 5);
      s.source.ec2 = i === 4 ? { ...ok, stale: true, error: "RequestLimitExceeded", since: "x" } : ok;
      await changeAndBuild(s.feed, s.source);
      kept.push({ at: s.now(), topology: s.feed.topology() });
    }
    await s.recorder.flush();
    // Playing forwards (across keyframes, from the moment before), scrubbing back (from the segment's
    // keyframe) and jumping about (a keyframe decoded, or the way walked): the same moments each time.
    const backwards = [...kept].reverse();
    const jumps = [5, 0, 8, 2, 3, 7, 1, 6, 4, 8, 0].map((i) => kept[i]!);
    for (const k of [...kept, ...backwards, ...jumps]) {
      const replay = await rebuildAt(s.store, s.recorder.ring!, k.at + 5_000, {
        recording: true,
        now: s.now() + 5_000,
      });
      assert.deepEqual(withoutRecorded(replay), k.topology);
      assert.equal(replay.recorded.frameAt, k.topology.generatedAt);
    }
    const kinds = s.store.events(s.recorder.ring!).map((e) => e.kind);
    assert.ok(kinds.includes("first-pending"), kinds.join());
    assert.ok(kinds.includes("ec2-throttled"), kinds.join());
    await s.close();
  });

  it("tells a scale step once the pod count settles, and a watch restart", async () => {
    const s = await setup("events.db");
    s.step(1000);
    s.source.input = withPods(input, 3);
    await changeAndBuild(s.feed, s.source);
    const stepAt = s.now();
    s.step(500);
    s.source.input = withPods(input, 4);
    await changeAndBuild(s.feed, s.source);
    s.source.restarts = { "pods/gone": 1 };
    s.step(5_000);
    await s.recorder.flush();
    const events = s.store.events(s.recorder.ring!);
    const scale = events.filter((e) => e.kind === "scale");
    assert.equal(scale.length, 1);
    assert.equal(scale[0]!.t, stepAt);
    assert.equal(scale[0]!.to! - scale[0]!.from!, 4);
    assert.ok(events.some((e) => e.kind === "watch-dropped" && e.subject === "pods"));
    await s.close();
  });

  it("picks the ring up after a restart and marks the gap", async () => {
    const first = await setup("restart.db");
    const ring = first.recorder.ring!;
    const stoppedAt = first.now();
    await first.close();
    const second = await setup("restart.db");
    second.step(120_000);
    assert.equal(second.recorder.ring, ring);
    const gap = second.store.events(ring).find((e) => e.kind === "gap");
    assert.ok(gap, "a gap is marked");
    assert.equal(gap.t, stoppedAt);
    await second.close();
  });

  it("keeps the ring within its byte bound, a segment at a time", async () => {
    const bound = 40_000;
    const s = await setup("ring.db", { keyframeEveryMs: 5_000, ringMaxBytes: bound });
    let peak = 0;
    for (let i = 0; i < 40; i++) {
      s.step(3_000);
      s.source.input = withPods(input, (i % 6) + 1);
      await changeAndBuild(s.feed, s.source);
      await s.recorder.flush();
      peak = Math.max(peak, s.store.bytes(s.recorder.ring!));
    }
    assert.ok(peak <= bound, `ring held ${peak} bytes, bound ${bound}`);
    const info = s.store.info(s.recorder.ring!)!;
    assert.ok(Date.parse(info.from!) > Date.parse("2026-12-06T14:00:00.000Z"), "the oldest moments went");
    await assert.rejects(
      rebuildAt(s.store, s.recorder.ring!, Date.parse("2026-12-06T14:00:01.000Z")),
      (err: unknown) => err instanceof RecordingError && err.status === 416,
    );
    await s.close();
  });

  it("starts, stops and deletes a named recording, and deleting gives the space back", async () => {
    const s = await setup("named.db");
    const info = await s.recorder.startNamed("scale test 14:00");
    for (let i = 0; i < 30; i++) {
      s.step(2_000);
      s.source.input = withPods(input, (i % 5) + 1);
      await changeAndBuild(s.feed, s.source);
    }
    const stopped = await s.recorder.stopNamed(info.id);
    assert.equal(stopped.recording, false);
    assert.ok(stopped.frames > 30);
    const before = s.store.fileBytes();
    assert.equal(await s.recorder.delete(info.id), true);
    assert.equal(s.store.info(info.id), null);
    assert.ok(s.store.fileBytes() < before, `${s.store.fileBytes()} < ${before}`);
    await assert.rejects(s.recorder.startNamed("two\nlines"), RecordingError);
    await s.close();
  });

  it("refuses a file that is not a recording, one cut short and one from a newer version", async () => {
    const junk = join(dir, "junk.db");
    await writeFile(junk, "not sqlite at all".repeat(100));
    await assert.rejects(RecordingStore.open(junk, { readOnly: true }), RecordingFileError);
    const s = await setup("newer.db");
    for (let i = 1; i <= 20; i++) {
      s.step(1000);
      s.source.input = withPods(input, i);
      await changeAndBuild(s.feed, s.source);
    }
    await s.close();
    const whole = await readFile(join(dir, "newer.db"));
    const cut = join(dir, "cut.db");
    await writeFile(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    await assert.rejects(RecordingStore.open(cut, { readOnly: true }), /damaged or cut short/);
    const { DatabaseSync } = await import("node:sqlite");
    const db = new DatabaseSync(join(dir, "newer.db"));
    db.exec("UPDATE recording_format SET version = 99");
    db.close();
    await assert.rejects(RecordingStore.open(join(dir, "newer.db"), { readOnly: true }), /newer eni-view/);
  });
});
