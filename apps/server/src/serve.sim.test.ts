// The server on the simulator, over real HTTP: the scale lab driven with the real kubectl, the capture
// round trip, and the faults a viewer must see (and recover from) without the server falling over.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { DescribeNetworkInterfacesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { applyDelta, type Report, type Topology, type TopologyDelta } from "@eni-view/model";
import type { Sim } from "@eni-view/sim";
import { type RunningServer, startServer } from "./server.ts";
import { ClusterSource } from "./sources/clusterSource.ts";
import { SimSource } from "./sources/simSource.ts";
import { captureSim, eniView } from "./testing/cli.ts";
import { SseClient } from "./testing/sseClient.ts";

const run = promisify(execFile);
const ec2IntervalMs = 1500;
// IPAMD cycles of 5 s and ENI attach delays of 3 s, in simulated time: speed 20 makes them 250 ms and 150 ms.
const speed = 20;

/** A stream viewer that keeps its topology current by applying deltas, noting when each key first appeared. */
class Viewer {
  readonly sse = new SseClient();
  topology: Topology | null = null;
  private seen = 0;
  readonly podSeenAt = new Map<string, number>();
  eniCountAt: { at: number; enis: number[] }[] = [];
  private waiters: (() => void)[] = [];

  async connect(base: string): Promise<void> {
    await this.sse.connect(`${base}/api/stream`);
    const pump = () => {
      while (this.seen < this.sse.events.length) {
        const e = this.sse.events[this.seen++]!;
        if (e.event === "snapshot") this.topology = JSON.parse(e.data) as Topology;
        else if (e.event === "delta" && this.topology)
          this.topology = applyDelta(this.topology, JSON.parse(e.data) as TopologyDelta);
        else continue;
        const now = Date.now();
        for (const p of this.topology!.pods)
          if (!this.podSeenAt.has(`${p.namespace}/${p.name}`))
            this.podSeenAt.set(`${p.namespace}/${p.name}`, now);
        for (const p of this.topology!.pending) {
          if (p.node !== null && !this.podSeenAt.has(`${p.namespace}/${p.name}`))
            this.podSeenAt.set(`${p.namespace}/${p.name}`, now);
        }
        this.eniCountAt.push({ at: now, enis: this.topology!.nodes.map((n) => n.enis.length) });
      }
      for (const w of this.waiters.splice(0)) w();
    };
    setInterval(pump, 5).unref();
  }

