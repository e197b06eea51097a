// The server under load, measured by its resident memory against the Deployment's 1 GiB limit: a burst of
// 50 concurrent /api/topology requests per encoding (what 50 browsers or `curl --compressed` send), a
// reconnect storm (200 dashboards reconnecting at once after a rollout, each taking a compact snapshot
// through gzip) and 200 viewers that never read their stream. RSS is sampled over IPC every 100 ms.
import { once } from "node:events";
import http from "node:http";
import { connect, type Socket } from "node:net";
import { createGunzip } from "node:zlib";
import type { Child } from "../lib/child.ts";
import { makeRecord } from "../lib/records.ts";
import { summarise } from "../lib/stats.ts";

export interface LoadPhaseOptions {
  size: number;
  url: string;
  /** The server's probe port (--probe-port), where the Deployment's liveness probe goes. */
  probeUrl: string;
  server: Child<unknown>;
  /** Concurrent requests per encoding in the burst (50). */
  burst: number;
  /** Viewers in the reconnect storm and among the slow viewers (200). */
  viewers: number;
  /** How long the slow viewers hold their streams. */
  holdMs: number;
  /** Sockets that never finish their request headers, open while /livez is probed (2,000). */
  slowloris: number;
  log: (line: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The server's peak resident memory while `work` runs (sampled), and how long the work took. */
async function peakRss<T>(
  server: Child<unknown>,
  work: () => Promise<T>,
): Promise<{ rss: number; ms: number; out: T }> {
  let peak = 0;
  let running = true;
  let unanswered: Error | null = null;
  const sampler = (async () => {
    while (running) {
      try {
        const m = await server.ask<{ rss: number }>("memory", {}, 60_000);
        peak = Math.max(peak, m.rss);
      } catch (err) {
        // A server whose event loop is held for a minute is a finding, not a reason to stop the bench.
        unanswered ??= err as Error;
      }
      await sleep(100);
    }
  })();
  const t0 = performance.now();
  try {
    const out = await work();
    if (unanswered) throw unanswered;
    return { rss: peak, ms: performance.now() - t0, out };
  } finally {
    running = false;
    await sampler;
  }
}

/** One GET read to its end; resolves with the bytes received. */
function get(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    // A connection of its own, as each of 50 browsers would have: a kept-alive one from the burst before
    // may be closed by the server's keep-alive timeout just as it is reused ("socket hang up").
    const req = http.get(url, { headers, agent: false }, (res) => {
      let bytes = 0;
      res.on("data", (c: Buffer) => {
        bytes += c.length;
      });
      res.on("end", () =>
        res.statusCode === 200 ? resolve(bytes) : reject(new Error(`${url}: ${res.statusCode}`)),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}

/** A dashboard's stream (compact, gzip) read until the server's `ready` event; returns a closer. */
function viewerUntilReady(url: string): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      `${url}/api/stream?encoding=compact`,
      { headers: { accept: "text/event-stream", "accept-encoding": "gzip" }, agent: false },
      (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`stream answered ${res.statusCode}`));
          res.resume();
          return;
        }
        const body = res.headers["content-encoding"] === "gzip" ? res.pipe(createGunzip()) : res;
        body.setEncoding("utf8");
        let tail = "";
        body.on("data", (chunk: string) => {
          tail = (tail + chunk).slice(-64 * 1024);
          if (tail.includes("event: refused\n"))
            reject(new Error(`a viewer was refused: ${tail.slice(0, 300)}`));
          if (tail.includes("event: ready\n")) {
            tail = "";
            resolve(() => req.destroy());
          }
        });
        body.on("error", () => {});
      },
    );
    req.on("error", reject);
  });
}

/** A stream whose reader never reads: the socket is paused as soon as the headers are in. */
function stalledViewer(url: string): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      `${url}/api/stream`,
      { headers: { accept: "text/event-stream" }, agent: false },
      (res) => {
        res.pause();
        res.socket.pause();
        resolve(() => req.destroy());
      },
    );
    req.on("error", reject);
  });
}

/** Sockets that start a request and never finish its headers (slowloris). */
export async function slowloris(url: string, count: number): Promise<Socket[]> {
  const { hostname, port } = new URL(url);
  const open = async () => {
    const socket = connect(Number(port), hostname);
    socket.on("error", () => {});
    await once(socket, "connect");
    socket.write(`GET /livez HTTP/1.1\r\nHost: ${hostname}\r\nX-Slow: `);
    return socket;
  };
  const sockets: Socket[] = [];
  // In batches, so the bench process does not open 2,000 connections in one go.
  for (let i = 0; i < count; i += 100)
    sockets.push(...(await Promise.all(Array.from({ length: Math.min(100, count - i) }, open))));
  return sockets;
}

