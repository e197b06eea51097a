// Three `eni-view serve --leader-elect` processes on the simulator, as three replicas behind a Service:
// one holds the Lease and polls EC2, the others read EC2 from it. The leader is killed (SIGKILL: no
// release) in the middle of a scale-up; a follower must take the Lease (one transition more) and poll EC2
// itself, and the viewers of the surviving replicas must never lose an ENI they were shown nor be shown
// stale EC2 data (older than two EC2 intervals and 5 s) meanwhile. How long the takeover takes is a
// matter of timing, asserted with a stepped clock in leaderElector.test.ts rather than here.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { applyDelta, type Topology, type TopologyDelta } from "@eni-view/model";
import { type Sim, startSim } from "@eni-view/sim";
import { type ServingCli, serveCli, simAwsEnv, simClusterArgs } from "../testing/cli.ts";
import { simKubectl } from "../testing/simInput.ts";
import { SseClient } from "../testing/sseClient.ts";

const leaseSeconds = 3;
const retrySeconds = 0.5;
const ec2Seconds = 1;
const peerToken = "failover-test-peer-token-0123456789";

/** A viewer of one replica: the topology it was shown, and at each update the ENIs and the EC2 read time. */
class Viewer {
  readonly sse = new SseClient();
  topology: Topology | null = null;
  private seen = 0;
  readonly updates: { enis: number; stale: boolean }[] = [];
  private timer: NodeJS.Timeout | null = null;

  async connect(base: string): Promise<void> {
    await this.sse.connect(`${base}/api/stream`);
    this.timer = setInterval(() => this.pump(), 5);
  }

  pump(): void {
    while (this.seen < this.sse.events.length) {
      const e = this.sse.events[this.seen++]!;
      if (e.event === "snapshot") this.topology = JSON.parse(e.data) as Topology;
      else if (e.event === "delta" && this.topology)
        this.topology = applyDelta(this.topology, JSON.parse(e.data) as TopologyDelta);
      else continue;
      const t = this.topology!;
      this.updates.push({
        enis: t.nodes.reduce((n, node) => n + node.enis.length, 0),
        stale: t.sources.ec2?.stale ?? true,
      });
    }
  }

