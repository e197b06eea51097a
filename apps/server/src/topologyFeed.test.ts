import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  buildReport,
  type ClusterInput,
  type LoadingStep,
  type SourceStatus,
  type TopologyDelta,
} from "@eni-view/model";
import { readCaptureFolder } from "./sources/dump/index.ts";
import { emptyCounters, type Source, type SourceSnapshot } from "./sources/source.ts";
import { type FeedEvent, TopologyFeed } from "./topologyFeed.ts";

const lab = new URL("./fixtures/lab-2-replicas", import.meta.url).pathname;
const ok: SourceStatus = { stale: false, error: null, since: null, lastSuccess: "2026-11-23T10:00:00.000Z" };

class TestSource implements Source {
  readonly kind = "cluster";
  input: ClusterInput | null;
  ec2: SourceStatus = ok;
  notify: () => void = () => {};
  constructor(input: ClusterInput | null) {
    this.input = input;
  }
  async start(onChange: () => void) {
    this.notify = onChange;
  }
  snapshot(): SourceSnapshot {
    return {
      input: this.input,
      sources: { kubernetes: ok, ec2: this.ec2 },
      ready: this.input !== null,
      loaded: this.input !== null,
    };
  }
  /** Pods listed so far, while the input is still null. */
  podsListed = 0;
  progress(): LoadingStep[] {
    const complete = this.input !== null;
    return [{ what: "listing pods", count: this.podsListed, total: 153_000, complete, error: null }];
  }
  counters() {
    return emptyCounters();
  }
  async stop() {}
}

const settle = () => new Promise((r) => setTimeout(r, 60));

/** Waits until `check` holds, however slowly a loaded machine runs the feed's timers. */
async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Tells the feed the source changed and waits until it has built on it (however slow the machine). */
async function changeAndBuild(feed: TopologyFeed, source: TestSource): Promise<void> {
  const builds = feed.stats.builds;
  source.notify();
  const deadline = Date.now() + 10_000;
  while (feed.stats.builds === builds) {
    if (Date.now() > deadline) throw new Error("the feed did not rebuild");
    await new Promise((r) => setTimeout(r, 2));
  }
  // The build is counted before its delta is published: let the publish step run.
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
}