  async until(check: (t: Topology) => boolean, what: string, timeoutMs = 20_000): Promise<Topology> {
    const deadline = Date.now() + timeoutMs;
    while (!(this.topology && check(this.topology))) {
      if (Date.now() > deadline) throw new Error(`viewer: timed out waiting for ${what}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    }
    return this.topology;
  }

  close(): void {
    this.sse.close();
  }
}

async function admin(sim: Sim, faults: object): Promise<void> {
  const res = await fetch(`${sim.adminUrl}/faults`, { method: "PUT", body: JSON.stringify(faults) });
  assert.equal(res.status, 200, await res.text());
}

async function kubectl(sim: Sim, ...args: string[]): Promise<string> {
  return (await run("kubectl", ["--kubeconfig", sim.kubeconfigPath, ...args])).stdout;
}

const nginx = (t: Topology) => t.pods.filter((p) => p.name.startsWith("nginx-deployment"));
const reportPart = (r: Report) => ({
  region: r.cluster.region,
  cni: r.cluster.cni,
  summary: r.summary,
  nodes: r.nodes,
  pods: r.pods,
  pending: r.pending,
  // The forecast comes from the server's history, which a capture does not hold.
  subnets: r.subnets.map(({ forecast: _, ...s }) => s),
  zones: r.zones,
  detachedEnis: r.detachedEnis,
  warnings: r.warnings,
});

describe("serve --source sim over real HTTP", () => {
  let source: SimSource;
  let server: RunningServer;
  let sim: Sim;
  let base: string;
  const viewers: Viewer[] = [];
  const placedAt = new Map<string, number>();

  const viewer = async () => {
    const v = new Viewer();
    viewers.push(v);
    await v.connect(base);
    await v.until(() => true, "the snapshot");
    return v;
  };

  before(async () => {
    source = new SimSource({
      speed,
      ec2IntervalMs,
      ec2MinGapMs: 200,
      kubeBackoffBaseMs: 50,
      kubeBackoffMaxMs: 500,
      ec2BackoffBaseMs: 20,
    });
    server = await startServer(source, {
      host: "127.0.0.1",
      port: 0,
      webDist: null,
      feed: { coalesceMs: 50, historyStepMs: 500 },
    });
    base = server.url;
    sim = source.endpoints!;
    // When the scheduler binds a pod: the moment the 2 s delivery budget starts.
    sim.store.subscribe((change) => {
      if (change.resource !== "pods" || change.type === "DELETED") return;
      const bound = change.object.spec?.nodeName && !change.previous?.spec?.nodeName;
      if (bound)
        placedAt.set(`${change.object.metadata.namespace}/${change.object.metadata.name}`, Date.now());
    });
    const ready = Date.now() + 20_000;
    while (!server.feed.isReady()) {
      if (Date.now() > ready) throw new Error("the server never became ready");
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  after(async () => {
    for (const v of viewers) v.close();
    await server?.close();
  });

  it("is ready, and shows the scale lab at 2 replicas: 3 t3.medium nodes, max pods 17, nginx on VPC IPs", async () => {
    const ready = await fetch(`${base}/readyz`);
    assert.equal(ready.status, 200);
    const t = (await (await fetch(`${base}/api/topology`)).json()) as Topology;
    assert.equal(t.source, "sim");
    assert.equal(t.nodes.length, 3);
    assert.deepEqual(
      t.nodes.map((n) => [n.instanceType, n.maxPods, n.maxPodsByEni]),
      [
        ["t3.medium", 17, 17],
        ["t3.medium", 17, 17],
        ["t3.medium", 17, 17],
      ],
    );
    assert.equal(nginx(t).length, 2);
    for (const p of nginx(t)) assert.ok(p.eni?.startsWith("eni-"), `${p.name} sits on an ENI`);
    assert.equal(t.sources.kubernetes?.stale, false);
    assert.equal(t.sources.ec2?.stale, false);
    // Lab mode's KUBECONFIG line and admin URL: the simulator's own, and no credential.
    const lab = (await (await fetch(`${base}/api/lab`)).json()) as { simulator: Record<string, string> };
    assert.deepEqual(lab.simulator, {
      kubeconfig: sim.kubeconfigPath,
      ec2Url: sim.ec2Url,
      adminUrl: sim.adminUrl,
      region: "ap-northeast-2",
      scenario: "scale-lab",
    });
    // The page may reach the admin endpoint (lab mode's reset), and nothing else beside this server.
    const csp = (await fetch(`${base}/`)).headers.get("content-security-policy") ?? "";
    assert.match(csp, new RegExp(`connect-src 'self' ${new URL(sim.adminUrl).origin};`));
  });

  it("streams the pods of kubectl scale within 2 s of their placement and the third ENIs within one EC2 refresh", async (ctx) => {
    const v = await viewer();
    const ec2 = new EC2Client({
      region: sim.region,
      endpoint: sim.ec2Url,
      credentials: { accessKeyId: "AKIATEST", secretAccessKey: "x" },
    });
    // When EC2 itself shows every node with 3 ENIs: the moment one refresh's budget starts.
    let threeEnisInEc2: number | null = null;
    const poll = setInterval(async () => {
      if (threeEnisInEc2 !== null) return;
      const out = await ec2
        .send(new DescribeNetworkInterfacesCommand({ MaxResults: 1000 }))
        .catch(() => null);
      const perInstance = new Map<string, number>();
      for (const e of out?.NetworkInterfaces ?? []) {
        const id = e.Attachment?.InstanceId;
        if (id && e.Status === "in-use") perInstance.set(id, (perInstance.get(id) ?? 0) + 1);
      }
      if (perInstance.size === 3 && [...perInstance.values()].every((n) => n === 3))
        threeEnisInEc2 = Date.now();
    }, 50);
    try {
      await kubectl(sim, "scale", "deployment", "nginx-deployment", "--replicas=30");
      const t = await v.until(
        (x) => nginx(x).length === 30 && x.nodes.every((n) => n.enis.length === 3),
        "30 nginx pods and 3 ENIs per node",
      );
      assert.equal(t.pending.length, 0);
      const lags: number[] = [];
      for (const [key, placed] of placedAt) {
        if (!key.startsWith("default/nginx-deployment")) continue;
        const seen = v.podSeenAt.get(key);
        if (seen !== undefined && seen >= placed) lags.push(seen - placed);
      }
      assert.ok(lags.length >= 28, `measured ${lags.length} placements`);
      assert.ok(
        Math.max(...lags) <= 2000,
        `slowest pod reached the viewer ${Math.max(...lags)} ms after placement`,
      );
      await new Promise((r) => setTimeout(r, 200));
      assert.ok(threeEnisInEc2 !== null, "EC2 showed 3 ENIs per node");
      const shown = v.eniCountAt.find(
        (c) => c.at >= threeEnisInEc2! - ec2IntervalMs && c.enis.every((n) => n === 3),
      )?.at;
      assert.ok(shown !== undefined);
      ctx.diagnostic(
        `slowest pod ${Math.max(...lags)} ms after placement; third ENIs ${shown - threeEnisInEc2!} ms after EC2 had them`,
      );
      assert.ok(
        shown - threeEnisInEc2! <= ec2IntervalMs + 500,
        `third ENIs shown ${shown - threeEnisInEc2!} ms after EC2 had them`,
      );
    } finally {
      clearInterval(poll);
      ec2.destroy();
    }
  });

  it("writes a capture with `eni-view capture` that `report --dump` reads back as the served topology", async () => {
    const dir = await mkdtemp(join(tmpdir(), "eni-view-capture-"));
    try {
      const out = await captureSim(sim, dir);
      assert.match(out.stdout, /wrote nodes\.json, pods\.json/);
      const served = (await (await fetch(`${base}/api/topology`)).json()) as Topology;
      const { stdout } = await eniView("report", "--dump", dir, "--json");
      const reported = JSON.parse(stdout) as Report;
      assert.deepEqual(reportPart(reported), reportPart(served));
      for (const secret of [
        "AWS_VPC_K8S_CNI_LOGLEVEL",
        "aws-routed-eni",
        "provided-node-ip",
        "deployment.kubernetes.io",
      ]) {
        const { stdout: files } = await run("grep", ["-rl", secret, dir]).catch(() => ({ stdout: "" }));
        assert.equal(files, "", `${secret} found in the capture`);
      }
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it("serves nothing from pod env, annotations or secrets", async () => {
    const topology = await (await fetch(`${base}/api/topology`)).text();
    const v = await viewer();
    const streamed = v.sse.events.map((e) => e.data).join("\n");
    for (const body of [topology, streamed]) {
      for (const secret of [
        "AWS_VPC_K8S_CNI_LOGLEVEL",
        "aws-routed-eni",
        "provided-node-ip",
        "deployment.kubernetes.io",
        "controller-managed",
      ]) {
        assert.ok(!body.includes(secret), `${secret} was served`);
      }
    }
  });

  it("shows EC2 stale with RequestLimitExceeded while throttled, keeps the ENIs, and recovers", async () => {
    const v = await viewer();
    const enisBefore = v.topology!.summary.enisAttached;
    await admin(sim, { ec2ThrottleRate: 1 });
    try {
      const t = await v.until(
        (x) => x.sources.ec2?.error === "RequestLimitExceeded",
        "the throttled EC2 source",
      );
      assert.equal(t.sources.ec2?.stale, true);
      assert.ok(t.sources.ec2?.since);
      assert.equal(t.summary.enisAttached, enisBefore, "the last good ENIs are still shown");
      const metrics = await (await fetch(`${base}/metrics`)).text();
      // Whichever call the refresh began with (instances are not described at every refresh).
      assert.match(metrics, /^eniview_ec2_throttles_total\{action="Describe\w+"\} [1-9]/m);
    } finally {
      await admin(sim, { ec2ThrottleRate: 0 });
    }
    const t = await v.until(
      (x) => x.sources.ec2?.error === null && x.sources.ec2?.stale === false,
      "EC2 recovery",
    );
    assert.equal(t.sources.ec2?.since, null);
  });

  it("shows Forbidden: pods when RBAC forbids pods, keeps the last pods, and recovers", async () => {
    const v = await viewer();
    const podsBefore = v.topology!.pods.length;
    await admin(sim, { forbidden: ["pods"], dropWatches: true });
    try {
      const t = await v.until(
        (x) => x.sources.kubernetes?.error === "Forbidden: pods",
        "the Forbidden error",
      );
      assert.equal(t.sources.kubernetes?.stale, true);
      assert.equal(t.pods.length, podsBefore);
    } finally {
      await admin(sim, { forbidden: [], dropWatches: false });
    }
    await v.until((x) => x.sources.kubernetes?.error === null, "Kubernetes recovery");
  });

  /** Scales nginx while `faults` hold and waits for the viewer to see every replica; returns /metrics. */
  const scaleThrough = async (faults: object, cleared: object, replicas: number): Promise<string> => {
    const v = await viewer();
    await admin(sim, faults);
    try {
      await kubectl(sim, "scale", "deployment", "nginx-deployment", `--replicas=${replicas}`);
      const all = (x: Topology) =>
        nginx(x).length + x.pending.filter((p) => p.name.startsWith("nginx")).length;
      await v.until((x) => all(x) === replicas, `${replicas} nginx pods`);
    } finally {
      await admin(sim, cleared);
    }
    await v.until((x) => x.sources.kubernetes?.error === null, "no Kubernetes error");
    return (await fetch(`${base}/metrics`)).text();
  };

  it("keeps streaming through dropped watches, counting the restarts", async () => {
    const metrics = await scaleThrough({ dropWatches: true }, { dropWatches: false }, 33);
    assert.match(metrics, /^eniview_watch_restarts_total\{resource="pods",reason="closed"\} [1-9]/m);
  });

  it("relists after 410 Gone and still delivers what changed", async () => {
    // Dropping the open watches makes the next ones start, and be answered 410.
    const metrics = await scaleThrough(
      { watchGone: true, dropWatches: true },
      { watchGone: false, dropWatches: false },
      31,
    );
    assert.match(metrics, /^eniview_watch_restarts_total\{resource="pods",reason="gone"\} [1-9]/m);
  });

  it("says so when the EC2 endpoint cannot be reached, and still shows the Kubernetes side", async () => {
    const broken = new ClusterSource({
      // As `serve --cluster-name` passes it: the name viewers see instead of the kubeconfig's.
      clusterName: "lab-under-test",
      kubeconfigPath: sim.kubeconfigPath,
      region: sim.region,
      ec2Endpoint: "http://127.0.0.1:9",
      ec2Credentials: { accessKeyId: "AKIATEST", secretAccessKey: "x" },
      ec2IntervalMs: 60_000,
    });
    const other = await startServer(broken, {
      host: "127.0.0.1",
      port: 0,
      webDist: null,
      feed: { coalesceMs: 20 },
    });
    try {
      const deadline = Date.now() + 10_000;
      let t: Topology | null = null;
      do {
        await new Promise((r) => setTimeout(r, 50));
        const res = await fetch(`${other.url}/api/topology`);
        // Loading (503) until the Kubernetes lists are in and EC2 has answered or failed once.
        if (res.status === 503) assert.equal(((await res.json()) as { error: string }).error, "loading");
        else t = (await res.json()) as Topology;
      } while (t?.sources.ec2?.error == null && Date.now() < deadline);
      assert.ok(t, "the topology is served once EC2 has failed");
      assert.match(t.sources.ec2?.error ?? "", /^ECONNREFUSED: cannot reach the EC2 endpoint/);
      assert.equal(t.sources.ec2?.stale, true);
      assert.equal(t.nodes.length, 3);
      assert.equal(t.cluster.name, "lab-under-test");
      assert.equal((await fetch(`${other.url}/readyz`)).status, 503);
    } finally {
      await other.close();
    }
  });
});
