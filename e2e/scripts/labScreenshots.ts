// Lab mode in the README: the scale lab's fourth step ("Scale to 30 replicas") reached on the simulator,
// each node's 3rd ENI lit, in English and in Korean. Called by readme-screenshot.ts (npm run screenshot).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Report } from "@eni-view/model";
import type { Browser } from "@playwright/test";
import { observeScale } from "../../apps/web/src/lab/scaleSteps.ts";
import type { RunningSystem } from "../support/system.ts";

const run = promisify(execFile);

/**
 * Waits until the server's topology has settled at `replicas` nginx pods as the scale step judges it. A lab
 * page opened while pods still start or ENIs attach takes that half-way cluster as the state the step opened
 * on; when the cluster then arrives, the step has been reached *while open*, so the panel moves on to the next
 * step at once and "reached" is on screen for a frame: waiting for it timed out whenever the simulator was
 * slower than the page's first load (a loaded machine), which is what `npm run screenshot` hit beside the
 * tests.
 */
async function settledAt(url: string, replicas: number, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last = "no topology yet";
  while (Date.now() < end) {
    const res = await fetch(`${url}/api/topology`);
    if (res.ok) {
      const o = observeScale((await res.json()) as Report, replicas);
      if (o.settled && o.reached) return;
      last = `${o.fingerprint} (pods/pending/ENIs), settled ${o.settled}`;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the cluster did not settle at ${replicas} replicas in ${timeoutMs / 1000} s: ${last}`);
}

export async function labScreenshots(
  browser: Browser,
  system: RunningSystem,
  dir: string,
  theme: "light" | "dark",
): Promise<void> {
  await run("kubectl", [
    "--kubeconfig",
    system.kubeconfig,
    "scale",
    "deployment",
    "nginx-deployment",
    "--replicas=30",
  ]);
  await settledAt(system.url, 30);
  for (const lang of ["en", "ko"] as const) {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 }, colorScheme: theme });
    await page.goto(`${system.url}/#lab=scale&step=4&lang=${lang}`);
    // Opened on a cluster already settled at 30 replicas with every 3rd ENI attached: the step is reached,
    // and stays so (it moves on only when the cluster gets there while the step is open).
    await page.locator('[data-testid="lab-state"][data-state="reached"]').waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => window.__eniView?.lastFrame?.complete === true);
    // Let the flash of the newly attached ENIs fade: the picture shows the settled state.
    await page.waitForTimeout(3000);
    const out = `${dir}/lab-mode-${lang}.png`;
    await page.screenshot({ path: out });
    console.log(`wrote ${out}`);
    await page.close();
  }
}
