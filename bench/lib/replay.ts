// A stand-in server for the 1,000-update test in the browser: it serves the built dashboard, a topology
// taken from the real server, and on push() (or GET /bench/next from the page) one small live change at a time (a pod takes a warm IP or
// leaves, as apps/web/src/dev/syntheticChanges.ts makes them), as the same delta events the real server
// streams (oneChangeDelta below; the unit test checks it against the model's diffTopology). The real server cannot produce 1,000 changes in a minute
// at 5,000 nodes (it coalesces rebuilds), and the page's handling of a delta does not depend on who sent it.
import { readFile } from "node:fs/promises";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";
import type { PodReport, Topology, TopologyDelta } from "@eni-view/model";
import { nextSyntheticTopology } from "../../apps/web/src/dev/syntheticChanges.ts";

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".map": "application/json",
};

export interface ReplayServer {
  url: string;
  /** Applies one change and streams its delta to every viewer; returns the delta's bytes. */
  push(): number;
  viewers(): number;
  close(): Promise<void>;
}

/**
 * The delta from `prev` to `next` when `next` is one synthetic change (one node, one pod in or out, the
 * summary): what diffTopology returns, found by reference instead of by comparing every pod, because at
 * 150,000 pods diffTopology takes longer than the page needs to apply the delta.
 */
export function oneChangeDelta(prev: Topology, next: Topology): TopologyDelta | null {
  if (next === prev) return null;
  const changed = next.nodes.filter((n, i) => n !== prev.nodes[i]);
  let upsert: PodReport[] = [];
  let remove: string[] = [];
  if (next.pods.length > prev.pods.length) upsert = next.pods.slice(prev.pods.length);
  else if (next.pods.length < prev.pods.length) {
    // The pod that left is the one the changed node's slots no longer hold.
    const now = new Set(changed.flatMap((n) => n.enis.flatMap((e) => e.slots.map((s) => s.pod))));
    remove = prev.nodes
      .filter((n) => changed.some((c) => c.name === n.name))
      .flatMap((n) => n.enis.flatMap((e) => e.slots.map((s) => s.pod)))
      .filter((p): p is string => p !== null && !now.has(p));
  }
  return {
    seq: next.seq,
    generatedAt: next.generatedAt,
    summary: next.summary,
    nodes: { upsert: changed, remove: [] },
    ...(upsert.length > 0 || remove.length > 0 ? { pods: { upsert, remove } } : {}),
  };
}

export async function startReplay(topology: Topology, webDist: string, seed = 1): Promise<ReplayServer> {
  let current = topology;
  let json: string | null = null;
  const viewers = new Set<ServerResponse>();
  let state = seed * 7919 + 1;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const server: Server = createServer(async (req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (path === "/bench/next") {
      // The page asks for the next change once it has drawn the previous one.
      const bytes = push();
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ bytes }));
    } else if (path === "/api/topology") {
      json ??= JSON.stringify(current);
      res.writeHead(200, { "content-type": "application/json" }).end(json);
    } else if (path === "/api/history") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"minutes":60,"points":[]}');
    } else if (path === "/api/stream") {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      json ??= JSON.stringify(current);
      res.write(`retry: 2000\n\nid: ${current.seq}\nevent: snapshot\ndata: ${json}\n\n`);
      viewers.add(res);
      req.on("close", () => viewers.delete(res));
    } else {
      const file = normalize(join(webDist, path === "/" ? "index.html" : path));
      const inside = file.startsWith(normalize(webDist));
      try {
        if (!inside) throw new Error("outside");
        const body = await readFile(file);
        res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" }).end(body);
      } catch {
        const index = await readFile(join(webDist, "index.html"));
        res.writeHead(200, { "content-type": types[".html"] }).end(index);
      }
    }
  });
  function push(): number {
    for (;;) {
      const next = nextSyntheticTopology(current, random, current.seq);
      const delta = oneChangeDelta(current, next);
      current = next;
      json = null;
      if (!delta) continue;
      const frame = `id: ${delta.seq}\nevent: delta\ndata: ${JSON.stringify(delta)}\n\n`;
      for (const v of viewers) v.write(frame);
      return Buffer.byteLength(frame);
    }
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    push,
    viewers: () => viewers.size,
    async close() {
      for (const v of viewers) v.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
