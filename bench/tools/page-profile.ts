// A V8 CPU profile of the dashboard in headless Chromium, for finding where the page's time goes at a size:
// the topology is built with buildReport from a ClusterInput kept by `npm run bench -- --keep-input DIR`,
// served by the benchmark's replay server, then the page is profiled while it loads and during 60 live
// updates (each drawn before the next). Open the .cpuprofile files in Chrome DevTools (Performance panel).
//   node bench/tools/page-profile.ts DIR/input-5000.json [outDir]
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildReport, type ClusterInput, type Topology } from "@eni-view/model";
import { chromium } from "playwright-core";
import { startReplay } from "../lib/replay.ts";
import { chromiumPath } from "../phases/browser.ts";

const [file, outDir = "."] = process.argv.slice(2);
if (!file)
  throw new Error("usage: node bench/tools/page-profile.ts input.json [outDir] (with a built apps/web/dist)");
const webDist = process.env.BENCH_WEB_DIST ?? new URL("../../apps/web/dist", import.meta.url).pathname;
const input = JSON.parse(readFileSync(file, "utf8")) as ClusterInput;
const topology: Topology = {
  ...buildReport(input),
  seq: 1,
  generatedAt: new Date().toISOString(),
  source: "sim",
  sources: {},
};
const replay = await startReplay(topology, webDist);
const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
});
try {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  await cdp.send("Profiler.start");
  await page.goto(replay.url, { waitUntil: "commit" });
  await page.waitForFunction(() => (window.__eniView?.firstCompleteAt ?? null) !== null, null, {
    timeout: 180_000,
    polling: 50,
  });
  const load = await page.evaluate(() => {
    const s = window.__eniView!;
    return { dataAt: s.dataAt, firstCompleteAt: s.firstCompleteAt, frames: s.frames };
  });
  writeFileSync(
    join(outDir, "page-load.cpuprofile"),
    JSON.stringify((await cdp.send("Profiler.stop")).profile),
  );
  await cdp.send("Profiler.start");
  const updates = await page.evaluate(async () => {
    const s = window.__eniView!;
    const out: number[] = [];
    for (let i = 0; i < 60; i++) {
      const before = s.updates;
      await fetch("/bench/next");
      while (s.updates === before) await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      if (s.lastUpdateMs !== null) out.push(s.lastUpdateMs);
    }
    return out.sort((a, b) => a - b);
  });
  writeFileSync(
    join(outDir, "page-updates.cpuprofile"),
    JSON.stringify((await cdp.send("Profiler.stop")).profile),
  );
  console.log(
    JSON.stringify({
      nodes: topology.nodes.length,
      pods: topology.pods.length,
      ...load,
      updateMedianMs: updates[Math.floor(updates.length / 2)],
      profiles: [join(outDir, "page-load.cpuprofile"), join(outDir, "page-updates.cpuprofile")],
    }),
  );
} finally {
  await browser.close();
  await replay.close();
}
