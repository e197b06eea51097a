// Live updates from the real server as the page applies them: pods deleted in the simulator, each followed by
// its replacement, and every delta the page applied meanwhile timed by the page itself (window.__eniView).
import type { Page } from "playwright-core";
import type { Child } from "../lib/child.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Deletes 4 pods from the `from`th on, 1.2 s apart, and returns each applied delta's time (ms). */
export async function serverUpdatesApplied(page: Page, sim: Child<unknown>, from: number): Promise<number[]> {
  await page.evaluate(() => {
    const w = window as unknown as { __benchUpdates: number[] };
    w.__benchUpdates = [];
    const s = window.__eniView!;
    let seen = s.updates;
    const poll = () => {
      if (s.updates !== seen) {
        seen = s.updates;
        if (s.lastUpdateMs !== null) w.__benchUpdates.push(s.lastUpdateMs);
      }
      requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  });
  for (let i = 0; i < 4; i++) {
    await sim.ask("deletePod", { index: from + i });
    await sleep(1200);
  }
  return page.evaluate(() => (window as unknown as { __benchUpdates: number[] }).__benchUpdates);
}