/** Runs each scenario in turn into `records` (kept when a later one fails); throws the first failure at the end. */
export async function loadPhase(
  o: LoadPhaseOptions,
  records: ReturnType<typeof makeRecord>[],
): Promise<void> {
  const failures: Error[] = [];
  const attempt = async (name: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (err) {
      o.log(`  ${name} failed: ${(err as Error).message}`);
      failures.push(new Error(`${name}: ${(err as Error).message}`));
    }
  };
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MiB`;
  for (const encoding of ["br", "gzip", "identity"]) {
    await attempt(`topology burst (${encoding})`, async () => {
      const { rss, ms, out } = await peakRss(o.server, () =>
        Promise.all(
          Array.from({ length: o.burst }, () =>
            get(`${o.url}/api/topology`, { "accept-encoding": encoding }),
          ),
        ),
      );
      o.log(
        `  ${o.burst} x /api/topology (${encoding}, ${out[0]} bytes each): ${ms.toFixed(0)} ms, RSS peak ${mib(rss)}`,
      );
      const note = `${o.burst} concurrent GET /api/topology, Accept-Encoding: ${encoding}; ${out[0]} bytes each`;
      records.push(
        makeRecord(`load: RSS peak, topology burst (${encoding})`, o.size, "bytes", summarise([rss]), note),
      );
      records.push(
        makeRecord(`load: topology burst (${encoding}), all answered`, o.size, "ms", summarise([ms]), note),
      );
    });
  }

  await attempt("reconnect storm", async () => {
    const storm = await peakRss(o.server, async () => {
      const closers = await Promise.all(Array.from({ length: o.viewers }, () => viewerUntilReady(o.url)));
      for (const close of closers) close();
    });
    o.log(
      `  reconnect storm of ${o.viewers}: all ready in ${storm.ms.toFixed(0)} ms, RSS peak ${mib(storm.rss)}`,
    );
    const stormNote = `${o.viewers} dashboards open /api/stream?encoding=compact with gzip at once, read to ready`;
    records.push(
      makeRecord("load: RSS peak, reconnect storm", o.size, "bytes", summarise([storm.rss]), stormNote),
    );
    records.push(
      makeRecord("load: reconnect storm, all ready", o.size, "ms", summarise([storm.ms]), stormNote),
    );
  });

  await sleep(2000);
  await attempt("viewers that never read", async () => {
    const slow = await peakRss(o.server, async () => {
      const closers = await Promise.all(Array.from({ length: o.viewers }, () => stalledViewer(o.url)));
      await sleep(o.holdMs);
      for (const close of closers) close();
    });
    o.log(`  ${o.viewers} viewers that never read, held ${o.holdMs} ms: RSS peak ${mib(slow.rss)}`);
    records.push(
      makeRecord(
        "load: RSS peak, viewers that never read",
        o.size,
        "bytes",
        summarise([slow.rss]),
        `${o.viewers} plain /api/stream connections paused from the start, held ${o.holdMs / 1000} s`,
      ),
    );
  });

  // The kubelet's liveness probe while 2,000 requests hang on their headers: the server closes them
  // after its headers timeout (10 s), and Node raises its open-file limit to the hard limit at start,
  // so they take no descriptor /livez needs meanwhile. The probe goes to the probe port, as the
  // Deployment sends it (a thread of its own: the main thread's builds and collections do not hold it);
  // /livez on the serving port is timed beside it, for what a busy main thread costs.
  await attempt("slowloris", async () => {
    const sockets = await slowloris(o.url, o.slowloris);
    const probe: number[] = [];
    const serving: number[] = [];
    const timed = async (url: string, into: number[]) => {
      const t0 = performance.now();
      const res = await fetch(`${url}/livez`);
      await res.text();
      if (res.status !== 200)
        throw new Error(`${url}/livez answered ${res.status} beside ${o.slowloris} slowloris sockets`);
      into.push(performance.now() - t0);
    };
    try {
      // Within the server's 10 s headers timeout, after which the sockets are gone.
      for (let i = 0; i < 20; i++) {
        await Promise.all([timed(o.probeUrl, probe), timed(o.url, serving)]);
        await sleep(200);
      }
    } finally {
      for (const s of sockets) s.destroy();
    }
    o.log(
      `  /livez beside ${o.slowloris} slowloris sockets: probe port max ${Math.max(...probe).toFixed(1)} ms, serving port max ${Math.max(...serving).toFixed(1)} ms`,
    );
    const note = `${o.slowloris} sockets that never finish their request headers, 20 probes`;
    records.push(
      makeRecord(
        "load: /livez beside slowloris sockets, max",
        o.size,
        "ms",
        { ...summarise(probe), value: Math.max(...probe) },
        `${note}, on the probe port (--probe-port) the liveness probe uses`,
      ),
    );
    records.push(
      makeRecord(
        "load: /livez on the serving port beside slowloris sockets, max",
        o.size,
        "ms",
        { ...summarise(serving), value: Math.max(...serving) },
        `${note}, on the serving port, behind the main thread's work`,
      ),
    );
  });
  if (failures.length > 0) throw failures[0];
}