  async until(check: (t: Topology) => boolean, what: string, timeoutMs = 60_000): Promise<Topology> {
    const deadline = Date.now() + timeoutMs;
    while (!(this.topology && check(this.topology))) {
      if (Date.now() > deadline) throw new Error(`viewer: timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return this.topology;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.sse.close();
  }
}

const nginxRunning = (t: Topology) =>
  t.pods.filter((p) => p.name.startsWith("nginx-deployment") && p.eni !== null).length;

describe("several replicas with a Lease, on the simulator", () => {
  let sim: Sim;
  let stateDir: string;
  const replicas: ServingCli[] = [];
  const viewers: Viewer[] = [];

  /** The Lease as the API server holds it. */
  const lease = () => {
    const o = sim.store.get("leases", "default", "eni-view");
    return {
      holderIdentity: String(o?.spec?.holderIdentity ?? ""),
      leaseTransitions: Number(o?.spec?.leaseTransitions ?? 0),
    };
  };

  before(async () => {
    stateDir = await mkdtemp(join(tmpdir(), "eni-view-failover-"));
    sim = await startSim({ scenario: "scale-lab", speed: 20, stateDir, host: "127.0.0.1" });
    const args = [
      "serve",
      "--port",
      "0",
      ...simClusterArgs(sim),
      "--ec2-interval",
      String(ec2Seconds),
      "--no-snapshots",
      "--no-record",
      "--web-dist",
      stateDir,
      "--leader-elect",
      "--lease-namespace",
      "default",
      "--lease-duration",
      String(leaseSeconds),
      "--renew-deadline",
      "2",
      "--retry-period",
      String(retrySeconds),
    ];
    for (let i = 0; i < 3; i++) {
      replicas.push(
        await serveCli(args, /serving cluster at (http:\/\/[^\s/]+)\//, {
          ...simAwsEnv,
          POD_NAME: `replica-${i}`,
          ENI_VIEW_PEER_TOKEN: peerToken,
        }),
      );
    }
  });

  after(async () => {
    for (const v of viewers) v.close();
    const running = replicas.filter((r) => r.child.exitCode === null && r.child.signalCode === null);
    for (const r of running) r.child.kill("SIGTERM");
    await Promise.all(running.map((r) => new Promise((res) => r.child.once("exit", res))));
    await sim?.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  it("one replica polls EC2, the others show the same ENIs, and a follower takes over when the leader is killed mid scale-up", async () => {
    // Every replica is ready (EC2 read once: the followers through the leader).
    for (const r of replicas) {
      const deadline = Date.now() + 60_000;
      while ((await fetch(`${r.url}/readyz`).then((res) => res.status)) !== 200) {
        if (Date.now() > deadline) throw new Error(`${r.url} never became ready:\n${r.output()}`);
        await new Promise((res) => setTimeout(res, 100));
      }
    }
    const first = lease();
    const leaderIndex = Number(/^replica-(\d)_/.exec(first.holderIdentity)?.[1]);
    assert.ok(leaderIndex >= 0 && leaderIndex < 3, first.holderIdentity);
    const leader = replicas[leaderIndex]!;
    const followers = replicas.filter((r) => r !== leader);

    // Only the leader described anything: the followers' EC2 call counters stay at zero.
    const calls = async (r: ServingCli) => {
      const text = await (await fetch(`${r.url}/metrics`)).text();
      return [...text.matchAll(/^eniview_ec2_calls_total\{[^}]*\} (\d+)/gm)].reduce(
        (n, m) => n + Number(m[1]),
        0,
      );
    };
    assert.ok((await calls(leader)) > 0);
    for (const f of followers) assert.equal(await calls(f), 0, `${f.url} described EC2 itself`);
    // The internal endpoint needs the peer token.
    assert.equal((await fetch(`${leader.url}/internal/ec2`)).status, 401);

    for (const f of followers) {
      const v = new Viewer();
      viewers.push(v);
      await v.connect(f.url);
      await v.until((t) => t.nodes.length === 3 && t.nodes.every((n) => n.enisKnown), "every node's ENIs");
    }
    // What each viewer was shown before the kill: from here on it may only grow, and never turn stale.
    const before = viewers.map((v) => ({ enis: v.updates.at(-1)!.enis, from: v.updates.length }));

    await simKubectl(sim, "scale", "deployment", "nginx-deployment", "--replicas=30");
    leader.child.kill("SIGKILL");
    const killedAt = Date.now();

    // A follower takes the Lease, counting a transition.
    let taken = first;
    while (taken.holderIdentity === first.holderIdentity) {
      if (Date.now() - killedAt > 30_000) throw new Error("no follower took the Lease");
      await new Promise((res) => setTimeout(res, 100));
      taken = lease();
    }
    assert.equal(taken.leaseTransitions, first.leaseTransitions + 1);
    assert.match(taken.holderIdentity, /^replica-\d_/);

    // The scale-up finishes on both survivors' viewers: 30 nginx pods in their ENI slots, the 3rd ENIs
    // attached, which only EC2 reads by the new leader can show.
    for (const v of viewers) {
      await v.until(
        (t) => nginxRunning(t) === 30 && t.nodes.every((n) => n.enis.length === 3),
        "30 nginx pods placed on 3 ENIs per node",
      );
    }
    const newLeader = replicas[Number(/^replica-(\d)_/.exec(taken.holderIdentity)![1])]!;
    assert.ok((await calls(newLeader)) > 0, "the new leader describes EC2");

    viewers.forEach((v, i) => {
      const after = v.updates.slice(before[i]!.from);
      const lost = after.find((u) => u.enis < before[i]!.enis);
      assert.equal(lost, undefined, `viewer ${i} lost ENIs: ${lost?.enis} < ${before[i]!.enis}`);
      assert.ok(
        after.every((u) => !u.stale),
        `viewer ${i} was shown stale EC2 data`,
      );
    });

    // The killed leader's viewers reconnect (the Service sends them to a survivor) and get everything.
    const again = new Viewer();
    viewers.push(again);
    await again.connect(newLeader.url);
    const t = await again.until((x) => nginxRunning(x) === 30, "the survivors' snapshot");
    assert.ok(t.nodes.every((n) => n.enisKnown && n.enis.length === 3));
  });
});
