/// <reference lib="dom" />
// The page past 10,000 nodes (issue 19.4): the dashboard in headless Chromium against the real server on
// a synthetic cluster (bench/procs/overviewPage.ts; the simulator cannot hold these sizes on this machine).
// Records the overview's first drawing (from navigation and from the data in hand), pan/zoom frames, a
// zoom onto a node until its ENIs and pods are drawn, and a pod added on a node in view until its cell is
// on screen. With `compareWhole`, the same loads with the server's line moved past the size, so the page
// gets the whole snapshot: the measurement that chose the line.
import { type Browser, chromium } from "playwright-core";
import { startChild } from "../lib/child.ts";
import { type BenchRecord, makeRecord } from "../lib/records.ts";
import { summarise } from "../lib/stats.ts";
import { chromiumArgs, chromiumPath, panZoomFrames, viewport, waitFirstComplete } from "./browser.ts";

export interface PagePhaseOptions {
  size: number;
  podsPerNode: number;
  webDist: string;
  loads: number;
  zooms: number;
  compareWhole: boolean;
  log: (line: string) => void;
}

interface Ready {
  url: string;
  generatedMs: number;
  readyMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Pods added, one on each of the first nodes zoomed to. */
const CHANGES = 3;

async function loads(browser: Browser, url: string, n: number) {
  const total: number[] = [];
  const afterData: number[] = [];
  for (let i = 0; i < n + 1; i++) {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(url, { waitUntil: "commit" });
    const s = await waitFirstComplete(page, 600_000);
    if (errors.length > 0) throw new Error(`the page threw: ${errors[0]}`);
    // The first load is the warm-up (the server's first overview of this topology, Chromium's caches).
    if (i > 0 && s.firstCompleteAt !== null && s.dataAt !== null) {
      total.push(s.firstCompleteAt);
      afterData.push(s.firstCompleteAt - s.dataAt);
    }
    await context.close();
  }
  return { total, afterData };
}

export async function pagePhase(o: PagePhaseOptions): Promise<BenchRecord[]> {
  const { size, log } = o;
  const records: BenchRecord[] = [];
  const rec = (name: string, unit: string, samples: number[], p = 50, note?: string) => {
    if (samples.length > 0) records.push(makeRecord(name, size, unit, summarise(samples, p), note));
  };
  const script = new URL("../procs/overviewPage.ts", import.meta.url).pathname;
  const start = (line?: number) =>
    startChild<Ready>(
      script,
      [String(size), String(o.podsPerNode), o.webDist, ...(line ? [String(line)] : [])],
      { readyTimeoutMs: 900_000, name: "the page's server", execArgv: ["--max-old-space-size=12000"] },
    );
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
  try {
    if (o.compareWhole) {
      const whole = start(size + 1);
      try {
        const ready = await whole.ready;
        const l = await loads(browser, ready.url, o.loads);
        rec("page: whole snapshot, navigation -> first complete drawing", "ms", l.total);
        rec("page: whole snapshot, data -> first complete drawing", "ms", l.afterData);
        log(`  page: whole snapshot drawn ${summarise(l.total).value.toFixed(0)} ms after navigation`);
      } finally {
        await whole.stop();
      }
    }
    const server = start(1);
    try {
      const ready = await server.ready;
      log(`  page: ${size} nodes served ${(ready.readyMs / 1000).toFixed(1)} s after start`);
      const l = await loads(browser, ready.url, o.loads);
      rec(
        "page: overview, navigation -> first complete drawing",
        "ms",
        l.total,
        50,
        "navigation start to the first frame with every box drawn from the overview",
      );
      rec(
        "page: overview, data -> first complete drawing",
        "ms",
        l.afterData,
        50,
        "overview in hand to that frame",
      );
      log(`  page: overview drawn ${summarise(l.total).value.toFixed(0)} ms after navigation`);

      const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
      const page = await context.newPage();
      await page.goto(ready.url, { waitUntil: "commit" });
      await waitFirstComplete(page, 600_000);
      await panZoomFrames(page, "warmup");
      const frames = await panZoomFrames(page, "measure");
      rec(
        "page: pan/zoom frame p95",
        "ms",
        frames.ms,
        95,
        `one pan or zoom step per frame, ${frames.ms.length} frames`,
      );
      log(`  page: pan/zoom p95 ${summarise(frames.ms, 95).value.toFixed(1)} ms`);

      // Nodes spread over the cluster, each far from the last, so none is in detail already.
      const names = await page.evaluate(async (n) => {
        const r = (await (await fetch("/api/search?q=ip-")).json()) as { nodes: string[] };
        const step = Math.floor(r.nodes.length / n);
        return Array.from({ length: n }, (_, i) => r.nodes[(i * step + 17) % r.nodes.length]!);
      }, o.zooms);
      const zoomMs: number[] = [];
      const changeMs: number[] = [];
      const appliedMs: number[] = [];
      for (const [i, name] of names.entries()) {
        const ms = await page.evaluate(async (node) => {
          const s = window.__eniView!;
          s.lastDetailMs = null;
          s.zoomToNode!(node);
          const t = performance.now();
          while (s.lastDetailMs === null && performance.now() - t < 30_000)
            await new Promise((r) => requestAnimationFrame(r));
          return s.lastDetailMs;
        }, name);
        if (ms !== null && ms !== undefined) zoomMs.push(ms);
        // A pod added on the node in view (on the first few: at 100,000 nodes the server's rebuild of the
        // whole topology takes seconds): from the change in the server's source to its cell on screen.
        if (i >= CHANGES) {
          await sleep(300);
          continue;
        }
        const at = Date.now();
        const { pod } = await server.ask<{ pod: string }>("addPod", { node: name });
        const drawnAt = await page.evaluate(async (key) => {
          const t = performance.now();
          while (window.__eniView!.locate?.(key) == null && performance.now() - t < 30_000)
            await new Promise((r) => requestAnimationFrame(r));
          return Date.now();
        }, pod);
        changeMs.push(drawnAt - at);
        const applied = await page.evaluate(() => window.__eniView!.lastUpdateMs);
        if (applied !== null) appliedMs.push(applied);
        await sleep(300);
      }
      rec(
        "page: zoom to a node -> its ENIs and pods drawn p95",
        "ms",
        zoomMs,
        95,
        `${zoomMs.length} nodes across the cluster, each zoomed to from another: the jump to the first complete frame drawing it whole`,
      );
      rec(
        "page: pod added on a node in view -> its cell drawn p50",
        "ms",
        changeMs,
        50,
        "the source's change to the cell on screen: the server's rebuild, the stream, the page",
      );
      rec(
        "page: live update applied p50",
        "ms",
        appliedMs,
        50,
        "the node's new detail in the page's hands to the frame that shows it",
      );
      log(
        `  page: zoom to a node p95 ${summarise(zoomMs, 95).value.toFixed(0)} ms, pod change drawn p50 ${summarise(changeMs).value.toFixed(0)} ms`,
      );
      // Each zoom in the order made (the 2nd to 4th each come after a pod added, a change of the server's):
      // a slow one says more with its place in the run than folded into a percentile.
      log(
        `  page: zooms ${zoomMs.map((ms) => ms.toFixed(0)).join(", ")} ms; pods drawn ${changeMs.join(", ")} ms`,
      );
      await context.close();
    } finally {
      await server.stop();
    }
  } finally {
    await browser.close();
  }
  return records;
}
