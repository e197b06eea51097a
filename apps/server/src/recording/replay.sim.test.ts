// The replay must equal the live view: the scale lab on the simulator while the server records, the live
// /api/topology kept at several moments, then those moments rebuilt from the recording and compared
// field by field; and the same after a kill -9 of the server half-way, minus the seconds a crash may lose.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { DescribeNetworkInterfacesCommand, EC2Client } from "@aws-sdk/client-ec2";
import type { RecordedTopology, RecordingInfo, RecordingSummary, Timeline, Topology } from "@eni-view/model";
import { type RunningServer, startServer } from "../server.ts";
import { SimSource } from "../sources/simSource.ts";
import { type ServingCli, serveCli } from "../testing/cli.ts";
import { RecordingStore } from "./recordingStore.ts";
import { rebuildAt } from "./replay.ts";

const run = promisify(execFile);
const speed = 20;

async function kubectl(kubeconfig: string, ...args: string[]): Promise<string> {
  return (await run("kubectl", ["--kubeconfig", kubeconfig, ...args])).stdout;
}

async function topology(base: string): Promise<Topology> {
  return (await (await fetch(`${base}/api/topology`)).json()) as Topology;
}

const nginx = (t: Topology) =>
  t.pods.filter((p) => p.name.startsWith("nginx-deployment")).length +
  t.pending.filter((p) => p.name.startsWith("nginx-deployment")).length;

/** Scales nginx and keeps the live topology every `everyMs` until `done` holds, and for `holdMs` after
 * (someone watching the lab settle before the next step). */
