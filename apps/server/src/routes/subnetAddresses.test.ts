// GET /api/subnets/:id/addresses on the scale lab's capture: the map the page draws on the overview is the
// one the whole topology gives, and the overview's subnet counts are the whole topology's.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import {
  decodeSubnetMap,
  decodeTopology,
  type SubnetMapWire,
  type SubnetMatchesWire,
  search,
  subnetMapOf,
  subnetMatches,
  summariseAddressMap,
  type Topology,
} from "@eni-view/model";
import type { FastifyInstance } from "fastify";
import { type LabOverviewApp, labOverviewApp } from "../testing/labOverviewApp.ts";

describe("GET /api/subnets/:id/addresses and the overview's subnets", () => {
  let lab: LabOverviewApp;
  let app: FastifyInstance;
  let whole: Topology;

  before(async () => {
    // The lab has 3 nodes: the line at 3 sends them the overview, at 4 the whole snapshot.
    lab = await labOverviewApp();
    ({ app, whole } = lab);
  });
  after(() => lab.close());

  it("answers each subnet in use with the map of the whole topology, whose counts are the subnet's", async () => {
    const used = whole.subnets.filter((s) => s.used && s.space);
    assert.ok(used.length > 0, "the lab's nodes use subnets");
    for (const s of used) {
      const res = await app.inject({ method: "GET", url: `/api/subnets/${s.id}/addresses` });
      assert.equal(res.statusCode, 200, s.cidr);
      const map = decodeSubnetMap(res.json() as SubnetMapWire);
      assert.deepEqual(map, subnetMapOf(whole, s), s.cidr);
      assert.deepEqual(summariseAddressMap(map), s.space, s.cidr);
    }
  });

  it("sends the map compressed to a browser that takes brotli or gzip, the same map", async () => {
    const s = whole.subnets.find((x) => x.used && x.space)!;
    const url = `/api/subnets/${s.id}/addresses`;
    const plain = (await app.inject({ method: "GET", url })).body;
    for (const [encoding, undo] of [
      ["br", brotliDecompressSync],
      ["gzip", gunzipSync],
    ] as const) {
      const res = await app.inject({ method: "GET", url, headers: { "accept-encoding": encoding } });
      assert.equal(res.headers["content-encoding"], encoding);
      assert.equal(undo(res.rawPayload).toString("utf8"), plain, encoding);
    }
  });

  it("lights the addresses the search box's query matches over the whole cluster", async () => {
    const s = whole.subnets.find((x) => x.used && x.space && x.space.podIps > 0)!;
    for (const q of ["app=nginx", "namespace=kube-system", s.cidr]) {
      const res = await app.inject({
        method: "GET",
        url: `/api/subnets/${s.id}/matches?q=${encodeURIComponent(q)}`,
      });
      assert.equal(res.statusCode, 200, q);
      const body = res.json() as SubnetMatchesWire;
      assert.deepEqual(
        { lit: body.lit, count: body.count },
        subnetMatches(subnetMapOf(whole, s)!, search(whole, q)),
        q,
      );
      assert.equal(body.query, q);
    }
    const bad = await app.inject({
      method: "GET",
      url: `/api/subnets/${s.id}/matches?q=${encodeURIComponent("app in web")}`,
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().key, "inNeedsSet");
  });

  it("says 404 for a subnet it has no map of", async () => {
    for (const url of ["/api/subnets/subnet-nope/addresses", "/api/subnets/subnet-nope/matches?q=x"]) {
      const res = await app.inject({ method: "GET", url });
      assert.equal(res.statusCode, 404, url);
      assert.equal(res.json().error, "subnet-not-mapped", url);
    }
  });

  it("sends the overview with every subnet's and zone's counts as /api/topology has them", async () => {
    const address = await app.listen({ host: "127.0.0.1", port: 0 });
    const controller = new AbortController();
    let text = "";
    try {
      const res = await fetch(`${address}/api/stream?view=auto&encoding=compact`, {
        signal: controller.signal,
      });
      const reader = res.body!.getReader();
      while (!/event: overview\ndata: .*\n\n/.test(text)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
    } finally {
      controller.abort();
    }
    const data = /event: overview\ndata: (.*)\n\n/.exec(text)?.[1];
    assert.ok(data, "the stream opened with the overview");
    const thin = decodeTopology(JSON.parse(data).topology);
    const topo = (await app.inject({ method: "GET", url: "/api/topology" })).json() as Topology;
    assert.deepEqual(thin.pods, [], "the overview holds no pod");
    assert.deepEqual(thin.subnets, topo.subnets);
    assert.deepEqual(thin.zones, topo.zones);
  });
});
