// No route changes anything. The app's routes are listed from Fastify itself (printRoutes), so a route
// added later with a writing method fails here until someone decides it is allowed. The one exception is
// POST /api/snapshots ("Freeze"), which writes only to eni-view's own snapshot file; and POST
// /api/stream/:id/nodes, which writes nothing at all: it tells an open overview stream which nodes the page
// has in view.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { FastifyInstance } from "fastify";
import { buildApp } from "./app.ts";
import { SnapshotStore } from "./snapshots/store.ts";
import { DumpSource } from "./sources/dumpSource.ts";
import { TopologyFeed } from "./topologyFeed.ts";

const lab = new URL("./fixtures/lab-2-replicas", import.meta.url).pathname;
const webDist = new URL("../../web/dist", import.meta.url).pathname;
const TOKEN = "routes-test-token-0123456789";

/** The only route allowed a method other than GET and HEAD. */
const allowedWrites = new Set(["POST /api/snapshots", "POST /api/stream/:id/nodes"]);

/** Reads printRoutes' tree ("├── api/topology (GET, HEAD)", children indented 4 per level, names
 * relative to their parent) back into full paths with their methods. */
export function parseRouteTree(tree: string): { path: string; methods: string[] }[] {
  const stack: string[] = [];
  const routes: { path: string; methods: string[] }[] = [];
  for (const line of tree.split("\n")) {
    const m = /^(.*?)(?:└── |├── )(.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = [...m[1]!].length / 4;
    stack.length = depth;
    stack.push(m[2]!);
    if (m[3]) routes.push({ path: stack.join("").replace(/\/+/g, "/"), methods: m[3].split(", ") });
  }
  return routes;
}

describe("no route mutates anything", () => {
  let feed: TopologyFeed;
  let app: FastifyInstance;
  let store: SnapshotStore;
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "eni-view-routes-"));
    feed = new TopologyFeed(new DumpSource(lab));
    await feed.start();
    store = await SnapshotStore.open({ path: join(dir, "snapshots.db") });
    // Everything switched on: the dashboard's files, the token, the snapshot store.
    app = await buildApp({ feed, webDist, authToken: TOKEN, snapshots: store });
    await app.ready();
  });
  after(async () => {
    await app.close();
    await feed.stop();
    store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("registers only GET and HEAD routes, plus the Freeze POST and the overview stream's nodes in view", () => {
    const routes = parseRouteTree(app.printRoutes({ commonPrefix: false }));
    const paths = routes.map((r) => r.path);
    for (const p of ["/api/topology", "/api/stream", "/api/history", "/metrics", "/api/snapshots/:id"])
      assert.ok(paths.includes(p), `${p} was found in the route list (the parser works)`);
    for (const route of routes) {
      for (const method of route.methods) {
        if (method === "GET" || method === "HEAD") continue;
        assert.ok(allowedWrites.has(`${method} ${route.path}`), `${method} ${route.path} is a writing route`);
      }
    }
    // Asked per method too, so a method the tree printer would fold away is still seen.
    for (const method of app.supportedMethods) {
      if (method === "GET" || method === "HEAD") continue;
      const tree = app.printRoutes({ commonPrefix: false, method: method as "POST" }).trim();
      if (method === "POST")
        assert.equal(tree, "├── /api/stream/:id/nodes (POST)\n└── /api/snapshots (POST)");
      else assert.equal(tree, "(empty tree)", `${method} routes: ${tree}`);
    }
  });

  it("answers every other method on every route with 404 or 405 and changes nothing", async () => {
    const routes = parseRouteTree(app.printRoutes({ commonPrefix: false }));
    const before = { seq: feed.topology().seq, snapshots: store.count() };
    const methods = ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
    for (const route of routes) {
      const url = route.path.replace(":id", "AAAAAAAAAAAAAAAAAAAAAA");
      for (const method of methods) {
        if (allowedWrites.has(`${method} ${route.path}`)) continue;
        const withBody = method !== "OPTIONS";
        const res = await app.inject({
          method,
          url,
          headers: {
            authorization: `Bearer ${TOKEN}`,
            ...(withBody ? { "content-type": "application/json" } : {}),
          },
          payload: withBody ? "{}" : undefined,
        });
        assert.ok([404, 405].includes(res.statusCode), `${method} ${url} answered ${res.statusCode}`);
      }
    }
    assert.deepEqual({ seq: feed.topology().seq, snapshots: store.count() }, before);
  });
});

describe("without a snapshot store (--no-snapshots)", () => {
  it("has no route but GET and HEAD (and the overview stream's nodes in view, which writes nothing), and Freeze answers 404", async () => {
    const feed = new TopologyFeed(new DumpSource(lab));
    await feed.start();
    const app = await buildApp({ feed, webDist: null });
    try {
      await app.ready();
      for (const method of app.supportedMethods) {
        if (method === "GET" || method === "HEAD") continue;
        assert.equal(
          app.printRoutes({ commonPrefix: false, method: method as "POST" }).trim(),
          method === "POST" ? "└── /api/stream/:id/nodes (POST)" : "(empty tree)",
        );
      }
      const res = await app.inject({ method: "POST", url: "/api/snapshots" });
      assert.equal(res.statusCode, 404);
    } finally {
      await app.close();
      await feed.stop();
    }
  });
});