async function scaleAndKeep(
  base: string,
  kubeconfig: string,
  replicas: number,
  done: (t: Topology) => boolean,
  kept: Topology[],
  holdMs = 2_000,
  everyMs = 250,
): Promise<void> {
  await kubectl(kubeconfig, "scale", "deployment", "nginx-deployment", `--replicas=${replicas}`);
  const deadline = Date.now() + 30_000;
  let doneAt: number | null = null;
  for (;;) {
    const t = await topology(base);
    if (kept.at(-1)?.seq !== t.seq) kept.push(t);
    if (doneAt === null && done(t)) doneAt = Date.now();
    if (doneAt !== null && Date.now() - doneAt >= holdMs) return;
    if (Date.now() > deadline) throw new Error(`the scale lab never reached ${replicas} replicas`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** What the test reads of the simulator's Events and Pods (kubectl get -o json). */
interface SimEvent {
  metadata: { name: string };
  involvedObject: { name: string };
  reason: string;
  message: string;
  firstTimestamp: string;
  lastTimestamp: string;
}
interface SimPod {
  metadata: { name: string; creationTimestamp: string };
  status: { conditions?: { type: string; status: string; lastTransitionTime: string }[] };
}

const withoutRecorded = ({ recorded: _, ...rest }: RecordedTopology): Topology => rest;

describe("recording the scale lab on the simulator", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "eni-view-replay-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  describe("in one server", () => {
    let server: RunningServer;
    let source: SimSource;
    let base: string;
    const kept: Topology[] = [];

    before(async () => {
      source = new SimSource({ speed, ec2IntervalMs: 1500, ec2MinGapMs: 200 });
      const store = await RecordingStore.open(join(dir, "live.db"));
      server = await startServer(source, {
        host: "127.0.0.1",
        port: 0,
        webDist: null,
        feed: { coalesceMs: 50 },
        recording: { store, options: { keyframeEveryMs: 2_000 } },
      });
      base = server.url;
      const deadline = Date.now() + 20_000;
      while (!server.feed.isReady()) {
        if (Date.now() > deadline) throw new Error("the server never became ready");
        await new Promise((r) => setTimeout(r, 50));
      }
      const kubeconfig = source.endpoints!.kubeconfigPath;
      kept.push(await topology(base));
      await scaleAndKeep(
        base,
        kubeconfig,
        8,
        (t) => t.pods.filter((p) => p.name.startsWith("nginx")).length === 8,
        kept,
      );
      await scaleAndKeep(
        base,
        kubeconfig,
        30,
        (t) => t.nodes.every((n) => n.enis.length === 3) && nginx(t) === 30 && t.pending.length === 0,
        kept,
      );
      await scaleAndKeep(base, kubeconfig, 50, (t) => nginx(t) === 50 && t.pending.length === 7, kept);
    });
    after(() => server?.close());

    it("rebuilds each kept moment from the recording equal to what /api/topology served, field by field", async () => {
      const ring = server.recorder!.ring!;
      assert.ok(kept.length >= 6, `kept ${kept.length} moments`);
      for (const live of kept) {
        const res = await fetch(
          `${base}/api/recordings/${ring}/topology?at=${encodeURIComponent(live.generatedAt)}`,
        );
        assert.equal(res.status, 200, await res.clone().text());
        const replay = (await res.json()) as RecordedTopology;
        assert.equal(replay.recorded.frameAt, live.generatedAt);
        assert.deepEqual(withoutRecorded(replay), live);
      }
    });

    it("marks the scale steps, the ENIs attached and the first Pending on the timeline", async () => {
      const ring = server.recorder!.ring!;
      const timeline = (await (await fetch(`${base}/api/recordings/${ring}/timeline`)).json()) as Timeline;
      const scales = timeline.events.filter((e) => e.kind === "scale" && e.subject.includes("nginx"));
      assert.deepEqual(
        scales.map((e) => [e.from, e.to]),
        [
          [2, 8],
          [8, 30],
          [30, 50],
        ],
      );
      // Every ENI the live view gained during the lab (each node's 3rd) is marked, once (the 2nd may
      // come between the start of the recording and the first kept moment, when IPAMD fills its warm pool).
      const enis = (t: Topology) => new Set(t.nodes.flatMap((n) => n.enis.map((e) => e.id)));
      const gained = [...enis(kept.at(-1)!)].filter((id) => !enis(kept[0]!).has(id));
      assert.equal(gained.length, 3);
      assert.deepEqual(
        timeline.events
          .filter((e) => e.kind === "eni-attached" && e.t > Date.parse(kept[0]!.generatedAt))
          .map((e) => e.subject)
          .sort(),
        gained.sort(),
      );
      // Each step's pods wait a moment for the scheduler and IPAMD; the step to 50 leaves 7 for good.
      const at = (kind: string) => timeline.events.filter((e) => e.kind === kind).map((e) => e.t);
      assert.ok(
        at("first-pending").some((t) => t >= scales[2]!.t),
        "a first Pending after the step to 50",
      );
      assert.ok(
        at("all-running").some((t) => t > scales[1]!.t && t < scales[2]!.t),
        "all Running at 30",
      );
      const last = timeline.points.at(-1)!;
      assert.equal(last.pending, 7);
      assert.equal(last.enis, 9);
    });

    it("summarises each step as the live view saw it: ENIs, Pending, settle times, scheduled -> IP", async () => {
      const ring = server.recorder!.ring!;
      // The step to 50 ends with 7 Pending for good: it counts as settled once nothing moved for a while.
      let summary: RecordingSummary;
      const deadline = Date.now() + 20_000;
      for (;;) {
        summary = (await (await fetch(`${base}/api/recordings/${ring}/summary`)).json()) as RecordingSummary;
        if (summary.steps.at(-1)?.outcome === "settled" || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      const steps = summary.steps.filter((s) => s.owner.includes("nginx"));
      assert.deepEqual(
        steps.map((s) => [s.from, s.to, s.outcome]),
        [
          [2, 8, "all-running"],
          [8, 30, "all-running"],
          [30, 50, "settled"],
        ],
      );
      const step50 = steps[2]!;
      assert.equal(step50.pendingAtEnd, 7);
      assert.equal(step50.peakPending.byReason["too-many-pods"], 7);
      // The ENIs the live view gained between the kept moments around each step.
      const at = (t: string) => [...kept].reverse().find((k) => Date.parse(k.generatedAt) <= Date.parse(t))!;
      const enis = (t: Topology) => t.summary.enisAttached;
      const step30 = steps[1]!;
      assert.equal(step30.enisAttached - step30.enisFreed, enis(at(step50.at)) - enis(at(step30.at)));
      // All Running at 30: the first kept live moment with 30 Running nginx pods comes no sooner.
      const allAt = kept.find(
        (k) => Date.parse(k.generatedAt) > Date.parse(step30.at) && nginx(k) === 30 && k.pending.length === 0,
      )!;
      const liveSettle = (Date.parse(allAt.generatedAt) - Date.parse(step30.at)) / 1000;
      assert.ok(step30.settleSeconds! <= liveSettle, `${step30.settleSeconds} <= ${liveSettle}`);
      // Every nginx pod that got an IP in the step has its scheduled -> IP time from its conditions.
      assert.equal(step30.scheduledToIp.pods, 22);
      assert.ok(step30.scheduledToIp.max! >= step30.scheduledToIp.p50!);
      const md = await (await fetch(`${base}/api/recordings/${ring}/summary?format=md`)).text();
      assert.match(md, /settled after [\d.]+ s with 7 Pending/);
    });

    it("agrees with the simulator's own log: its scale commands, the ENIs EC2 attached, the pods it could not place, its IPAMD's times", async () => {
      const ring = server.recorder!.ring!;
      const sim = source.endpoints!;
      const summary = (await (
        await fetch(`${base}/api/recordings/${ring}/summary`)
      ).json()) as RecordingSummary;
      const steps = summary.steps.filter((s) => s.owner.includes("nginx"));
      // The simulator's clock runs `speed` times the wall clock the recording keeps: its times on the wall.
      const wall0 = Date.now();
      const sim0 = sim.clock.now();
      const wallOf = (iso: string) => wall0 - (sim0 - Date.parse(iso)) / speed;
      // How much later than the simulator the server may see a change: a watch event's way on 2 busy cores.
      const watchLatency = 2_000;
      const events = (
        JSON.parse(await kubectl(sim.kubeconfigPath, "get", "events", "-o", "json")) as { items: SimEvent[] }
      ).items;
      const order = (e: SimEvent) => BigInt(`0x${e.metadata.name.split(".").at(-1)}`);
      const of = (reason: string) =>
        events.filter((e) => e.reason === reason).sort((a, b) => (order(a) < order(b) ? -1 : 1));

      // The scale commands: the Deployment controller's ScalingReplicaSet, from and to, and when.
      const scaled = of("ScalingReplicaSet")
        .filter((e) => e.involvedObject.name === "nginx-deployment")
        .map((e) => ({ e, m: /from (\d+) to (\d+)/.exec(e.message)! }))
        .filter(({ m }) => Number(m[1]) > 0);
      assert.deepEqual(
        scaled.map(({ m }) => [Number(m[1]), Number(m[2])]),
        steps.map((s) => [s.from, s.to]),
      );
      for (const [i, { e }] of scaled.entries()) {
        // The step starts when the first new pod is seen: after the command, by the watch's latency.
        const late = Date.parse(steps[i]!.at) - wallOf(e.firstTimestamp);
        assert.ok(
          late > -500 && late < watchLatency,
          `step ${i} starts ${late} ms after the simulator scaled`,
        );
      }

      // The ENIs: EC2's own attach times, counted in each step's span.
      const ec2 = new EC2Client({
        region: sim.region,
        endpoint: sim.ec2Url,
        credentials: { accessKeyId: "AKIATEST", secretAccessKey: "x" },
      });
      const enis = (await ec2.send(new DescribeNetworkInterfacesCommand({ MaxResults: 1000 })))
        .NetworkInterfaces!;
      // Counted on the simulator's own clock, between its scale commands: turned into wall time, a warm-pool
      // ENI attached just before the step to 8 could land a moment inside it (the clocks' ratio is `speed`
      // only on average), and the recorder, which saw it attached before the step, rightly left it out.
      const attachedAt = enis
        .filter((e) => (e.Attachment?.DeviceIndex ?? 0) > 0)
        .map((e) => e.Attachment!.AttachTime!.getTime());
      const commandAt = scaled.map(({ e }) => Date.parse(e.firstTimestamp));
      for (const [i, step] of steps.entries()) {
        const from = commandAt[i]!;
        const until = commandAt[i + 1] ?? Number.POSITIVE_INFINITY;
        const inStep = attachedAt.filter((t) => t >= from && t < until).length;
        assert.equal(step.enisAttached, inStep, `ENIs attached in the step to ${step.to}`);
        assert.equal(step.enisFreed, 0);
      }
      assert.equal(steps[1]!.enisAttached, 3, "each node's third ENI in the step to 30");

      // The pods it could not place: the scheduler's FailedScheduling, by pod, after the step to 50.
      const refused = new Set(
        of("FailedScheduling")
          .filter((e) => wallOf(e.lastTimestamp) >= Date.parse(steps[2]!.at) - 1_000)
          .filter((e) => /Too many pods/.test(e.message))
          .map((e) => e.involvedObject.name),
      );
      assert.equal(steps[2]!.peakPending.byReason["too-many-pods"], refused.size);
      assert.equal(steps[2]!.pendingAtEnd, refused.size);

      // All Running at 30: when the simulator's kubelet ran the step's last pod (its Ready condition).
      const pods = (
        JSON.parse(await kubectl(sim.kubeconfigPath, "get", "pods", "-o", "json")) as { items: SimPod[] }
      ).items.filter((p) => p.metadata.name.startsWith("nginx-deployment"));
      const condition = (p: SimPod, type: string) =>
        p.status.conditions?.find((c) => c.type === type && c.status === "True")?.lastTransitionTime;
      const step30 = steps[1]!;
      // The step's pods by the simulator's own clock, between its scale commands: the step's wall times
      // are when the server saw them, a watch's latency later, which a loaded machine stretches.
      const created30 = pods.filter((p) => {
        const t = Date.parse(p.metadata.creationTimestamp);
        return t >= commandAt[1]! && t < commandAt[2]!;
      });
      assert.equal(created30.length, 22);
      const lastReady = Math.max(...created30.map((p) => wallOf(condition(p, "Ready")!)));
      const simSettle = (lastReady - Date.parse(step30.at)) / 1000;
      // The server sees it a watch event later; the simulator's times have 1 s (1/speed s here) steps.
      assert.ok(
        step30.settleSeconds! >= simSettle - 0.2 && step30.settleSeconds! <= simSettle + watchLatency / 1000,
        `all Running after ${step30.settleSeconds} s; the simulator ran the last pod after ${simSettle} s`,
      );

      // Scheduled -> IP: the scheduler's Scheduled event to the kubelet's first event once IPAMD gave the
      // pod its IP (it pulls or finds the image only then), in the simulator's seconds.
      const firstAfterIp = new Map<string, string>();
      for (const e of [...of("Pulling"), ...of("Pulled")].sort((a, b) => (order(a) < order(b) ? -1 : 1)))
        if (!firstAfterIp.has(e.involvedObject.name))
          firstAfterIp.set(e.involvedObject.name, e.firstTimestamp);
      const scheduledAt = new Map(of("Scheduled").map((e) => [e.involvedObject.name, e.firstTimestamp]));
      const ipamd = created30.map(
        (p) =>
          (Date.parse(firstAfterIp.get(p.metadata.name)!) - Date.parse(scheduledAt.get(p.metadata.name)!)) /
          1000,
      );
      ipamd.sort((a, b) => a - b);
      assert.equal(step30.scheduledToIp.pods, ipamd.length);
      assert.equal(step30.scheduledToIp.max, ipamd.at(-1));
      assert.equal(step30.scheduledToIp.p50, ipamd[Math.ceil(ipamd.length / 2) - 1]);
    });
  });

  describe("across a kill -9", () => {
    let cli: ServingCli | null = null;
    after(() => {
      if (cli && cli.child.exitCode === null) cli.child.kill("SIGKILL");
    });

    it("rebuilds every moment older than a few seconds before the kill, and marks the gap after a restart", async () => {
      const db = join(dir, "crash.db");
      const args = ["serve", "--source", "sim", "--speed", String(speed), "--port", "0", "--snapshot-db", db];
      cli = await serveCli(args, /serving sim at (http:\/\/127\.0\.0\.1:\d+)\/[\s\S]*KUBECONFIG=(\S+)/);
      const kubeconfig = /KUBECONFIG=(\S+)/.exec(cli.output())![1]!;
      const kept: Topology[] = [];
      const readyBy = Date.now() + 20_000;
      while ((await fetch(`${cli.url}/readyz`)).status !== 200) {
        if (Date.now() > readyBy) throw new Error("never ready");
        await new Promise((r) => setTimeout(r, 100));
      }
      kept.push(await topology(cli.url));
      // Held long enough after the step that its moments are all older than the seconds a crash may lose.
      await scaleAndKeep(
        cli.url,
        kubeconfig,
        30,
        (t) => nginx(t) === 30 && t.pending.length === 0,
        kept,
        4_000,
      );
      const { recordings } = (await (await fetch(`${cli.url}/api/recordings`)).json()) as {
        recordings: RecordingInfo[];
      };
      const ring = recordings.find((r) => r.kind === "ring" && r.recording)!;
      await kubectl(kubeconfig, "scale", "deployment", "nginx-deployment", "--replicas=45");
      await new Promise((r) => setTimeout(r, 400));
      kept.push(await topology(cli.url));
      const killedAt = Date.now();
      cli.child.kill("SIGKILL");
      await once(cli.child, "exit");

      // A crash loses at most the frames not yet written: one flush interval (1 s) and the write itself.
      const allowedMs = 3_000;
      const store = await RecordingStore.open(db);
      let checked = 0;
      try {
        for (const live of kept) {
          if (Date.parse(live.generatedAt) > killedAt - allowedMs) continue;
          const replay = await rebuildAt(store, ring.id, Date.parse(live.generatedAt));
          assert.deepEqual(withoutRecorded(replay), live);
          checked++;
        }
      } finally {
        store.close();
      }
      assert.ok(checked >= 3, `checked ${checked} moments`);

      cli = await serveCli(args, /serving sim at (http:\/\/127\.0\.0\.1:\d+)\//);
      const timeline = (await (
        await fetch(`${cli.url}/api/recordings/${ring.id}/timeline`)
      ).json()) as Timeline;
      assert.equal(timeline.recording.recording, true, "the restarted server writes the same ring");
      const gap = timeline.events.find((e) => e.kind === "gap");
      assert.ok(gap && gap.t <= killedAt && gap.until! >= killedAt, JSON.stringify(gap));
      cli.child.kill("SIGINT");
      await once(cli.child, "exit");
    });
  });
});
