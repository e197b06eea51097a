// GET /api/plan as a reviewer would check it: the scale lab planned to 50 replicas answers what the lab
// shows (43 nginx Running, 7 Pending for "Too many pods"), each kind of bad input is a 400 that names what
// it refuses, the plan needs the token like every data route, a client gets one plan at a time, and
// planning changes nothing: not the served topology, not the input, no route that writes.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { applyPlanDelta, decodeTopology, type PlanReply } from "@eni-view/model";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../app.ts";
import { PlanTimeoutError, PlanWorker } from "../plan/planWorker.ts";
import { SnapshotStore } from "../snapshots/store.ts";
import { DumpSource } from "../sources/dumpSource.ts";
import { TopologyFeed } from "../topologyFeed.ts";

// The scale lab as the simulator captured it at 2 replicas: 3 × t3.medium in node group ng1, CoreDNS and nginx.
const lab = new URL("../sources/dump/fixtures/scale-lab-2", import.meta.url).pathname;
const TOKEN = "plan-test-token-0123456789";

describe("GET /api/plan", () => {
  let feed: TopologyFeed;
  let app: FastifyInstance;

  before(async () => {
    feed = new TopologyFeed(new DumpSource(lab));
    await feed.start();
    app = await buildApp({ feed, webDist: null, authToken: TOKEN });
    await app.ready();
  });
  after(async () => {
    await app.close();
    await feed.stop();
  });

  const get = (query: string, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
    app.inject({ method: "GET", url: `/api/plan?${query}`, headers });

  it("plans the scale lab at 50 replicas in the worker: 43 nginx Running, 7 Pending for too many pods", async () => {
    const before = { seq: feed.topology().seq, input: JSON.stringify(feed.planBase()?.input) };
    const res = await get("scale=default/nginx-deployment=50&seeds=2");
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers["cache-control"]), /no-store/);
    const reply = JSON.parse(res.body) as PlanReply;
    assert.equal(reply.query, "scale=default/nginx-deployment=50&seeds=2");
    assert.deepEqual(reply.seeds, [1, 2]);
    assert.equal(reply.basedOn.seq, before.seq);
    const planned = decodeTopology(reply.report);
    const nginx = (owner: string | null) => owner === "Deployment/nginx-deployment";
    assert.equal(planned.nodes.length, 3);
    assert.equal(planned.pods.filter((p) => nginx(p.owner)).length, 43);
    const pending = planned.pending.filter((p) => nginx(p.owner));
    assert.equal(pending.length, 7);
    assert.ok(pending.every((p) => p.reason === "too-many-pods"));
    assert.ok(reply.firstLimit, "the plan names the first limit hit");
    // Nothing moved: the plan read the cluster and wrote nowhere.
    assert.equal(feed.topology().seq, before.seq);
    assert.equal(JSON.stringify(feed.planBase()?.input), before.input);
  });

  it("sends the page the plan as its delta against the topology it holds: the same planned cluster", async () => {
    const whole = JSON.parse((await get("scale=default/nginx-deployment=50&seeds=2")).body) as PlanReply;
    const res = await get("scale=default/nginx-deployment=50&seeds=2&report=delta");
    assert.equal(res.statusCode, 200, res.body);
    const reply = JSON.parse(res.body) as PlanReply;
    assert.equal(reply.report, undefined);
    assert.equal(reply.basedOn.seq, feed.topology().seq);
    const planned = applyPlanDelta(feed.topology(), { ...reply, delta: reply.delta! });
    assert.deepEqual(planned, { ...decodeTopology(whole.report), generatedAt: reply.plannedAt });
    assert.deepEqual(reply.pending, whole.pending);
    assert.match(String(res.headers["server-timing"]), /cpu;dur=[0-9.]+/);
  });

  it("answers each bad input with a 400 naming it", async () => {
    const cases: [string, string, RegExp][] = [
      ["scale=default/no-such-app=5", "default/no-such-app", /no-such-app/],
      ["add=ng-nope=1", "ng-nope", /ng-nope/],
      ["set=WARM_BANANA_TARGET=1", "WARM_BANANA_TARGET", /unknown setting "WARM_BANANA_TARGET"/],
      ["add=ng1=1:t3.gigantic", "t3.gigantic", /t3\.gigantic/],
      ["scale=default/nginx-deployment=-3", "scale", /the count -3 is negative/],
      ["set=WARM_IP_TARGET=lots", "WARM_IP_TARGET", /WARM_IP_TARGET/],
      ["frobnicate=1", "frobnicate", /unknown plan parameter "frobnicate"/],
      ["scale=default/nginx-deployment=5&report=all", "report", /report=all is not whole or delta/],
      ["", "plan", /changes nothing/],
    ];
    for (const [query, field, message] of cases) {
      const res = await get(query);
      assert.equal(res.statusCode, 400, `${query}: ${res.body}`);
      const body = JSON.parse(res.body) as { error: string; field: string | null; message: string };
      assert.match(body.message, message, query);
      assert.ok(
        body.field?.includes(field) || field.includes(body.field ?? "\u0000"),
        `${query}: field ${body.field}`,
      );
    }
  });

  it("needs the access token like every data route", async () => {
    assert.equal((await get("scale=default/nginx-deployment=3", {})).statusCode, 401);
    const res = await app.inject({
      method: "GET",
      url: `/api/plan?scale=default/nginx-deployment=3&token=${TOKEN}`,
    });
    assert.equal(res.statusCode, 200, res.body);
  });

  it("takes one plan at a time from a client: a second one while the first runs is told to wait", async () => {
    const [first, second] = await Promise.all([
      get("scale=default/nginx-deployment=20"),
      get("scale=default/nginx-deployment=30"),
    ]);
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(second.statusCode, 429);
    assert.ok(Number(second.headers["retry-after"]) > 0);
    const body = JSON.parse(second.body);
    assert.match(body.message, /a plan from this client is still running/);
    // The catalogue key beside it, which the page says in its language.
    assert.equal(body.key, "plan.mine");
  });

  it("writes nothing: other methods are refused and the topology is unchanged", async () => {
    const seq = feed.topology().seq;
    for (const method of ["POST", "PUT", "PATCH", "DELETE"] as const) {
      const res = await app.inject({
        method,
        url: "/api/plan?scale=default/nginx-deployment=50",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        payload: "{}",
      });
      assert.equal(res.statusCode, 405, `${method}: ${res.body}`);
    }
    assert.equal(feed.topology().seq, seq);
  });
});

