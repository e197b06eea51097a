// The page's targets with the problem marks and the heat map on (issue 12): the 5,000-node overview coloured by
// pods / max pods with the problems list open, loaded afresh, then panned and zoomed, and live updates from the
// real server applied, each against the plain page's target (update applied: the replay's 100 ms).
import type { Browser, Page } from "playwright-core";
import type { Child } from "../lib/child.ts";
import { summarise } from "../lib/stats.ts";
import { serverUpdatesApplied } from "./serverUpdates.ts";

/** What browser.ts lends this part: its page load and its pan/zoom frames, and its record maker. */
export interface HeatParts {
  load: (
    browser: Browser,
    url: string,
    timeoutMs: number,
  ) => Promise<{ context: { close(): Promise<void> }; page: Page; afterData: number }>;
  panZoomFrames: (page: Page, path: "warmup" | "measure") => Promise<{ ms: number[]; modes: string[] }>;
  rec: (name: string, unit: string, samples: number[], p?: number, note?: string) => void;
  log: (line: string) => void;
}

/** The hash the page opens with: the heat map of pods / max pods, and the problems list. */
export const HEAT_HASH = "#heat=pods&problems=1";

export async function heatMapMeasures(
  browser: Browser,
  o: { url: string; sim: Child<unknown>; loads: number },
  parts: HeatParts,
  timeoutMs: number,
): Promise<void> {
  const { rec, log } = parts;
  const url = `${o.url.replace(/\/$/, "")}/${HEAT_HASH}`;
  const afterData: number[] = [];
  let kept: Awaited<ReturnType<HeatParts["load"]>> | null = null;
  // No warm-up load of its own: the plain page's loads just before warmed the server's compressed snapshot and
  // Chromium's caches.
  for (let i = 0; i < o.loads; i++) {
    const l = await parts.load(browser, url, timeoutMs);
    afterData.push(l.afterData);
    if (i === o.loads - 1) kept = l;
    else await l.context.close();
  }
  rec(
    "browser, heat map and problems on: data -> first complete drawing",
    "ms",
    afterData,
    50,
    `${HEAT_HASH}: topology in hand to the first frame with every box drawn`,
  );
  const page = kept!.page;
  await parts.panZoomFrames(page, "warmup");
  const frames = await parts.panZoomFrames(page, "measure");
  rec(
    "browser, heat map and problems on: pan/zoom frame p95",
    "ms",
    frames.ms,
    95,
    `${HEAT_HASH}: one pan or zoom step per frame, ${frames.ms.length} frames`,
  );
  const live = await serverUpdatesApplied(page, o.sim, 2000);
  if (live.length > 0)
    rec(
      "browser, heat map and problems on: live update from the server applied p50",
      "ms",
      live,
      50,
      `${HEAT_HASH}: 4 pods deleted in the simulator; every delta that followed, applied and drawn`,
    );
  log(
    `  browser, heat map and problems on: first drawing ${summarise(afterData).value.toFixed(0)} ms after data, pan/zoom p95 ${summarise(frames.ms, 95).value.toFixed(1)} ms, update applied p50 ${live.length > 0 ? summarise(live).value.toFixed(1) : "-"} ms`,
  );
  await kept!.context.close();
}
