// GET /api/search on the scale lab's capture, against the search the page runs on the whole topology, and
// view=auto on the stream: the whole snapshot below the line, the overview from it on.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type SearchAnswer, search, type Topology } from "@eni-view/model";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../app.ts";
import { type LabOverviewApp, labOverviewApp } from "../testing/labOverviewApp.ts";
import type { TopologyFeed } from "../topologyFeed.ts";

describe("GET /api/search and the stream's view=auto", () => {
  let lab: LabOverviewApp;
  let feed: TopologyFeed;
  let app: FastifyInstance;
  let whole: Topology;

  before(async () => {
    // The lab has 3 nodes: the line at 3 sends them the overview, at 4 the whole snapshot.
    lab = await labOverviewApp();
    ({ feed, app, whole } = lab);
  });
  after(() => lab.close());

  const get = async (url: string) => {
    const res = await app.inject({ method: "GET", url });
    return { status: res.statusCode, body: res.json() as SearchAnswer & { key?: string; message?: string } };
  };

  it("answers with the counts and nodes of the page's own search over the whole cluster", async () => {
    for (const q of ["app=nginx", "namespace=kube-system", "nginx", "192.168.0.0/16", "phase=Pending"]) {
      const { status, body } = await get(`/api/search?q=${encodeURIComponent(q)}`);
      assert.equal(status, 200, q);
      const r = search(whole, q);
      assert.equal(body.count, r.count, q);
      assert.deepEqual(
        body.nodes,
        whole.nodes.filter((n) => r.touched.has(n.name)).map((n) => n.name),
        q,
      );
      assert.equal(body.nodesTotal, r.touched.size, q);
      assert.equal(body.counts.pending, r.pending.size, q);
    }
    const nginx = (await get("/api/search?q=app%3Dnginx")).body;
    assert.ok(nginx.count > 0 && nginx.nodes.length === 2, "the lab's nginx pods sit on two nodes");
  });

  it("cuts the node list at limit and says how many there are in all", async () => {
    const { body } = await get("/api/search?q=app%3Dnginx&limit=1");
    assert.equal(body.nodes.length, 1);
    assert.equal(body.nodesTotal, 2);
  });

  it("says which term it cannot read, with the key the page words it by", async () => {
    const { status, body } = await get(`/api/search?q=${encodeURIComponent("app in web")}`);
    assert.equal(status, 400);
    assert.equal(body.key, "inNeedsSet");
    assert.match(body.message!, /app in web/);
    assert.equal((await get("/api/search?q=")).status, 400, "an empty query is refused");
  });

  it("view=auto sends the overview from the line on, the whole snapshot below it", async () => {
    const firstEvent = async (built: FastifyInstance) => {
      const address = await built.listen({ host: "127.0.0.1", port: 0 });
      const controller = new AbortController();
      try {
        const res = await fetch(`${address}/api/stream?view=auto&encoding=compact`, {
          signal: controller.signal,
        });
        const reader = res.body!.getReader();
        let text = "";
        while (!/event: (overview|snapshot)/.test(text)) {
          const { value, done } = await reader.read();
          if (done) break;
          text += new TextDecoder().decode(value);
        }
        return /event: (overview|snapshot)/.exec(text)?.[1];
      } finally {
        controller.abort();
        await built.close();
      }
    };
    assert.equal(await firstEvent(await buildApp({ feed, webDist: null, overviewFromNodes: 3 })), "overview");
    assert.equal(await firstEvent(await buildApp({ feed, webDist: null, overviewFromNodes: 4 })), "snapshot");
  });
});
