// The server at a size the simulator cannot hold on this machine (100,000 nodes), fed generated streams
// instead: the model input a source would hand over (packages/model's eksCluster: m5.xlarge nodes, their
// ENIs as IPAMD leaves them, pods of a few Deployments) and pod deletions one at a time, through the same
// TopologyFeed and HTTP stream the server runs; then the EC2 poller against the simulator's EC2 Query API
// holding the same nodes' instances and ENIs, for its calls a minute. Run by bench/phases/scale.ts:
//   node --expose-gc bench/procs/generated.ts NODES PODS_PER_NODE EC2_WINDOW_MS CHANGES [SWEEP_WAIT_MS]
// -> a JSON line on stdout
import { readFileSync } from "node:fs";
import type { ClusterInput, PodInput, SourceStatus } from "@eni-view/model";
import { startServer } from "../../apps/server/src/server.ts";
import { Ec2Poller } from "../../apps/server/src/sources/ec2/ec2Poller.ts";
import { emptyCounters, type Source, type SourceSnapshot } from "../../apps/server/src/sources/source.ts";
import { eksCluster } from "../../packages/model/src/testing/eksCluster.ts";
import { type Ec2State, noFaults, type SimEni } from "../../packages/sim/src/contracts.ts";
import { startEc2Server } from "../../packages/sim/src/ec2/server.ts";
import { createRandom } from "../../packages/sim/src/random.ts";
import { wallNow } from "../lib/clock.ts";
import { SseReader } from "../lib/sse.ts";

const [nodesArg, perNodeArg, windowArg, changesArg, sweepWaitArg] = process.argv.slice(2);
const nodes = Number(nodesArg);
const perNode = Number(perNodeArg ?? 8);
const ec2WindowMs = Number(windowArg ?? 90_000);
const changes = Number(changesArg ?? 10);
const sweepWaitMs = Number(sweepWaitArg ?? 0);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc || !(nodes > 0))
  throw new Error("usage: node --expose-gc bench/procs/generated.ts NODES PODS_PER_NODE");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (line: string) => console.error(`  [generated] ${line}`);