describe("a Freeze of a plan", () => {
  let feed: TopologyFeed;
  let app: FastifyInstance;
  let store: SnapshotStore;
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "eni-view-plan-freeze-"));
    feed = new TopologyFeed(new DumpSource(lab));
    await feed.start();
    store = await SnapshotStore.open({ path: join(dir, "snapshots.db") });
    app = await buildApp({ feed, webDist: null, snapshots: store });
    await app.ready();
  });
  after(async () => {
    await app.close();
    await feed.stop();
    store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps the server's own plan beside the frozen view, and refuses a bad plan without storing anything", async () => {
    const plan = encodeURIComponent("scale=default/nginx-deployment=50");
    const made = await app.inject({ method: "POST", url: `/api/snapshots?plan=${plan}` });
    assert.equal(made.statusCode, 201, made.body);
    const { id } = JSON.parse(made.body) as { id: string };
    const frozen = JSON.parse((await app.inject({ method: "GET", url: `/api/snapshots/${id}` })).body) as {
      nodes: unknown[];
      plan: PlanReply;
    };
    assert.equal(frozen.nodes.length, 3);
    assert.equal(frozen.plan.query, "scale=default/nginx-deployment=50");
    assert.equal(
      decodeTopology(frozen.plan.report).pending.filter((p) => p.reason === "too-many-pods").length,
      7,
    );

    const count = store.count();
    const bad = await app.inject({
      method: "POST",
      url: `/api/snapshots?plan=${encodeURIComponent("scale=default/ghost=5")}`,
    });
    assert.equal(bad.statusCode, 400, bad.body);
    assert.match(JSON.parse(bad.body).message, /ghost/);
    assert.equal(store.count(), count);
  });
});

describe("the planner's thread", () => {
  it("is ended when a plan runs past its time, and the next plan starts a fresh one", async () => {
    const worker = new PlanWorker({ timeoutMs: 1 });
    const request = {
      changes: [],
      seeds: [1],
      query: "",
      basedOn: { seq: 1, generatedAt: new Date(0).toISOString() },
      plannedAt: new Date(0).toISOString(),
      report: "whole" as const,
    };
    await assert.rejects(
      worker.plan(1, () => ({}), request),
      PlanTimeoutError,
    );
    assert.equal(worker.started, false);
    await assert.rejects(
      worker.plan(1, () => ({}), request),
      PlanTimeoutError,
    );
    await worker.close();
  });
});
