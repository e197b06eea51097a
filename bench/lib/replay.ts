// A stand-in server for the 1,000-update test in the browser: it serves the built dashboard, a topology
// taken from the real server (plain or, as the page asks, in the compact form), and on push() (or GET
// /bench/next from the page) one small live change at a time (a pod takes a warm IP or leaves, as
// apps/web/src/dev/syntheticChanges.ts makes them), as the same delta events the real server streams
// (oneChangeDelta below; the unit test checks it against the model's diffTopology). The real server
// cannot produce 1,000 changes in a minute at 5,000 nodes (it coalesces rebuilds), and the page's
// handling of a delta does not depend on who sent it.
import { readFile } from "node:fs/promises";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";
import {
  diffTopology,
  encodeTopology,
  type PodReport,
  type Topology,
  type TopologyDelta,
} from "@eni-view/model";
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

/** The part of two lists that differs, found by reference: what is left between their common start and end. */
function differing<T>(prev: readonly T[], next: readonly T[]): [T[], T[]] {
  let i = 0;
  while (i < prev.length && i < next.length && prev[i] === next[i]) i++;
  let a = prev.length;
  let b = next.length;
  while (a > i && b > i && prev[a - 1] === next[b - 1]) {
    a--;
    b--;
  }
  return [prev.slice(i, a), next.slice(i, b)];
}

/**
 * The delta from `prev` to `next` when `next` is a few changes that share every other object with `prev`
 * (one node, one pod in or out, the summary): what diffTopology returns, computed on the parts that
 * differ by reference instead of on all 150,000 pods, which takes longer than the page needs to apply it.
 */
export function oneChangeDelta(prev: Topology, next: Topology): TopologyDelta | null {
  if (next === prev) return null;
  const [prevNodes, nextNodes] = differing(prev.nodes, next.nodes);
  const [prevPods, nextPods] = differing(prev.pods, next.pods);
  return diffTopology(
    { ...prev, nodes: prevNodes, pods: prevPods },
    { ...next, nodes: nextNodes, pods: nextPods },
  );
}

const podKey = (p: PodReport): string => `${p.namespace}/${p.name}`;

function keySorted(pods: readonly PodReport[]): boolean {
  for (let i = 1; i < pods.length; i++) if (podKey(pods[i - 1]!) >= podKey(pods[i]!)) return false;
  return true;
}

/**
 * One synthetic change; a new pod goes to its key's place when the pod list is in key order (`sorted`), as
 * it is in the model's reports (the synthetic change appends it).
 */
export function nextReplayTopology(prev: Topology, random: () => number, sorted: boolean): Topology {
  const next = nextSyntheticTopology(prev, random, prev.seq);
  if (!sorted || next.pods.length !== prev.pods.length + 1) return next;
  const pods = next.pods.slice(0, -1);
  const pod = next.pods[next.pods.length - 1]!;
  const k = podKey(pod);
  let lo = 0;
  let hi = pods.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (podKey(pods[mid]!) < k) lo = mid + 1;
    else hi = mid;
  }
  pods.splice(lo, 0, pod);
  return { ...next, pods };
}

export async function startReplay(topology: Topology, webDist: string, seed = 1): Promise<ReplayServer> {
  let current = topology;
  let json: string | null = null;
  let compact: string | null = null;
  const sorted = keySorted(topology.pods);
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
      res.writeHead(200, { "content-type": "application/json" }).end(body(req.url));
    } else if (path === "/api/history") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"minutes":60,"points":[]}');
    } else if (path === "/api/stream") {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      res.write(`retry: 2000\n\nid: ${current.seq}\nevent: snapshot\ndata: ${body(req.url)}\n\n`);
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
  /** The current topology as the request asks for it: compact with ?encoding=compact, else plain JSON. */
  function body(url: string | undefined): string {
    if (/[?&]encoding=compact\b/.test(url ?? "")) {
      compact ??= JSON.stringify(encodeTopology(current));
      return compact;
    }
    json ??= JSON.stringify(current);
    return json;
  }
  function push(): number {
    for (;;) {
      const next = nextReplayTopology(current, random, sorted);
      const delta = oneChangeDelta(current, next);
      current = next;
      json = null;
      compact = null;
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
