/// <reference lib="dom" />
// The dashboard in headless Chromium (Debian's, through playwright-core) against the server on the
// simulator: page load -> first complete drawing, frame times while panning and zooming, live updates from
// pods deleted in the simulator, and the JS heap after 1,000 live updates (through a replay server) versus
// after the first. The page's own counters (window.__eniView, apps/web/src/perfStats.ts) say when a drawing
// is complete and how long an update took from the delta's arrival to the frame that shows it.
import { execFileSync } from "node:child_process";
import type { Topology } from "@eni-view/model";
import { type Browser, type CDPSession, chromium, type Page } from "playwright-core";
import type { PerfStats } from "../../apps/web/src/perfStats.ts";
import type { Child } from "../lib/child.ts";
import { type BenchRecord, makeRecord } from "../lib/records.ts";
import { startReplay } from "../lib/replay.ts";
import { summarise } from "../lib/stats.ts";
import { heatMapMeasures } from "./browserHeat.ts";
import { serverUpdatesApplied } from "./serverUpdates.ts";

export const chromiumPath = "/usr/bin/chromium";
export const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
];
export const viewport = { width: 1600, height: 1000 };

export function chromiumVersion(): string | null {
  try {
    const out = execFileSync(chromiumPath, ["--version"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    return out.match(/Chromium ([\d.]+)/)?.[1] ?? out.trim();
  } catch {
    return null;
  }
}

export interface BrowserPhaseOptions {
  size: number;
  url: string;
  sim: Child<unknown>;
  /** Page loads measured after one warm-up load. */
  loads: number;
  /** Live updates for the heap measure (1,000)... */
  updates: number;
  /** ...or as many as fit in this time, when fewer (the record says how many). */
  updateBudgetMs: number;
  /** The built dashboard the replay server serves. */
  webDist: string;
  log: (line: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFirstComplete(page: Page, timeoutMs: number): Promise<PerfStats> {
  await page.waitForFunction(() => (window.__eniView?.firstCompleteAt ?? null) !== null, null, {
    timeout: timeoutMs,
    polling: 50,
  });
  return page.evaluate(() => {
    const s = window.__eniView!;
    return { ...s, locate: null };
  });
}

/** JS heap in use after a full garbage collection, in bytes. */
export async function heapAfterGc(cdp: CDPSession): Promise<number> {
  await cdp.send("HeapProfiler.collectGarbage");
  await cdp.send("HeapProfiler.collectGarbage");
  const { usedSize } = await cdp.send("Runtime.getHeapUsage");
  return usedSize;
}

/** In the page, before its scripts: counts the deltas the page's own stream handler has taken (wrapping the
 * listener it adds), so updates can be sent as fast as it takes them. */
export function countDeltas(): void {
  const w = window as unknown as { __benchDeltas: number };
  w.__benchDeltas = 0;
  const add = EventSource.prototype.addEventListener;
  EventSource.prototype.addEventListener = function (
    this: EventSource,
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ) {
    if (type === "delta" && typeof listener === "function") {
      const wrapped = function (this: EventSource, ev: Event) {
        try {
          listener.call(this, ev);
        } finally {
          w.__benchDeltas++;
        }
      };
      return add.call(this, type, wrapped, options);
    }
    return add.call(this, type, listener as EventListenerOrEventListenerObject, options);
  } as typeof EventSource.prototype.addEventListener;
}

/**
 * `count` live updates from the replay server, asked for by the page itself (no round trip through this
 * process per update): `drawn`, each drawn before the next is asked for (the samples are the times to apply
 * one); otherwise each taken by the stream handler before the next (frames coalesce). Stops at the budget.
 * Needs countDeltas in the page.
 */
export function runUpdates(
  page: Page,
  count: number,
  drawn: boolean,
  budgetMs: number,
): Promise<{ samples: number[]; done: number }> {
  return page.evaluate(
    async ({ count, drawn, budgetMs }) => {
      const s = window.__eniView!;
      const w = window as unknown as { __benchDeltas: number };
      const samples: number[] = [];
      const until = performance.now() + budgetMs;
      const nextFrame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const nextTask = () =>
        new Promise<void>((r) => {
          const c = new MessageChannel();
          c.port1.onmessage = () => r();
          c.port2.postMessage(0);
        });
      let done = 0;
      for (let i = 0; i < count && performance.now() < until; i++) {
        const drawnBefore = s.updates;
        const takenBefore = w.__benchDeltas;
        const res = await fetch("/bench/next");
        if (!res.ok) throw new Error(`/bench/next answered ${res.status}`);
        const t = performance.now();
        while (drawn ? s.updates === drawnBefore : w.__benchDeltas === takenBefore) {
          if (performance.now() - t > 30_000) throw new Error(`update ${i + 1} not taken within 30 s`);
          await (drawn ? nextFrame() : nextTask());
        }
        if (drawn && s.lastUpdateMs !== null) samples.push(s.lastUpdateMs);
        done++;
      }
      // Let the page draw what it has taken before anything is weighed.
      const last = s.updates;
      const t = performance.now();
      while (s.updates === last && performance.now() - t < 2000) await nextFrame();
      return { samples, done };
    },
    { count, drawn, budgetMs },
  );
}

/** Marks in the page when its stream handler has taken the stream's first snapshot. */
function markSnapshot(): void {
  const w = window as unknown as { __benchSnapshotAt: number | null };
  w.__benchSnapshotAt = null;
  const add = EventSource.prototype.addEventListener;
  EventSource.prototype.addEventListener = function (
    this: EventSource,
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ) {
    if (type === "snapshot" && typeof listener === "function") {
      const wrapped = function (this: EventSource, ev: Event) {
        try {
          listener.call(this, ev);
        } finally {
          w.__benchSnapshotAt ??= performance.now();
        }
      };
      return add.call(this, type, wrapped, options);
    }
    return add.call(this, type, listener as EventListenerOrEventListenerObject, options);
  } as typeof EventSource.prototype.addEventListener;
}

/** One page load: ms from navigation start to the first complete drawing, and from data in hand to it; the
 * bytes received until then and until the stream's snapshot has been taken too. */
async function load(browser: Browser, url: string, timeoutMs: number) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  await context.addInitScript(markSnapshot);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  // Bytes as they came over the wire (gzip-compressed where the server compressed them): the chunks of
  // every response as they arrive, replaced by the response's total once it finishes. The event stream
  // never finishes, so its chunks are what counts (its decoded events would count 5 times too much).
  const wire = new Map<string, number>();
  let received = 0;
  cdp.on("Network.dataReceived", (e) => {
    wire.set(e.requestId, (wire.get(e.requestId) ?? 0) + e.encodedDataLength);
    received += e.encodedDataLength;
  });
  cdp.on("Network.loadingFinished", (e) => {
    received += e.encodedDataLength - (wire.get(e.requestId) ?? 0);
    wire.set(e.requestId, e.encodedDataLength);
  });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url, { waitUntil: "commit" });
  const s = await waitFirstComplete(page, timeoutMs);
  if (errors.length > 0) throw new Error(`the page threw: ${errors[0]}`);
  if (s.dataAt === null || s.firstCompleteAt === null) throw new Error("no perf counters on the page");
  const bytes = received;
  await page.waitForFunction(
    () => (window as unknown as { __benchSnapshotAt: number | null }).__benchSnapshotAt !== null,
    null,
    { timeout: timeoutMs, polling: 50 },
  );
  const snapshotAt = await page.evaluate(
    () => (window as unknown as { __benchSnapshotAt: number }).__benchSnapshotAt,
  );
  return {
    context,
    page,
    cdp,
    total: s.firstCompleteAt,
    afterData: s.firstCompleteAt - s.dataAt,
    bytes,
    allBytes: received,
    snapshotAt,
  };
}

/** In the page: one pan or zoom step per frame, each frame timed from its first animation-frame callback to
 * the first task after it (the renderer's callback, style, layout, paint and canvas flush in between). */
export async function panZoomFrames(
  page: Page,
  path: "warmup" | "measure",
): Promise<{ ms: number[]; modes: string[] }> {
  return page.evaluate(async (which) => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="cluster-canvas"]')!;
    const rect = canvas.getBoundingClientRect();
    const cx = rect.left + rect.width / 2;
    const cy = rect.top + rect.height / 2;
    const ms: number[] = [];
    const modes: string[] = [];
    const frame = (act: () => void) =>
      new Promise<void>((resolve) => {
        requestAnimationFrame(() => {
          const start = performance.now();
          const ch = new MessageChannel();
          ch.port1.onmessage = () => {
            ms.push(performance.now() - start);
            modes.push(window.__eniView?.lastFrame?.mode ?? "none");
            resolve();
          };
          ch.port2.postMessage(0);
        });
        act();
      });
    const wheel = (x: number, y: number, deltaY: number) =>
      canvas.dispatchEvent(
        new WheelEvent("wheel", {
          clientX: x,
          clientY: y,
          deltaY,
          deltaMode: 0,
          bubbles: true,
          cancelable: true,
          view: window,
        }),
      );
    const mouse = (type: string, x: number, y: number) =>
      (type === "mousedown" ? canvas : window).dispatchEvent(
        new MouseEvent(type, {
          clientX: x,
          clientY: y,
          button: 0,
          buttons: type === "mouseup" ? 0 : 1,
          bubbles: true,
          cancelable: true,
          view: window,
        }),
      );
    const drag = async (dx: number, dy: number, steps: number) => {
      let x = cx;
      let y = cy;
      mouse("mousedown", x, y);
      for (let i = 0; i < steps; i++) {
        x += dx;
        y += dy;
        const px = x;
        const py = y;
        await frame(() => mouse("mousemove", px, py));
      }
      mouse("mouseup", x, y);
    };
    const zoom = async (x: number, y: number, deltaY: number, steps: number) => {
      for (let i = 0; i < steps; i++) await frame(() => wheel(x, y, deltaY));
    };
    if (which === "warmup") {
      await drag(12, 6, 20);
      await zoom(cx - 300, cy + 200, -120, 30);
      await drag(-20, 0, 20);
      await zoom(cx - 300, cy + 200, 120, 30);
    } else {
      // Zoomed out (the overview), then into one area, across it box by box, and out again.
      await drag(-15, -8, 30);
      await zoom(cx + 250, cy - 150, -120, 34);
      await drag(-25, 10, 60);
      await drag(0, -25, 30);
      await zoom(cx, cy, 120, 34);
    }
    // d3-zoom ends a wheel gesture after 150 ms.
    await new Promise((r) => setTimeout(r, 200));
    return { ms, modes };
  }, path);
}