describe("the topology feed", () => {
  it("serves an empty topology with the sources' state before any data, never nothing", async () => {
    const source = new TestSource(null);
    const feed = new TopologyFeed(source, { coalesceMs: 5 });
    await feed.start();
    const t = feed.topology();
    assert.equal(t.nodes.length, 0);
    assert.deepEqual(t.sources.kubernetes, ok);
    assert.equal(feed.isReady(), false);
    await feed.stop();
  });

  it("says how far the reads got until the picture is complete, then null; no history of a half-read cluster", async () => {
    const input = await readCaptureFolder(lab);
    const source = new TestSource(null);
    const feed = new TopologyFeed(source, { coalesceMs: 1, statusCheckMs: 5, historyStepMs: 5 });
    await feed.start();
    source.podsListed = 40_000;
    assert.equal(feed.loading()?.message, "listing pods: 40,000 of 153,000");
    const told: (string | null)[] = [];
    const ready = new Promise<void>((resolve) => {
      feed.watchLoading((state) => {
        told.push(state?.message ?? null);
        if (state === null) resolve();
        else if (state.message.includes("80,000")) source.input = input;
      });
    });
    source.podsListed = 80_000;
    await ready;
    assert.deepEqual(told, ["listing pods: 80,000 of 153,000", "building the picture", null]);
    assert.equal(feed.loading(), null);
    // Every history point is of the complete cluster, never the zeros before it.
    const points = feed.historyPoints(0);
    assert.ok(points.length >= 1);
    assert.ok(points.every((p) => p.nodes === input.nodes.length));
    // A stream that asks after the picture is complete is told so at once.
    let late: unknown = "untold";
    feed.watchLoading((state) => {
      late = state;
    });
    assert.equal(late, null);
    await feed.stop();
  });

  it("serves the plain JSON of the topology it holds now, in pieces read from the topology of the call", async () => {
    const input = await readCaptureFolder(lab);
    const source = new TestSource(input);
    const feed = new TopologyFeed(source, { coalesceMs: 1 });
    await feed.start();
    const before = JSON.stringify(feed.topology());
    assert.equal([...feed.topologyJsonPieces(512)].join(""), before);
    assert.equal(feed.topologyJson(), before);
    const taking = feed.topologyJsonPieces(512);
    const first = taking.next().value as string;
    const template = input.pods.find((p) => p.name.startsWith("nginx") && p.podIp)!;
    source.input = { ...input, pods: [...input.pods, { ...template, name: "json-1", uid: "json-1" }] };
    await changeAndBuild(feed, source);
    // A request that began before the change reads out the topology it began with.
    assert.equal(first + [...taking].join(""), before);
    const after = [...feed.topologyJsonPieces()].join("");
    assert.match(after, /"json-1"/);
    assert.equal(after, JSON.stringify(feed.topology()));
    await feed.stop();
  });

  it("turns ready only once the topology it serves holds the sources' data", async () => {
    const input = await readCaptureFolder(lab);
    const source = new TestSource(null);
    const feed = new TopologyFeed(source, { coalesceMs: 1, statusCheckMs: 5 });
    await feed.start();
    assert.equal(feed.isReady(), false);
    // The sources answer, but nothing has told the feed yet: the next status check sees them ready.
    source.input = input;
    const deadline = Date.now() + 10_000;
    while (!feed.isReady()) {
      // Whenever readiness is reported, the served topology already shows the cluster.
      if (Date.now() > deadline) throw new Error("the feed never turned ready");
      await new Promise((r) => setTimeout(r, 1));
    }
    assert.equal(feed.topology().nodes.length, input.nodes.length);
    await feed.stop();
  });

  it("stays unready while the build of the sources' data fails, and keeps the last topology", async () => {
    const input = await readCaptureFolder(lab);
    const source = new TestSource(input);
    const feed = new TopologyFeed(source, {
      coalesceMs: 1,
      build: (i: ClusterInput) => {
        if (i.nodes.length > 0) throw new Error("model broke");
        return buildReport(i);
      },
    });
    await feed.start();
    assert.equal(feed.isReady(), false);
    assert.equal(feed.stats.lastBuildError, "model broke");
    assert.equal(feed.topology().nodes.length, 0);
    await feed.stop();
  });

  it("coalesces a burst of changes into one delta", async () => {
    const input = await readCaptureFolder(lab);
    const source = new TestSource(input);
    const feed = new TopologyFeed(source, { coalesceMs: 20 });
    await feed.start();
    const events: FeedEvent[] = [];
    feed.subscribe((e) => events.push(e));
    const template = input.pods.find((p) => p.name.startsWith("nginx") && p.podIp)!;
    for (let i = 0; i < 4; i++) {
      source.input = {
        ...source.input!,
        pods: [
          ...source.input!.pods,
          {
            ...template,
            name: `burst-${i}`,
            uid: `burst-${i}`,
            podIp: `192.168.3.${21 + i}`,
            nodeName: "ip-192-168-3-10.ap-northeast-2.compute.internal",
          },
        ],
      };
      source.notify();
    }
    // However loaded the machine, the one build comes; a second one would come within the coalescing time.
    // (A status check may publish a delta of the sources' state alone meanwhile: only pod deltas count.)
    const podDeltas = () =>
      events
        .filter((e) => e.kind === "delta")
        .map((e) => JSON.parse(e.frame.split("data: ")[1]!) as TopologyDelta)
        .filter((d) => d.pods !== undefined);
    const deadline = Date.now() + 10_000;
    while (podDeltas().length === 0 && Date.now() < deadline) await settle();
    await settle();
    const deltas = podDeltas();
    assert.equal(deltas.length, 1);
    assert.equal(deltas[0]!.pods?.upsert.length, 4);
    await feed.stop();
  });

  it("keeps the last good topology when a build fails, counts it, and goes on with the next change", async () => {
    const input = await readCaptureFolder(lab);
    const source = new TestSource(input);
    let fail = false;
    const feed = new TopologyFeed(source, {
      coalesceMs: 5,
      build: (i) => {
        if (fail) throw new Error("model bug");
        return buildReport(i);
      },
    });
    await feed.start();
    const before = feed.topology();
    assert.equal(before.nodes.length, 3);
    fail = true;
    source.input = { ...input, nodes: input.nodes.slice(0, 2) };
    source.notify();
    await until(() => feed.stats.buildFailures > 0, "the failed build");
    assert.equal(feed.topology().nodes.length, 3);
    assert.equal(feed.stats.buildFailures, 1);
    assert.equal(feed.stats.lastBuildError, "model bug");
    fail = false;
    source.input = { ...input, nodes: input.nodes.slice(0, 2) };
    await changeAndBuild(feed, source);
    assert.equal(feed.topology().nodes.length, 2);
    await feed.stop();
  });

  it("publishes a source going stale even when no data changes", async () => {
    const source = new TestSource(await readCaptureFolder(lab));
    const feed = new TopologyFeed(source, { coalesceMs: 5, statusCheckMs: 10 });
    await feed.start();
    const events: FeedEvent[] = [];
    feed.subscribe((e) => events.push(e));
    source.ec2 = {
      stale: true,
      error: "RequestLimitExceeded",
      since: "2026-11-23T10:01:00.000Z",
      lastSuccess: ok.lastSuccess,
    };
    await until(() => events.some((e) => e.kind === "delta"), "the status delta");
    const delta = JSON.parse(
      events.find((e) => e.kind === "delta")!.frame.split("data: ")[1]!,
    ) as TopologyDelta;
    assert.deepEqual(Object.keys(delta).sort(), ["generatedAt", "seq", "sources"]);
    assert.equal(delta.sources?.ec2?.error, "RequestLimitExceeded");
    await feed.stop();
  });

  it("keeps a bounded history and serves resumes only from the deltas it still holds", async () => {
    const input = await readCaptureFolder(lab);
    const source = new TestSource(input);
    const feed = new TopologyFeed(source, {
      coalesceMs: 1,
      historyStepMs: 5,
      historySize: 3,
      deltaRingSize: 2,
    });
    await feed.start();
    const start = feed.topology().seq;
    for (let n = 3; n >= 1; n--) {
      source.input = { ...input, nodes: input.nodes.slice(0, n === 3 ? 2 : n) };
      await changeAndBuild(feed, source);
    }
    assert.ok(feed.historyPoints(0).length <= 3);
    const seq = feed.topology().seq;
    assert.ok(seq >= start + 2);
    assert.equal(feed.deltasSince(seq)?.length, 0);
    assert.equal(feed.deltasSince(seq - 2)?.length, 2);
    assert.equal(feed.deltasSince(seq - 3), null, "older than the ring: a snapshot is needed");
    assert.equal(feed.deltasSince(seq + 5), null, "from the future: a snapshot is needed");
    await feed.stop();
    // A later run of the server numbers above anything this one sent, so old ids never match its deltas.
    await new Promise((r) => setTimeout(r, 5));
    const restarted = new TopologyFeed(new TestSource(input));
    assert.ok(restarted.topology().seq > seq);
  });

  it("writes the first data out for a viewer already there, and otherwise leaves it to the snapshot", async () => {
    const input = await readCaptureFolder(lab);
    const start = async (watching: boolean) => {
      const source = new TestSource(null);
      const feed = new TopologyFeed(source, { coalesceMs: 1 });
      const frames: string[] = [];
      if (watching)
        feed.subscribe((e) => {
          if (e.kind === "delta") frames.push(e.frame);
        });
      await feed.start();
      const emptySeq = feed.topology().seq;
      source.input = input;
      await changeAndBuild(feed, source);
      const result = { frames, resumed: feed.deltasSince(emptySeq), nodes: feed.topology().nodes.length };
      await feed.stop();
      return result;
    };
    const watched = await start(true);
    assert.equal(watched.nodes, 3);
    assert.equal(watched.frames.length, 1);
    assert.deepEqual(watched.resumed, watched.frames);
    const alone = await start(false);
    assert.equal(alone.nodes, 3, "the topology is there for the snapshot");
    assert.equal(alone.resumed, null, "a resume from the empty topology gets a snapshot");
  });

  it("bounds the resume ring by size too, keeping at least the last delta unless it alone is too big", async () => {
    const input = await readCaptureFolder(lab);
    const run = async (deltaRingChars: number) => {
      const source = new TestSource(input);
      const feed = new TopologyFeed(source, { coalesceMs: 1, deltaRingSize: 100, deltaRingChars });
      await feed.start();
      const frames: string[] = [];
      feed.subscribe((e) => {
        if (e.kind === "delta") frames.push(e.frame);
      });
      for (const n of [2, 1]) {
        source.input = { ...input, nodes: input.nodes.slice(0, n) };
        await changeAndBuild(feed, source);
      }
      const seq = feed.topology().seq;
      const resumed = { last: feed.deltasSince(seq - 1), lastTwo: feed.deltasSince(seq - 2), frames };
      await feed.stop();
      return resumed;
    };
    // Room for the last delta only.
    const sized = await run(1);
    const last = sized.frames.at(-1)!;
    const fits = await run(last.length);
    assert.equal(fits.frames.at(-1)!.length, last.length);
    assert.deepEqual(fits.last, [fits.frames.at(-1)]);
    assert.equal(fits.lastTwo, null);
    // The last delta alone is over the bound: a resume gets a snapshot.
    assert.equal(sized.last, null);
  });
});