const vm = (field: string) =>
  Number(readFileSync("/proc/self/status", "utf8").match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"))?.[1]) *
  1024;

/** A source holding generated input; `remove` takes one pod away as a watch's DELETED would. */
class GeneratedSource implements Source {
  readonly kind = "generated";
  input: ClusterInput;
  private onChange: () => void = () => {};
  private readonly counters_ = emptyCounters();
  private readonly status: SourceStatus;

  constructor(input: ClusterInput) {
    this.input = input;
    this.status = { stale: false, error: null, since: null, lastSuccess: new Date().toISOString() };
  }
  async start(onChange: () => void): Promise<void> {
    this.onChange = onChange;
  }
  snapshot(): SourceSnapshot {
    return {
      input: this.input,
      sources: { kubernetes: this.status, ec2: this.status },
      ready: true,
      loaded: true,
    };
  }
  progress() {
    return [];
  }
  counters() {
    return this.counters_;
  }
  async stop(): Promise<void> {}
  remove(pod: PodInput): void {
    // As the Kubernetes source's reflector hands a deletion over: a copy of its list without the item
    // (a filter calling a function per pod took this script ~100 ms of a loaded core, inside the timing).
    const pods = this.input.pods.slice();
    pods.splice(pods.indexOf(pod), 1);
    this.input = { ...this.input, pods };
    this.onChange();
  }
}

const generateStarted = performance.now();
const generated = eksCluster(nodes, perNode);
// The Kubernetes source hands its pods over in namespace/name order (its reflector keeps them so), and
// the feed's diff leans on that order: hand them over the same way.
const podKey = (p: PodInput) => `${p.namespace}/${p.name}`;
const input: ClusterInput = {
  ...generated,
  pods: generated.pods
    .map((p) => ({ p, k: podKey(p) }))
    .sort((a, b) => (a.k < b.k ? -1 : 1))
    .map(({ p }) => p),
};
const generateMs = performance.now() - generateStarted;
const pods = input.pods.length;
log(
  `${nodes} nodes, ${pods} pods, ${input.enis.length} ENIs generated in ${(generateMs / 1000).toFixed(1)} s`,
);
const source = new GeneratedSource(input);
const started = performance.now();
const cpuStarted = process.cpuUsage();
const server = await startServer(source, { host: "127.0.0.1", port: 0, webDist: null });
while (!server.feed.isReady()) await sleep(20);
const readyMs = performance.now() - started;
// This process's CPU to ready (the server's and, for its first 20 ms polls, this script's): on a machine
// shared with other work the wall time above says more about the load than about the server.
const cpu = process.cpuUsage(cpuStarted);
const readyCpuMs = (cpu.user + cpu.system) / 1000;
log(
  `ready ${(readyMs / 1000).toFixed(1)} s after the input was handed over (${(readyCpuMs / 1000).toFixed(1)} s of CPU)`,
);

const reader = new SseReader();
await reader.connect(`${server.url}/api/stream?encoding=compact`, { "accept-encoding": "gzip" });
await reader.waitFor((e) => e.event === "snapshot", 600_000, "snapshot");
reader.forget();
const latency: number[] = [];
// This process's CPU from each change to its delta (the feed's rebuild, diff and write, and the reader):
// what a change costs, apart from how much of the two cores the machine's other work left it.
const changeCpu: number[] = [];
// Pods holding a VPC IP (hostNetwork pods take the node's), listed once: listing them at each change put
// this script's own 5 MB array a change into the heap of the server it measures, and its collections.
const withIp = source.input.pods.filter((p) => !p.hostNetwork && p.podIp);
for (let i = 0; i < changes + 1; i++) {
  const pod = withIp[(i * 7919) % withIp.length]!;
  const at = wallNow();
  const cpuAt = process.cpuUsage();
  source.remove(pod);
  const ev = await reader.waitFor(
    (e) => e.event === "delta" && e.data.includes(pod.name),
    300_000,
    `delta removing ${pod.name}`,
  );
  const used = process.cpuUsage(cpuAt);
  if (i > 0) {
    latency.push(ev.at - at);
    changeCpu.push((used.user + used.system) / 1000);
  }
  log(
    `${i === 0 ? "warm-up " : ""}change ${pod.name}: delta in ${(ev.at - at).toFixed(0)} ms, ${((used.user + used.system) / 1000).toFixed(0)} ms of CPU`,
  );
  reader.forget();
  await sleep(Math.max(500, 2 * (ev.at - at)));
}
reader.close();
gc();
const heapUsed = process.memoryUsage().heapUsed;
const peakRss = vm("VmHWM");
log(
  `heap ${(heapUsed / 2 ** 20).toFixed(0)} MB after a full collection, peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB`,
);
await server.close();

// EC2: the same nodes' instances and ENIs in the simulator's EC2 state, read by the poller for a while.
const state: Ec2State = {
  region: "us-west-2",
  accountId: "111122223333",
  vpcId: "vpc-1",
  vpcCidr: "10.0.0.0/8",
  subnets: new Map(
    input.subnets.map((s) => [
      s.id,
      {
        id: s.id,
        vpcId: "vpc-1",
        cidr: s.cidr,
        zone: s.zone ?? "us-west-2a",
        zoneId: s.zone ?? "us-west-2a",
        name: s.name ?? s.id,
        tags: {},
      },
    ]),
  ),
  instances: new Map(
    input.instances.map((i) => [
      i.id,
      {
        id: i.id,
        instanceType: i.instanceType,
        zone: i.zone ?? "us-west-2a",
        state: "running" as const,
        privateIp: i.privateIp ?? "",
        privateDnsName: i.privateDnsName ?? "",
        subnetId: i.subnetId ?? "",
        vpcId: "vpc-1",
        imageId: "ami-1",
        launchTime: "2026-01-01T00:00:00.000Z",
        tags: {},
      },
    ]),
  ),
  enis: new Map(
    input.enis.map((e): [string, SimEni] => [
      e.id,
      {
        id: e.id,
        subnetId: e.subnetId,
        vpcId: "vpc-1",
        zone: e.zone ?? "us-west-2a",
        description: e.description,
        status: "in-use",
        interfaceType: "interface",
        macAddress: "02:00:00:00:00:01",
        ownerId: "111122223333",
        requesterManaged: false,
        sourceDestCheck: true,
        groups: [{ id: "sg-1", name: "nodes" }],
        attachment: {
          id: `eni-attach-${e.id}`,
          instanceId: e.instanceId!,
          deviceIndex: e.deviceIndex ?? 0,
          networkCardIndex: 0,
          status: "attached",
          attachTime: "2026-01-01T00:00:00.000Z",
          deleteOnTermination: true,
        },
        primaryIp: e.primaryIp ?? "",
        privateDnsName: "",
        secondaryIps: e.secondaryIps,
        prefixes: [],
        tags: {},
      },
    ]),
  ),
};
const ec2 = await startEc2Server({ state, faults: { ...noFaults, forbidden: [] }, random: createRandom(1) });
const { EC2Client } = await import("@aws-sdk/client-ec2");
const client = new EC2Client({
  region: "us-west-2",
  endpoint: ec2.url,
  credentials: { accessKeyId: "AKIAENIVIEWBENCH0000", secretAccessKey: "eni-view-bench" },
});
const counters = emptyCounters();
const poller = new Ec2Poller({ client: () => client, counters });
poller.setTargets(input.instances.map((i) => i.id));
const ec2Started = wallNow();
poller.start(() => {});
// Pods start on a node every few seconds: their ENIs are read ahead of the sweep.
const churn = setInterval(
  () => poller.markChanged([input.instances[Math.floor(Math.random() * nodes)]!.id]),
  2000,
);
await sleep(ec2WindowMs);
const minutes = (wallNow() - ec2Started) / 60_000;
const calls = Object.values(counters.ec2Calls).reduce((a, b) => a + b, 0);
const budget = counters.ec2Budget!();
// The calls a minute are those of the window; the first sweep is waited for a while longer, for its time.
const sweepBy = wallNow() + sweepWaitMs;
const sweeping = () => {
  const sweep = poller.status().sweep;
  return sweep !== undefined && sweep.lastSweepSeconds == null;
};
while (sweeping() && wallNow() < sweepBy) await sleep(1000);
clearInterval(churn);
const status = poller.status();
await poller.stop();
client.destroy();
await ec2.close();
log(
  `EC2: ${calls} calls in ${(minutes * 60).toFixed(0)} s, the first sweep ${status.sweep?.lastSweepSeconds ?? "not ended"}`,
);

console.log(
  JSON.stringify({
    nodes,
    pods,
    enis: input.enis.length,
    generateMs,
    readyMs,
    readyCpuMs,
    latency,
    changeCpu,
    heapUsed,
    peakRss,
    ec2: {
      callsPerMinute: calls / minutes,
      budgetPerMinute: budget.perMinute,
      worstMinute: budget.callsLastMinute,
      firstSweepSeconds: status.sweep?.lastSweepSeconds ?? null,
      windowSeconds: minutes * 60,
    },
  }),
);
process.exit(0);
