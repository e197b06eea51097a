// Lab mode in the README: the scale lab's fourth step ("Scale to 30 replicas") reached on the simulator,
// each node's 3rd ENI lit, in English and in Korean. Called by readme-screenshot.ts (npm run screenshot).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Browser } from "@playwright/test";
import type { RunningSystem } from "../support/system.ts";

const run = promisify(execFile);

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
  for (const lang of ["en", "ko"] as const) {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 }, colorScheme: theme });
    await page.goto(`${system.url}/#lab=scale&step=4&lang=${lang}`);
    // Opened on a cluster already at 30 replicas with every 3rd ENI attached: the step is reached.
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