describe("the subnets' exhaustion forecast", () => {
  it("comes from the history the feed records: a subnet losing 10 addresses a minute empties at that rate", async () => {
    const base = await readCaptureFolder(lab);
    let now = Date.parse("2026-11-23T10:00:00.000Z");
    const source = new TestSource(base);
    const feed = new TopologyFeed(source, { coalesceMs: 5, historyStepMs: 3_600_000, now: () => now });
    await feed.start();
    const record = () => (feed as unknown as { recordHistory(): void }).recordHistory();
    const subnet = () => feed.topology().subnets.find((s) => s.id === "subnet-01")!;
    assert.equal(subnet().forecast, null, "one sample: no forecast yet");
    const free0 = subnet().space!.free;
    // A Lambda ENI in 192.168.1.0/24 taking 10 more addresses each minute.
    for (let minute = 1; minute <= 4; minute++) {
      const ips = Array.from({ length: 10 * minute }, (_, i) => `192.168.1.${150 + i}`);
      const lambda = {
        ...base.enis[0]!,
        id: "eni-lambda",
        subnetId: "subnet-01",
        status: "in-use",
        interfaceType: "other" as const,
        typeName: "lambda",
        instanceId: null,
        deviceIndex: null,
        primaryIp: ips[0]!,
        secondaryIps: ips.slice(1),
        prefixes: [],
      };
      source.input = { ...base, enis: [...base.enis, lambda] };
      const seq = feed.topology().seq;
      source.notify();
      const deadline = Date.now() + 5_000;
      while (subnet().space!.free !== free0 - 10 * minute && Date.now() < deadline) await settle();
      assert.ok(feed.topology().seq > seq);
      now += 60_000;
      record();
    }
    const f = subnet().forecast!;
    assert.equal(f.windowSeconds, 4 * 60);
    assert.equal(f.freePerHour, -600);
    assert.equal(f.emptyInSeconds, ((free0 - 40) / 10) * 60);
    await feed.stop();
  });
});
