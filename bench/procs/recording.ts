// The recorder's bounds at scale, the `recording` phase of `npm run bench` (bench/phases/recording.ts):
// the model's random cluster of NODES nodes (about 9 pods each) with churn (a few nodes' pods replaced at
// every change, a node added or removed now and then) published through the real TopologyFeed every STEP
// simulated seconds for HOURS simulated hours, recorded by the real Recorder into a fresh SQLite file with
// a ring bound of MB megabytes. Prints (JSON) the store size per simulated hour, the ring's peak against
// its bound, seek times (to random moments, to the next change as playing does, back a change as
// scrubbing left does), and the recorder's CPU (its change hook and its writes; this process builds
// nothing: its `build` hands over the churned topology, so the server's own buildReport is not in it).
//
//   node bench/procs/recording.ts [NODES=5000] [HOURS=1] [STEP_S=15] [MB=256]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { ClusterInput, Report, Topology } from "@eni-view/model";
import { Recorder } from "../../apps/server/src/recording/recorder.ts";
import { RecordingStore } from "../../apps/server/src/recording/recordingStore.ts";
import { rebuildAt } from "../../apps/server/src/recording/replay.ts";
import { emptyCounters, type Source, type SourceSnapshot } from "../../apps/server/src/sources/source.ts";
import { TopologyFeed } from "../../apps/server/src/topologyFeed.ts";
import { seeded } from "../../packages/model/src/seeded.ts";
import { mutateTopology, randomTopology } from "../../packages/model/src/testing/randomTopology.ts";

const [nodes = 5000, hours = 1, stepS = 15, mb = 256] = process.argv.slice(2).map(Number);
const random = seeded(42);
let clock = Date.parse("2026-12-06T10:00:00.000Z");
const started = clock;
let current: Topology = randomTopology(random, { nodes: nodes! });

// Each change gives the feed a new input object; its `build` hands back the next churned topology.
class ChurnSource implements Source {
  readonly kind = "sim";
  input: ClusterInput = { ...({} as ClusterInput) };
  notify: () => void = () => {};
  async start(onChange: () => void) {
    this.notify = onChange;
  }
  snapshot(): SourceSnapshot {
    return { input: this.input, sources: {}, ready: true, loaded: true };
  }
  progress() {
    return [];
  }
  counters() {
    return emptyCounters();
  }
  async stop() {}
}

const source = new ChurnSource();
const feed = new TopologyFeed(source, {
  coalesceMs: 0,
  statusCheckMs: 3_600_000,
  historyStepMs: 3_600_000,
  now: () => clock,
  build: (): Report => current,
});
await feed.start();
const dir = mkdtempSync(join(tmpdir(), "eni-view-rec-bench-"));
const store = await RecordingStore.open(join(dir, "bench.db"));
const recorder = await Recorder.start(feed, store, {
  flushEveryMs: 3_600_000,
  now: () => clock,
  ringMaxBytes: mb! * 1048576,
  ringMaxAgeMs: 6 * 3600_000,
});

// The recorder's CPU: its change hook (synchronous, on the main thread) and its writes, taken as the
// process's CPU (every thread: gzip runs on libuv's pool) while a flush runs and nothing else does.
let recorderMs = 0;
const r = recorder as unknown as { changed: (...a: unknown[]) => void };
const changed = r.changed.bind(recorder);
r.changed = (...a: unknown[]) => {
  const t0 = performance.now();
  changed(...a);
  recorderMs += performance.now() - t0;
};
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

const cpu0 = process.cpuUsage();
const wall0 = performance.now();
const steps = Math.round((hours! * 3600) / stepS!);
let peakRing = 0;
const sizes: { hour: number; bytes: number }[] = [];
const seeks: number[] = [];
const seekCpu: number[] = [];
for (let i = 1; i <= steps; i++) {
  clock += stepS! * 1000;
  current = mutateTopology(current, random);
  source.input = { ...source.input };
  // Until the feed has built on it and published (a churn step that changed nothing publishes nothing).
  const builds = feed.stats.builds;
  source.notify();
  while (feed.stats.builds === builds) await new Promise((res) => setTimeout(res, 1));
  await new Promise((res) => setImmediate(res));
  await new Promise((res) => setImmediate(res));
  const before = process.cpuUsage();
  await recorder.flush();
  recorderMs += cpuMs(process.cpuUsage(before));
  peakRing = Math.max(peakRing, store.bytes(recorder.ring!));
  if ((i * stepS!) % 3600 === 0 || i === steps)
    sizes.push({ hour: (clock - started) / 3600_000, bytes: store.fileBytes() });
}
const cpu = process.cpuUsage(cpu0);
const wall = performance.now() - wall0;
const processMs = cpuMs(cpu);

const info = store.info(recorder.ring!)!;
const from = Date.parse(info.from!);
const to = Date.parse(info.to!);
for (let i = 0; i < 10; i++) {
  const at = from + Math.floor(random() * (to - from));
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await rebuildAt(store, recorder.ring!, at, { recording: true, now: clock });
  seeks.push(performance.now() - t0);
  // The CPU it took (every thread: gunzip runs on libuv's pool), which a loaded machine does not inflate.
  seekCpu.push(cpuMs(process.cpuUsage(c0)));
}
// Playing: each next change after the one on screen (the replay starts from the moment it rebuilt last),
// 20 of them or as many as a short run holds.
const playing: number[] = [];
const plays = Math.min(20, Math.floor((to - from) / (stepS! * 1000) / 2));
let at = from + Math.floor(random() * Math.max(0, to - from - plays * stepS! * 1000));
await rebuildAt(store, recorder.ring!, at, { recording: true, now: clock });
for (let i = 0; i < plays; i++) {
  at += stepS! * 1000;
  const t0 = performance.now();
  await rebuildAt(store, recorder.ring!, at, { recording: true, now: clock });
  playing.push(performance.now() - t0);
}
// Scrubbing left: each change before the one on screen.
const back: number[] = [];
for (let i = 0; i < plays; i++) {
  at -= stepS! * 1000;
  const t0 = performance.now();
  await rebuildAt(store, recorder.ring!, at, { recording: true, now: clock });
  back.push(performance.now() - t0);
}
await recorder.close();
await feed.stop();
store.close();
rmSync(dir, { recursive: true, force: true });

console.log(
  JSON.stringify({
    nodes,
    pods: current.pods.length,
    hours,
    changes: steps,
    stepSeconds: stepS,
    fileBytes: sizes.at(-1)!.bytes,
    ringBoundBytes: mb! * 1048576,
    ringPeakBytes: peakRing,
    seekRandomMs: seeks,
    seekRandomCpuMs: seekCpu,
    seekNextMs: playing,
    seekBackMs: back,
    recorderMs,
    processCpuMs: processMs,
    wallMs: wall,
  }),
);