/** Searches, then presses the search's "next" button `count` times; each sample is the page's own time from
 * the jump to the first complete frame at the match (window.__eniView.lastJumpMs). */
async function searchJumps(page: Page, q: string, count: number): Promise<number[]> {
  await page.getByTestId("search").fill(q);
  await page.getByTestId("match-next").waitFor({ timeout: 60_000 });
  return page.evaluate(async (n) => {
    const s = window.__eniView!;
    const next = document.querySelector<HTMLButtonElement>('[data-testid="match-next"]')!;
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      while (s.jumpAt !== null) await frame();
      next.click();
      const t = performance.now();
      while (s.jumpAt === null && performance.now() - t < 1000) await frame();
      while (s.jumpAt !== null) {
        if (performance.now() - t > 30_000) throw new Error("a jump to a search match never completed");
        await frame();
      }
      if (s.lastJumpMs !== null) out.push(s.lastJumpMs);
    }
    return out;
  }, count);
}

/** The subnet view: each subnet of the list clicked in turn (twice round), from the click to its grid drawn. */
async function subnetViewDraws(
  page: Page,
  timeout: number,
): Promise<{ ms: number[]; addresses: number | null }> {
  await page.getByTestId("tab-subnets").click();
  await page.waitForFunction(() => window.__eniView?.subnetDrawnAt != null, null, { timeout });
  const buttons = page.locator(".subnet-list button");
  const n = await buttons.count();
  const ms: number[] = [];
  let addresses: number | null = null;
  for (let round = 0; round < 2 && n > 1; round++) {
    for (let i = 0; i < n; i++) {
      const b = buttons.nth(i);
      if ((await b.getAttribute("aria-pressed")) === "true") continue;
      const t0 = await b.evaluate((el) => {
        window.__eniView!.subnetDrawnAt = null;
        const t = performance.now();
        (el as HTMLElement).click();
        return t;
      });
      const at = await page.waitForFunction(() => window.__eniView?.subnetDrawnAt ?? null, null, { timeout });
      ms.push(((await at.jsonValue()) as number) - t0);
      addresses = await page.evaluate(() => window.__eniView?.subnetAddresses ?? null);
    }
  }
  await page.getByTestId("tab-nodes").click();
  return { ms, addresses };
}

