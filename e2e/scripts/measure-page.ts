// Measures the dashboard in Debian's Chromium the way issue 6's browser benchmark asks, from the page's own
// counters (window.__eniView): data -> first complete drawing, frame times while panning and zooming,
// live update applied (delta received -> frame drawn), JS heap after the first updates and after many.
//   node e2e/scripts/measure-page.ts --url http://127.0.0.1:8602/ [--tick-url http://127.0.0.1:8602/dev/tick]
//     [--updates 100] [--zoomed]
// Without --tick-url it waits for the server's own deltas. Prints one JSON object.
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    "tick-url": { type: "string" },
    updates: { type: "string", default: "20" },
    zoomed: { type: "boolean", default: false },
  },
});
if (!values.url) {
  console.error("--url is required: the dashboard to measure, e.g. http://127.0.0.1:8080/");
  process.exit(2);
}
const updates = Number(values.updates);
if (!Number.isInteger(updates) || updates < 1) {
  console.error(`--updates must be a whole number >= 1, got "${values.updates}"`);
  process.exit(2);
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? Number.NaN;
};

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const cdp = await page.context().newCDPSession(page);
  const heapMb = async () => {
    await cdp.send("HeapProfiler.collectGarbage");
    return (await cdp.send("Runtime.getHeapUsage")).usedSize / 1e6;
  };
  await page.goto(values.url);
  await page.waitForFunction(() => window.__eniView?.firstCompleteAt != null, null, { timeout: 120_000 });
  const first = await page.evaluate(() => window.__eniView!.firstCompleteAt! - window.__eniView!.dataAt!);

  // One synthetic input event per animation frame; the gap between frames is the frame time.
  const frames = await page.evaluate(async (zoomIn) => {
    const c = document.querySelector("canvas")!;
    const r = c.getBoundingClientRect();
    const cx = r.left + r.width / 2;
    const cy = r.top + r.height / 2;
    const raf = () => new Promise((res) => requestAnimationFrame(res));
    const wheel = (dy: number) =>
      c.dispatchEvent(
        new WheelEvent("wheel", { deltaY: dy, clientX: cx, clientY: cy, bubbles: true, cancelable: true }),
      );
    if (zoomIn) {
      for (let i = 0; i < 14; i++) {
        wheel(-120);
        await raf();
      }
      await new Promise((res) => setTimeout(res, 1500));
    }
    const pan: number[] = [];
    const zoom: number[] = [];
    let last = performance.now();
    c.dispatchEvent(
      new MouseEvent("mousedown", { clientX: cx, clientY: cy, bubbles: true, view: window, button: 0 }),
    );
    for (let i = 0; i < 120; i++) {
      window.dispatchEvent(
        new MouseEvent("mousemove", {
          clientX: cx + Math.sin(i / 10) * 300,
          clientY: cy + i,
          bubbles: true,
          view: window,
        }),
      );
      await raf();
      const now = performance.now();
      pan.push(now - last);
      last = now;
    }
    window.dispatchEvent(
      new MouseEvent("mouseup", { clientX: cx, clientY: cy, bubbles: true, view: window }),
    );
    for (let i = 0; i < 60; i++) {
      wheel(i % 20 < 10 ? 60 : -60);
      await raf();
      const now = performance.now();
      zoom.push(now - last);
      last = now;
    }
    return { pan, zoom };
  }, values.zoomed);

  const applied: number[] = [];
  let note: string | null = null;
  /** Waits for the next live update to be drawn; false when none came within 30 s. */
  const nextUpdate = async (): Promise<boolean> => {
    const n = await page.evaluate(() => window.__eniView!.updates);
    if (values["tick-url"]) await fetch(values["tick-url"], { method: "POST" });
    try {
      await page.waitForFunction((n) => window.__eniView!.updates > n, n, { timeout: 30_000 });
    } catch {
      note = `no live update within 30 s after ${applied.length}: pass --tick-url, or change the cluster while measuring`;
      return false;
    }
    applied.push(await page.evaluate(() => window.__eniView!.lastUpdateMs!));
    return true;
  };
  await nextUpdate();
  const heapFirst = await heapMb();
  for (let i = 1; i < updates && note === null; i++) await nextUpdate();
  const heapLast = await heapMb();
  const stats = await page.evaluate(() => ({ ...window.__eniView!, locate: undefined }));
  console.log(
    JSON.stringify(
      {
        firstCompleteMs: Math.round(first),
        panFrameMs: { p50: pct(frames.pan, 0.5), p95: pct(frames.pan, 0.95) },
        zoomFrameMs: { p50: pct(frames.zoom, 0.5), p95: pct(frames.zoom, 0.95) },
        updateMs: { p50: pct(applied, 0.5), p95: pct(applied, 0.95), n: applied.length },
        heapMb: { afterFirstUpdate: +heapFirst.toFixed(1), afterAll: +heapLast.toFixed(1) },
        heapGrowthPct: +(((heapLast - heapFirst) / heapFirst) * 100).toFixed(1),
        note,
        bitmapPixels: stats.bitmapPixels,
        slowestFrame: stats.slowestFrame,
      },
      null,
      2,
    ),
  );
} finally {
  await browser.close();
}
