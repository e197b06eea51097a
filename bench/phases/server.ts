// Server and EC2 measurements against a running server on the simulator: pod change -> delta latency,
// snapshot and delta sizes, RSS, the CPU of one update with 100 viewers connected, EC2 calls from /metrics.
import { gunzipSync } from "node:zlib";
import type { Child } from "../lib/child.ts";
import { wallNow } from "../lib/clock.ts";
import { type BenchRecord, makeRecord } from "../lib/records.ts";
import { SseReader } from "../lib/sse.ts";
import { summarise } from "../lib/stats.ts";

export interface ServerPhaseOptions {
  size: number;
  url: string;
  sim: Child<unknown>;
  server: Child<unknown>;
  /** Pod changes measured after one warm-up change. */
  changes: number;
  snapshotRuns: number;
  viewers: number;
  /** Length of the quiet window for the idle CPU measure. */
  quietMs: number;
  log: (line: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A metric's value from Prometheus text, summed over its label sets (or those containing `labels`). */
export function metric(text: string, name: string, labels = "", zeroIfAbsent = false): number {
  let sum = 0;
  let found = false;
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/);
    if (m && m[1] === name && (m[2] ?? "").includes(labels)) {
      sum += Number(m[3]);
      found = true;
    }
  }
  if (!found && !zeroIfAbsent) throw new Error(`/metrics has no ${name}${labels ? ` with ${labels}` : ""}`);
  return sum;
}

async function metrics(url: string): Promise<string> {
  const res = await fetch(`${url}/metrics`);
  if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
  return res.text();
}

/** Bytes of /api/topology (`query`: "?encoding=compact" for the compact form) on the wire with this
 * Accept-Encoding (content-length or the bytes read). */
