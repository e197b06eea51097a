// The overview stream on the simulator: a page that asks for the overview gets every node's numbers
// without ENIs or pods, sets the nodes it has in view, and gets their detail, which must be exactly the
// whole topology's; a pod change on a node in view arrives as detail, elsewhere only as numbers.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  applyDelta,
  decodeTopology,
  type NodeDetail,
  type OverviewTopology,
  sameJson,
  type Topology,
  type TopologyDelta,
} from "@eni-view/model";
import type { Sim } from "@eni-view/sim";
import { type RunningServer, startServer } from "../server.ts";
import { SimSource } from "../sources/simSource.ts";
import { simKubectl } from "../testing/simInput.ts";
import { SseClient } from "../testing/sseClient.ts";

describe("GET /api/stream?view=overview with the nodes in view, on the simulator", () => {
  let server: RunningServer;
  let sim: Sim;
  let base: string;
  const sse = new SseClient();

  before(async () => {
    const source = new SimSource({ speed: 20, ec2IntervalMs: 1500, ec2MinGapMs: 200 });
    server = await startServer(source, {
      host: "127.0.0.1",
      port: 0,
      webDist: null,
      feed: { coalesceMs: 50 },
    });
    base = server.url;
    sim = source.endpoints!;
    const deadline = Date.now() + 30_000;
    while (!server.feed.isReady()) {
      if (Date.now() > deadline) throw new Error("the server never became ready");
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  after(async () => {
    sse.close();
    await server?.close();
  });

  /** Events from index `from` on, until one passes `test`. */
  async function next(from: number, test: (e: { event: string; data: string }) => boolean, what: string) {
    const deadline = Date.now() + 30_000;
    for (let i = from; ; ) {
      if (i < sse.events.length) {
        const e = sse.events[i++]!;
        if (test(e)) return { e, at: i };
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it("sends numbers first, then exactly the whole detail of the nodes in view, and their changes", async () => {
    await sse.connect(`${base}/api/stream?view=overview&encoding=compact`);
    const first = await next(0, (e) => e.event === "overview", "the overview");
    const body = JSON.parse(first.e.data) as { stream: string; topology: unknown };
    let overview = decodeTopology(body.topology as never) as OverviewTopology;
    assert.equal(overview.nodes.length, 3);
    assert.deepEqual(overview.pods, [], "no pod list in the overview");
    for (const n of overview.nodes) {
      assert.deepEqual(n.enis, []);
      assert.ok(n.omitted && n.omitted.enis > 0, `${n.name} says its ENIs were left out`);
      assert.ok(n.pods > 0 && n.ipsAssigned > 0, `${n.name} keeps its numbers`);
    }
    assert.equal(
      overview.groups.reduce((s, g) => s + g.pods, 0),
      overview.nodes.reduce((s, n) => s + n.pods, 0),
    );

    // The node in view: its detail equals what the whole topology says of it.
    const node = overview.nodes[0]!.name;
    const post = (nodes: unknown, id = body.stream) =>
      fetch(`${base}/api/stream/${id}/nodes`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ nodes }),
      });
    assert.equal((await post([node])).status, 204);
    const got = await next(first.at, (e) => e.event === "detail", "the detail of the node in view");
    // The cluster may still move (warm IPs settling): the last detail the stream sent is compared with
    // the whole topology once both are at the same moment.
    const lastDetail = () =>
      JSON.parse(sse.events.filter((e) => e.event === "detail").at(-1)!.data) as NodeDetail;
    let detail = lastDetail();
    let whole = (await (await fetch(`${base}/api/topology`)).json()) as Topology;
    for (let i = 0; i < 50 && detail.seq !== whole.seq; i++) {
      await new Promise((r) => setTimeout(r, 100));
      whole = (await (await fetch(`${base}/api/topology`)).json()) as Topology;
      detail = lastDetail();
      if (detail.seq > whole.seq) continue;
      // A later topology that did not touch the node leaves its last detail current.
      if (
        sameJson(
          whole.nodes.find((n) => n.name === node),
          detail.nodes[0],
        )
      )
        break;
    }
    assert.deepEqual(
      detail.nodes,
      whole.nodes.filter((n) => n.name === node),
    );
    assert.deepEqual(
      detail.pods,
      whole.pods.filter((p) => p.node === node),
    );
    assert.ok(detail.nodes[0]!.enis.length > 0 && detail.pods.length > 0);

    // Scale up: pods land on every node. The node in view gets its detail again, with the new pods in
    // its slots; the others change only in the overview's numbers.
    let at = got.at;
    const nginxOn = (pods: { name: string; node: string }[], n: string) =>
      pods.filter((p) => p.name.startsWith("nginx-deployment") && p.node === n).length;
    const before = nginxOn(detail.pods, node);
    const podsBefore = overview.nodes.reduce((s, n) => s + n.pods, 0);
    await simKubectl(sim, "scale", "deployment", "nginx-deployment", "--replicas=14");
    const names = new Set<string>();
    let latest = detail;
    while (
      nginxOn(latest.pods, node) <= before ||
      overview.nodes.reduce((s, n) => s + n.pods, 0) < podsBefore + 12
    ) {
      const r = await next(at, (e) => e.event === "detail" || e.event === "delta", "the scale-up");
      at = r.at;
      if (r.e.event === "delta")
        overview = applyDelta(overview, JSON.parse(r.e.data) as TopologyDelta) as OverviewTopology;
      else {
        latest = JSON.parse(r.e.data) as NodeDetail;
        for (const n of latest.nodes) names.add(n.name);
      }
    }
    assert.deepEqual([...names], [node], "detail came only for the node in view");
    // Every nginx pod of the detail sits in a slot of the node's ENIs, by its key.
    const held = new Set(latest.nodes[0]!.enis.flatMap((e) => e.slots.map((x) => x.pod)));
    for (const p of latest.pods.filter((x) => x.name.startsWith("nginx-deployment")))
      assert.ok(held.has(`${p.namespace}/${p.name}`), `${p.name} is in a slot of ${node}`);
    for (const n of overview.nodes)
      assert.deepEqual(n.enis, [], "the overview's nodes stay thin after deltas");

    // Only the stream's own client steers it, and only with names.
    assert.equal((await post([node], "00000000-0000-0000-0000-000000000000")).status, 404);
    assert.equal((await post("all")).status, 400);
  });
});