export async function browserPhase(o: BrowserPhaseOptions): Promise<BenchRecord[]> {
  const { size, log } = o;
  const records: BenchRecord[] = [];
  const rec = (name: string, unit: string, samples: number[], p = 50, note?: string) =>
    records.push(makeRecord(name, size, unit, summarise(samples, p), note));
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
  try {
    const timeout = 180_000;
    // Page loads: one warm-up (the server's first compression of this topology, Chromium's caches), then runs.
    const totals: number[] = [];
    const afterData: number[] = [];
    const bytes: number[] = [];
    const allBytes: number[] = [];
    const snapshotAt: number[] = [];
    let kept: Awaited<ReturnType<typeof load>> | null = null;
    for (let i = 0; i < o.loads + 1; i++) {
      const l = await load(browser, o.url, timeout);
      if (i > 0) {
        totals.push(l.total);
        afterData.push(l.afterData);
        bytes.push(l.bytes);
        allBytes.push(l.allBytes);
        snapshotAt.push(l.snapshotAt);
      }
      if (i === o.loads) kept = l;
      else await l.context.close();
    }
    rec(
      "browser: page load -> first complete drawing",
      "ms",
      totals,
      50,
      "navigation start to the first frame with every box drawn",
    );
    rec(
      "browser: data -> first complete drawing",
      "ms",
      afterData,
      50,
      "topology in hand (window.__eniView.dataAt) to that frame",
    );
    rec(
      "browser: bytes received until first drawing",
      "bytes",
      bytes,
      50,
      "bytes on the wire, compressed where the server compressed them (CDP Network encodedDataLength)",
    );
    rec(
      "browser: bytes received until the stream's snapshot is taken",
      "bytes",
      allBytes,
      50,
      "/api/topology and the first event of /api/stream both carry the topology",
    );
    rec("browser: page load -> stream snapshot taken", "ms", snapshotAt, 50);
    log(`  browser: first complete drawing ${summarise(totals).value.toFixed(0)} ms after navigation`);

    const page = kept!.page;
    await panZoomFrames(page, "warmup");
    const frames = await panZoomFrames(page, "measure");
    rec(
      "browser: pan/zoom frame p50",
      "ms",
      frames.ms,
      50,
      `one pan or zoom step per frame, ${frames.ms.length} frames`,
    );
    rec("browser: pan/zoom frame p95", "ms", frames.ms, 95);
    const byMode = (mode: string) => frames.ms.filter((_, i) => frames.modes[i] === mode);
    for (const mode of ["overview", "boxes"]) {
      const ms = byMode(mode);
      if (ms.length > 0) rec(`browser: pan/zoom frame p95, ${mode} mode`, "ms", ms, 95);
    }

    // Zoom to a search match: a namespace searched, then the view sent from match to match with "next".
    const ns = await page.evaluate(async () => {
      const t = (await (await fetch("/api/topology")).json()) as { pods: { namespace: string }[] };
      return t.pods[Math.floor(t.pods.length / 2)]?.namespace ?? null;
    });
    if (ns !== null) {
      const jumps = await searchJumps(page, `namespace=${ns}`, 12);
      rec(
        "browser: zoom to a search match p95",
        "ms",
        jumps.slice(2),
        95,
        `"next" pressed ${jumps.length} times after searching namespace=${ns} (the first 2 not counted): click to the view completely drawn at the match`,
      );
      log(`  browser: zoom to a search match p95 ${summarise(jumps.slice(2), 95).value.toFixed(1)} ms`);
    }

    // Live updates from the real server: pods deleted in the simulator, each followed by its replacement.
    const live = await serverUpdatesApplied(page, o.sim, 1000);
    if (live.length > 0)
      rec(
        "browser: live update from the server applied p50",
        "ms",
        live,
        50,
        "4 pods deleted in the simulator; every delta that followed",
      );
    const subnets = await subnetViewDraws(page, timeout);
    if (subnets.ms.length > 0 && subnets.addresses === 65_536) {
      rec(
        "browser: subnet view of a /16 drawn",
        "ms",
        subnets.ms,
        50,
        `Subnets tab: a click on another /16 subnet to its 65,536 addresses drawn (map, colours, pixels), ${subnets.ms.length} clicks`,
      );
      log(`  browser: a /16 subnet drawn in ${summarise(subnets.ms).value.toFixed(0)} ms`);
    }
    await kept!.context.close();
    await heatMapMeasures(browser, o, { load, panZoomFrames, rec, log }, timeout);

    // 1,000 live updates through the replay server. The first 100 one at a time, each drawn before the next
    // (the time to apply one); the rest as fast as the page's stream handler takes them, drawn as the page
    // draws (frames coalesce). The heap is weighed after the first, the 500th and the last.
    const res = await fetch(`${o.url}/api/topology`);
    const topology = (await res.json()) as Topology;
    const replay = await startReplay(topology, o.webDist);
    try {
      const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
      await context.addInitScript(countDeltas);
      const p = await context.newPage();
      const cdp = await context.newCDPSession(p);
      await p.goto(replay.url, { waitUntil: "commit" });
      await waitFirstComplete(p, timeout);
      while (replay.viewers() === 0) await sleep(20);
      const deadline = Date.now() + o.updateBudgetMs;
      const run = (n: number, drawn: boolean) => runUpdates(p, n, drawn, Math.max(0, deadline - Date.now()));
      await run(1, true);
      const heapFirst = await heapAfterGc(cdp);
      const timed = await run(99, true);
      const half = Math.max(0, Math.floor(o.updates / 2) - 100);
      const firstHalf = await run(half, false);
      const heapHalf = await heapAfterGc(cdp);
      const secondHalf = await run(o.updates - 100 - half, false);
      const done = 1 + timed.done + firstHalf.done + secondHalf.done;
      const applied = timed.samples.slice(10);
      const heapLast = await heapAfterGc(cdp);
      rec(
        "browser: live update applied p50",
        "ms",
        applied,
        50,
        `${timed.done} one-pod deltas, each drawn before the next (the first 10 not counted)`,
      );
      rec("browser: live update applied p95", "ms", applied, 95);
      const one = (name: string, unit: string, v: number, note?: string) =>
        records.push(makeRecord(name, size, unit, { value: v, min: v, max: v, runs: 1 }, note));
      one("browser: JS heap after the first update", "bytes", heapFirst, "after a full GC");
      one("browser: JS heap after the last update", "bytes", heapLast, `after ${done} updates and a full GC`);
      if (firstHalf.done === half && secondHalf.done > 0)
        one(
          "browser: JS heap growth over the second half of the updates",
          "%",
          ((heapLast - heapHalf) / heapHalf) * 100,
          `from update ${1 + 99 + half} to ${done}: a leak keeps growing here, a cache filling up does not`,
        );
      one(
        "browser: JS heap growth over 1,000 updates",
        "%",
        ((heapLast - heapFirst) / heapFirst) * 100,
        done === 1000
          ? "1,000 updates"
          : `over ${done} updates: all that fit in ${o.updateBudgetMs / 1000} s`,
      );
      log(
        `  browser: heap ${(heapFirst / 1e6).toFixed(1)} MB -> ${(heapLast / 1e6).toFixed(1)} MB over ${done} updates`,
      );
      await context.close();
    } finally {
      await replay.close();
    }
  } finally {
    await browser.close();
  }
  return records;
}