async function topologyBytes(
  url: string,
  encoding: string,
  query = "",
): Promise<{ bytes: number; decoded: number }> {
  const { request } = await import("node:http");
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/api/topology${query}`,
      { headers: { "accept-encoding": encoding } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          if (res.statusCode !== 200) return reject(new Error(`/api/topology answered ${res.statusCode}`));
          const body = Buffer.concat(chunks);
          const got = res.headers["content-encoding"] ?? "identity";
          if (got !== encoding) return reject(new Error(`asked for ${encoding}, got ${got}`));
          const decoded = got === "gzip" ? gunzipSync(body).length : body.length;
          resolve({ bytes: body.length, decoded });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

interface Delta {
  pods?: { upsert: unknown[]; remove: string[] };
  nodes?: { upsert: unknown[]; remove: string[]; patch?: unknown[] };
  pending?: { upsert: unknown[]; remove: string[] };
}

export async function serverPhase(o: ServerPhaseOptions): Promise<BenchRecord[]> {
  const { size, url, log } = o;
  const records: BenchRecord[] = [];
  const rec = (name: string, unit: string, samples: number[], p = 50, note?: string) =>
    records.push(makeRecord(name, size, unit, summarise(samples, p), note));

  const m0 = await metrics(url);
  const t0 = wallNow();
  const ec2Sum0 = metric(m0, "eniview_refresh_duration_seconds_sum", 'source="ec2"');
  const buildSum0 = metric(m0, "eniview_build_duration_seconds_sum");
  const buildCount0 = metric(m0, "eniview_build_duration_seconds_count");
  const actions = [
    "DescribeInstances",
    "DescribeNetworkInterfaces",
    "DescribeSubnets",
    "DescribeInstanceTypes",
    "GetSubnetCidrReservations",
  ];
  const byAction0 = actions.map((a) => metric(m0, "eniview_ec2_calls_total", `action="${a}"`, true));
  const ec2Count0 = metric(m0, "eniview_refresh_duration_seconds_count", 'source="ec2"');
  const calls0 = metric(m0, "eniview_ec2_calls_total");
  const refreshes0 = metric(m0, "eniview_ec2_refreshes_total");
  const errors0 = metric(m0, "eniview_ec2_errors_total", "", true);

  // First snapshot: what a new viewer receives on /api/stream. The dashboard asks for the compact form
  // (?encoding=compact) and, being a browser, for gzip; plain JSON is measured beside it, raw and gzip.
  const snapshotBytes: number[] = [];
  const snapshotMs: number[] = [];
  const compactRaw: number[] = [];
  const compactGzip: number[] = [];
  const compactMs: number[] = [];
  const plainGzip: number[] = [];
  let lastSeq = 0;
  const firstSnapshot = async (query: string, headers: Record<string, string>) => {
    const reader = new SseReader();
    const start = wallNow();
    await reader.connect(`${url}/api/stream${query}`, headers);
    const snap = await reader.waitFor((e) => e.event === "snapshot", 120_000, "snapshot");
    reader.close();
    return { snap, ms: snap.at - start };
  };
  for (let i = 0; i < o.snapshotRuns; i++) {
    const plain = await firstSnapshot("", {});
    const page = await firstSnapshot("?encoding=compact", { "accept-encoding": "gzip" });
    const plainGz = await firstSnapshot("", { "accept-encoding": "gzip" });
    log(
      `  snapshot ${i + 1}: plain ${plain.snap.bytes} B in ${plain.ms.toFixed(0)} ms (gzip ${plainGz.snap.wireBytes} B); ` +
        `compact ${page.snap.bytes} B, gzip ${page.snap.wireBytes} B on the wire, in ${page.ms.toFixed(0)} ms`,
    );
    snapshotBytes.push(plain.snap.bytes);
    snapshotMs.push(plain.ms);
    compactRaw.push(page.snap.bytes);
    compactGzip.push(page.snap.wireBytes);
    compactMs.push(page.ms);
    plainGzip.push(plainGz.snap.wireBytes);
    lastSeq = plain.snap.id ?? 0;
  }
  rec("server: first snapshot on /api/stream, raw", "bytes", snapshotBytes, 50, "plain JSON, uncompressed");
  rec(
    "server: first snapshot on /api/stream, compact, raw",
    "bytes",
    compactRaw,
    50,
    "?encoding=compact (model wire.ts), uncompressed",
  );
  rec(
    "server: first snapshot, gzip",
    "bytes",
    compactGzip,
    50,
    "what the dashboard receives: /api/stream?encoding=compact, Accept-Encoding: gzip, bytes on the wire",
  );
  rec(
    "server: first snapshot on /api/stream, plain JSON, gzip",
    "bytes",
    plainGzip,
    50,
    "/api/stream, Accept-Encoding: gzip, bytes on the wire",
  );
  rec(
    "server: first snapshot delivered",
    "ms",
    snapshotMs,
    50,
    "plain JSON: connect to last byte of the snapshot event",
  );
  rec(
    "server: first snapshot delivered, compact gzip",
    "ms",
    compactMs,
    50,
    "as the dashboard asks for it: connect to last byte of the snapshot event",
  );
  const gz: number[] = [];
  const br: number[] = [];
  const cbr: number[] = [];
  for (let i = 0; i < o.snapshotRuns; i++) {
    gz.push((await topologyBytes(url, "gzip")).bytes);
    br.push((await topologyBytes(url, "br")).bytes);
    cbr.push((await topologyBytes(url, "br", "?encoding=compact")).bytes);
    log(`  /api/topology ${i + 1}: gzip ${gz.at(-1)} B, br ${br.at(-1)} B; compact br ${cbr.at(-1)} B`);
  }
  rec("server: /api/topology plain JSON, gzip", "bytes", gz, 50, "GET /api/topology, Accept-Encoding: gzip");
  rec("server: /api/topology plain JSON, brotli", "bytes", br, 50, "GET /api/topology, Accept-Encoding: br");
  rec(
    "server: /api/topology compact, brotli",
    "bytes",
    cbr,
    50,
    "GET /api/topology?encoding=compact, Accept-Encoding: br",
  );

  // The latency reader and the viewers resume from the last seq, so none of them takes a snapshot.
  const main = new SseReader();
  await main.connect(`${url}/api/stream`, { "last-event-id": String(lastSeq) });
  const viewers: SseReader[] = [];
  for (let i = 0; i < o.viewers; i++) {
    const v = new SseReader({ light: true });
    await v.connect(`${url}/api/stream`, { "last-event-id": String(lastSeq) });
    viewers.push(v);
  }
  const started = await o.server.ask<{ viewers: number }>("fanoutStart");
  log(`  ${started.viewers} stream connections (${o.viewers} viewers + 1 latency reader)`);

  const latency: number[] = [];
  const lastViewer: number[] = [];
  const deltaBytes: number[] = [];
  const updateCpu: number[] = [];
  const deltaSeqs: number[] = [];
  const perRefresh: number[] = [];
  for (let i = 0; i < o.changes + 1; i++) {
    const cpu0 = await o.server.ask<{ cpuMs: number }>("cpu");
    const change = await o.sim.ask<{ key: string; at: number }>("deletePod", { index: i });
    const ev = await main.waitFor(
      (e) => e.event === "delta" && (JSON.parse(e.data) as Delta).pods?.remove?.includes(change.key) === true,
      60_000,
      `delta removing ${change.key}`,
    );
    const arrivals = await Promise.all(viewers.map((v) => v.waitForId(ev.id ?? -1, 60_000)));
    const cpu1 = await o.server.ask<{ cpuMs: number }>("cpu");
    const d = JSON.parse(ev.data) as Delta;
    // The parts of the warm-up's delta, and of any that carries more than the one change (a rebuild that
    // took in other changes too, such as an EC2 refresh).
    if (i === 0 || ev.bytes > 2048) {
      const part = (v: unknown) => (v === undefined ? 0 : Buffer.byteLength(JSON.stringify(v)));
      const all = d as Record<string, unknown>;
      log(
        `  delta parts (bytes): ${Object.keys(all)
          .map((k) => `${k} ${part(all[k])}`)
          .join(", ")}`,
      );
      log(
        `  ${i === 0 ? "warm-up " : ""}change: ${change.key} -> delta seq ${ev.id} in ${(ev.at - change.at).toFixed(0)} ms, ${ev.bytes} B ` +
          `(pods -${d.pods?.remove.length ?? 0}/+${d.pods?.upsert.length ?? 0}, nodes patched ${d.nodes?.patch?.length ?? 0}/whole ${d.nodes?.upsert.length ?? 0}, pending ${d.pending?.upsert.length ?? 0})`,
      );
      const patches = (d.nodes?.patch ?? []) as {
        set?: Record<string, unknown>;
        enis?: { set?: Record<string, unknown>; slots?: unknown[]; pods?: unknown[] }[];
        addEnis?: unknown[];
      }[];
      const enis = patches.flatMap((p) => p.enis ?? []);
      const fields = new Set([
        ...patches.flatMap((p) => Object.keys(p.set ?? {})),
        ...enis.flatMap((e) => Object.keys(e.set ?? {}).map((k) => `eni.${k}`)),
      ]);
      log(
        `    node patches: ${enis.length} ENIs changed (${enis.filter((e) => e.slots).length} with new IPs, ` +
          `${enis.reduce((n, e) => n + (e.pods?.length ?? 0), 0)} slots with another pod), ` +
          `${patches.reduce((n, p) => n + (p.addEnis?.length ?? 0), 0)} ENIs attached; fields ${[...fields].join(" ")}`,
      );
    }
    if (i > 0) {
      latency.push(ev.at - change.at);
      lastViewer.push(Math.max(...arrivals) - change.at);
      deltaBytes.push(ev.bytes);
      updateCpu.push(cpu1.cpuMs - cpu0.cpuMs);
      deltaSeqs.push(ev.id ?? -1);
    }
    main.forget();
    perRefresh.push(metric(await metrics(url), "eniview_ec2_calls_last_refresh"));
    // Let the replacement pod's own changes (scheduled, started, IP) pass before the next deletion.
    await sleep(Math.max(1000, 2 * (ev.at - change.at)));
  }
  const fan = await o.server.ask<{
    fanouts: { seq: number; kind: string; cpuMs: number; viewers: number }[];
  }>("fanoutStop");
  const measured = fan.fanouts.filter((f) => f.kind === "delta" && deltaSeqs.includes(f.seq));
  rec(
    "server: pod change -> SSE delta p50",
    "ms",
    latency,
    50,
    "pod deleted in the simulator -> delta naming it",
  );
  rec("server: pod change -> SSE delta p95", "ms", latency, 95);
  rec(`server: pod change -> delta at all ${o.viewers} viewers p95`, "ms", lastViewer, 95);
  rec("server: one-pod delta on the wire", "bytes", deltaBytes, 50, "the SSE frame removing the deleted pod");
  rec(
    `server: CPU per one-pod update, ${o.viewers} viewers`,
    "ms",
    updateCpu,
    50,
    "server process CPU from the deletion to the delta at every viewer (watch, build, diff, fan-out)",
  );
  if (measured.length > 0)
    rec(
      `server: CPU of the fan-out to ${o.viewers} viewers`,
      "ms",
      measured.map((f) => f.cpuMs),
      50,
      "writing one delta frame to every stream connection",
    );

  const mem = await o.server.ask<{ rss: number; peakRss: number }>("memory");
  records.push(
    makeRecord("server: RSS", size, "bytes", { value: mem.rss, min: mem.rss, max: mem.rss, runs: 1 }),
  );
  records.push(
    makeRecord("server: peak RSS", size, "bytes", {
      value: mem.peakRss,
      min: mem.peakRss,
      max: mem.peakRss,
      runs: 1,
    }),
  );

  const m1 = await metrics(url);
  const minutes = (wallNow() - t0) / 60_000;
  const calls = metric(m1, "eniview_ec2_calls_total") - calls0;
  const refreshes = metric(m1, "eniview_ec2_refreshes_total") - refreshes0;
  rec("ec2: calls per full refresh", "calls", perRefresh, 50, "eniview_ec2_calls_last_refresh");
  // A refresh cut short by a failed call reads as a cheap refresh above; its errors say it was not.
  const errors = metric(m1, "eniview_ec2_errors_total", "", true) - errors0;
  records.push(
    makeRecord(
      "ec2: failed calls",
      size,
      "calls",
      { value: errors, min: errors, max: errors, runs: 1 },
      "eniview_ec2_errors_total over the server phase (throttled, refused, timed out, unreadable)",
    ),
  );
  const perMinute = calls / minutes;
  records.push(
    makeRecord(
      "ec2: calls per minute",
      size,
      "calls/min",
      { value: perMinute, min: perMinute, max: perMinute, runs: 1 },
      `over ${(minutes * 60).toFixed(0)} s with a pod deleted every few seconds; the Describe bucket refills 1,200/min`,
    ),
  );
  const ec2Count = metric(m1, "eniview_refresh_duration_seconds_count", 'source="ec2"') - ec2Count0;
  if (ec2Count > 0) {
    const mean =
      ((metric(m1, "eniview_refresh_duration_seconds_sum", 'source="ec2"') - ec2Sum0) / ec2Count) * 1000;
    records.push(
      makeRecord(
        "ec2: full refresh duration, mean",
        size,
        "ms",
        { value: mean, min: mean, max: mean, runs: ec2Count },
        "eniview_refresh_duration_seconds{source=ec2}: calls, XML parsing and mapping",
      ),
    );
  }
  if (refreshes > 0) {
    actions.forEach((a, i) => {
      const per =
        (metric(m1, "eniview_ec2_calls_total", `action="${a}"`, true) - (byAction0[i] ?? 0)) / refreshes;
      if (per > 0)
        records.push(
          makeRecord(`ec2: ${a} calls per refresh`, size, "calls", {
            value: per,
            min: per,
            max: per,
            runs: refreshes,
          }),
        );
    });
  }
  const builds = metric(m1, "eniview_build_duration_seconds_count") - buildCount0;
  if (builds > 0) {
    const mean = ((metric(m1, "eniview_build_duration_seconds_sum") - buildSum0) / builds) * 1000;
    records.push(
      makeRecord(
        "server: topology rebuild, mean",
        size,
        "ms",
        { value: mean, min: mean, max: mean, runs: builds },
        "eniview_build_duration_seconds: buildReport on the changed input",
      ),
    );
  }
  const rpm = refreshes / minutes;
  records.push(
    makeRecord("ec2: refreshes per minute", size, "1/min", { value: rpm, min: rpm, max: rpm, runs: 1 }),
  );
  const burst = (summarise(perRefresh).value / 100) * 100;
  records.push(
    makeRecord("ec2: share of the 100-token burst per refresh", size, "%", {
      value: burst,
      min: (summarise(perRefresh).min / 100) * 100,
      max: (summarise(perRefresh).max / 100) * 100,
      runs: perRefresh.length,
    }),
  );
  const share = (perMinute / 1200) * 100;
  records.push(
    makeRecord("ec2: share of the 20/s refill", size, "%", { value: share, min: share, max: share, runs: 1 }),
  );

  main.close();
  for (const v of viewers) v.close();

  // The server's CPU with nobody changing anything, over one EC2 refresh interval (15 s).
  await sleep(1000);
  const idle0 = await o.server.ask<{ cpuMs: number }>("cpu");
  const w0 = wallNow();
  await sleep(o.quietMs);
  const idle1 = await o.server.ask<{ cpuMs: number }>("cpu");
  const busy = ((idle1.cpuMs - idle0.cpuMs) / (wallNow() - w0)) * 100;
  records.push(
    makeRecord(
      "server: CPU while the cluster is quiet",
      size,
      "% of a core",
      { value: busy, min: busy, max: busy, runs: 1 },
      `over ${o.quietMs / 1000} s with no change made by the benchmark (the EC2 refresh, watches, status checks)`,
    ),
  );
  return records;
}
