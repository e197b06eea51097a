// What the dashboard receives for its first topology, as Chromium sees it: the stream request's URL and
// Content-Encoding, the bytes on the wire (CDP encodedDataLength) against the decoded snapshot, and the
// page's time to take the snapshot event (JSON.parse, decode, check, into the cache) and from data in hand
// to the first complete drawing. Serves a saved ClusterInput through the
// real server code (TopologyFeed + buildApp) with the built dashboard (npm run build -w @eni-view/web).
// Usage: node bench/tools/page-wire.ts /tmp/bench-input/input-5000.json [--plain]
// --plain strips ?encoding=compact from the page's requests: what the page got before the compact form.
import { readFileSync } from "node:fs";
import type { ClusterInput } from "@eni-view/model";
import { chromium } from "playwright-core";
import { buildApp } from "../../apps/server/src/app.ts";
import { emptyCounters, type Source } from "../../apps/server/src/sources/source.ts";
import { TopologyFeed } from "../../apps/server/src/topologyFeed.ts";
import { chromiumArgs, chromiumPath, viewport } from "../phases/browser.ts";

const file = process.argv[2];
const plain = process.argv.includes("--plain");
if (!file) throw new Error("usage: page-wire.ts input.json");
const input = JSON.parse(readFileSync(file, "utf8")) as ClusterInput;
const ok = { stale: false, error: null, since: null, lastSuccess: new Date().toISOString() };
const source: Source = {
  kind: "dump",
  start: async () => {},
  snapshot: () => ({ input, sources: { kubernetes: ok, ec2: ok }, ready: true, loaded: true }),
  progress: () => [],
  counters: emptyCounters,
  stop: async () => {},
};
const feed = new TopologyFeed(source);
await feed.start();
const webDist = new URL("../../apps/web/dist", import.meta.url).pathname;
const app = await buildApp({ feed, webDist });
const base = await app.listen({ host: "127.0.0.1", port: 0 });

const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
try {
  for (let run = 1; run <= 3; run++) {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
    // Times the stream's snapshot handler: parse, decode and check of the snapshot.
    await context.addInitScript(() => {
      const add = EventSource.prototype.addEventListener;
      EventSource.prototype.addEventListener = function (this: EventSource, type: string, listener: unknown) {
        if (type === "snapshot" && typeof listener === "function") {
          const timed = (ev: Event) => {
            const t0 = performance.now();
            (listener as (e: Event) => void).call(this, ev);
            (window as unknown as { __snapshotMs: number }).__snapshotMs = performance.now() - t0;
          };
          return add.call(this, type, timed);
        }
        return add.call(this, type, listener as EventListener);
      } as typeof EventSource.prototype.addEventListener;
    });
    if (plain)
      await context.route(/\?encoding=compact$/, (route) =>
        route.continue({
          url: route
            .request()
            .url()
            .replace(/\?encoding=compact$/, ""),
        }),
      );
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    const streams = new Map<string, { url: string; encoding: string; wire: number; data: number }>();
    cdp.on("Network.responseReceived", (e) => {
      if (!e.response.url.includes("/api/stream")) return;
      const h = e.response.headers as Record<string, string>;
      streams.set(e.requestId, {
        url: e.response.url.replace(base, ""),
        encoding: h["content-encoding"] ?? h["Content-Encoding"] ?? "identity",
        wire: 0,
        data: 0,
      });
    });
    cdp.on("Network.dataReceived", (e) => {
      const s = streams.get(e.requestId);
      if (s) {
        s.wire += e.encodedDataLength;
        s.data += e.dataLength;
      }
    });
    await page.goto(base, { waitUntil: "commit" });
    await page.waitForFunction(() => window.__eniView?.firstCompleteAt != null, null, {
      timeout: 120_000,
      polling: 50,
    });
    const s = await page.evaluate(() => window.__eniView!);
    const handler = await page.evaluate(() => (window as unknown as { __snapshotMs?: number }).__snapshotMs);
    for (const st of streams.values())
      console.log(
        `run ${run}${plain ? " (plain JSON)" : ""}: ${st.url} content-encoding ${st.encoding}: ${(st.wire / 1e6).toFixed(2)} MB on the wire, ` +
          `${(st.data / 1e6).toFixed(2)} MB decoded; snapshot handler ${handler?.toFixed(0)} ms; ` +
          `data -> first complete drawing ${(s.firstCompleteAt! - s.dataAt!).toFixed(0)} ms`,
      );
    await context.close();
  }
} finally {
  await browser.close();
  await app.close();
  await feed.stop();
}
