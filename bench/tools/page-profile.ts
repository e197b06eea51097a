// Where the dashboard's time and memory go at a size, in headless Chromium: the topology is built with
// buildReport from a ClusterInput kept by `npm run bench -- --keep-input DIR`, served by the benchmark's
// replay server, and the page is driven as the benchmark's browser phase drives it.
//
//   node bench/tools/page-profile.ts DIR/input-5000.json [outDir] [--nodes N] [--web-dist DIR]
//       (or a Topology saved as JSON instead of the ClusterInput)
//       V8 CPU profiles of the page while it loads (page-load.cpuprofile) and during 60 live updates, each
//       drawn before the next (page-updates.cpuprofile); open them in Chrome DevTools (Performance panel).
//   ... --heap [--updates 1000]
//       heap snapshots after the 1st, the middle and the last of the updates (sent as the benchmark sends
//       them: the first 100 drawn one by one, the rest as fast as the page takes them), then what the later
//       snapshots hold that the earlier ones did not, by constructor, with a path that keeps each alive
//       (--no-snapshots: only the heap sizes, for large clusters).
//   ... --loads N
//       N page loads, each timed from the data in hand to the first complete drawing (no profiler attached).
// --nodes N keeps the first N nodes of the topology (and their pods), to look at a smaller cluster.
import { createWriteStream, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { ClusterInput, Topology } from "@eni-view/model";
import { type CDPSession, chromium, type Page } from "playwright-core";
import { startReplay } from "../lib/replay.ts";
import {
  chromiumArgs,
  chromiumPath,
  countDeltas,
  heapAfterGc,
  runUpdates,
  viewport,
  waitFirstComplete,
} from "../phases/browser.ts";
import { diff } from "./heap-diff.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    nodes: { type: "string" },
    heap: { type: "boolean", default: false },
    "no-snapshots": { type: "boolean", default: false },
    updates: { type: "string", default: "1000" },
    loads: { type: "string" },
    "web-dist": { type: "string" },
  },
});
const [file, outDir = "."] = positionals;
if (!file)
  throw new Error(
    "usage: node bench/tools/page-profile.ts input.json [outDir] [--nodes N] [--heap [--updates N]] [--loads N] [--web-dist DIR]",
  );
const webDist =
  values["web-dist"] ??
  process.env.BENCH_WEB_DIST ??
  new URL("../../apps/web/dist", import.meta.url).pathname;
const data = JSON.parse(readFileSync(file, "utf8")) as ClusterInput | Topology;
// A topology saved before (JSON.stringify of one) is taken as it is: profiling the page then does not
// depend on the model's sources of the moment.
const full: Topology =
  "summary" in data
    ? data
    : {
        ...(await import("@eni-view/model")).buildReport(data),
        seq: 1,
        generatedAt: new Date().toISOString(),
        source: "sim",
        sources: {},
      };
const keep = values.nodes ? Number(values.nodes) : full.nodes.length;
const nodes = full.nodes.slice(0, keep);
const names = new Set(nodes.map((n) => n.name));
const topology: Topology =
  keep >= full.nodes.length
    ? full
    : { ...full, nodes, pods: full.pods.filter((p) => p.node !== null && names.has(p.node)) };

async function snapshot(cdp: CDPSession, path: string): Promise<void> {
  if (values["no-snapshots"]) return;
  await heapAfterGc(cdp);
  const out = createWriteStream(path);
  const onChunk = (e: { chunk: string }) => out.write(e.chunk);
  cdp.on("HeapProfiler.addHeapSnapshotChunk", onChunk);
  await cdp.send("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
  cdp.off("HeapProfiler.addHeapSnapshotChunk", onChunk);
  await new Promise((r) => out.end(r));
}

async function profiles(page: Page, cdp: CDPSession, url: string) {
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  await cdp.send("Profiler.start");
  await page.goto(url, { waitUntil: "commit" });
  const load = await waitFirstComplete(page, 180_000);
  writeFileSync(
    join(outDir, "page-load.cpuprofile"),
    JSON.stringify((await cdp.send("Profiler.stop")).profile),
  );
  await cdp.send("Profiler.start");
  const { samples } = await runUpdates(page, 60, true, 600_000);
  samples.sort((a, b) => a - b);
  writeFileSync(
    join(outDir, "page-updates.cpuprofile"),
    JSON.stringify((await cdp.send("Profiler.stop")).profile),
  );
  return {
    dataAt: load.dataAt,
    firstCompleteAt: load.firstCompleteAt,
    frames: load.frames,
    updateMedianMs: samples[Math.floor(samples.length / 2)],
    profiles: [join(outDir, "page-load.cpuprofile"), join(outDir, "page-updates.cpuprofile")],
  };
}

async function heap(page: Page, cdp: CDPSession, url: string, updates: number) {
  await page.goto(url, { waitUntil: "commit" });
  await waitFirstComplete(page, 180_000);
  const budget = 600_000;
  const half = Math.max(0, Math.floor(updates / 2) - 100);
  const files = ["heap-1", `heap-${100 + half}`, `heap-${updates}`].map((n) =>
    join(outDir, `${n}.heapsnapshot`),
  );
  const sizes: number[] = [];
  await runUpdates(page, 1, true, budget);
  sizes.push(await heapAfterGc(cdp));
  await snapshot(cdp, files[0]!);
  await runUpdates(page, 99, true, budget);
  await runUpdates(page, half, false, budget);
  sizes.push(await heapAfterGc(cdp));
  await snapshot(cdp, files[1]!);
  await runUpdates(page, updates - 100 - half, false, budget);
  sizes.push(await heapAfterGc(cdp));
  await snapshot(cdp, files[2]!);
  const pct = (a: number, b: number) => `${(((b - a) / a) * 100).toFixed(1)} %`;
  console.log(
    `heap after a full GC: ${sizes.map((s) => `${(s / 1e6).toFixed(2)} MB`).join(", ")}; ` +
      `growth ${pct(sizes[0]!, sizes[2]!)} over all, ${pct(sizes[1]!, sizes[2]!)} over the second half`,
  );
  if (values["no-snapshots"]) return { sizes };
  console.log(`\n== held after update ${updates} that was not after update ${100 + half}`);
  console.log(diff(files[1]!, files[2]!));
  console.log(`\n== held after update ${100 + half} that was not after update 1`);
  console.log(diff(files[0]!, files[1]!));
  return { sizes, files };
}

async function loads(page: Page, url: string, n: number) {
  const afterData: number[] = [];
  for (let i = 0; i < n; i++) {
    await page.goto(url, { waitUntil: "commit" });
    const s = await waitFirstComplete(page, 180_000);
    afterData.push(s.firstCompleteAt! - s.dataAt!);
  }
  const sorted = [...afterData].sort((a, b) => a - b);
  return { afterDataMs: afterData.map((v) => Math.round(v)), medianMs: sorted[Math.floor(n / 2)] };
}

const replay = await startReplay(topology, webDist);
const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
try {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  await context.addInitScript(countDeltas);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const result = values.heap
    ? await heap(page, cdp, replay.url, Number(values.updates))
    : values.loads
      ? await loads(page, replay.url, Number(values.loads))
      : await profiles(page, cdp, replay.url);
  console.log(JSON.stringify({ nodes: topology.nodes.length, pods: topology.pods.length, ...result }));
} finally {
  await browser.close();
  await replay.close();
}
