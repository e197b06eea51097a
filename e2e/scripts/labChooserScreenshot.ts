// The list of labs in the README: the Lab button's dialog on the scale lab's simulator, the labs written
// for its scenario marked, the others naming the scenario they need and its start command. Called by
// readme-screenshot.ts (npm run screenshot).
import type { Browser } from "@playwright/test";
import type { RunningSystem } from "../support/system.ts";

export async function labChooserScreenshot(
  browser: Browser,
  system: RunningSystem,
  dir: string,
  theme: "light" | "dark",
): Promise<void> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1100 }, colorScheme: theme });
  await page.goto(`${system.url}/#lang=en`);
  await page.waitForFunction(() => window.__eniView?.lastFrame?.complete === true, null, { timeout: 60_000 });
  await page.getByTestId("lab-toggle").click();
  // The simulator's scenario is in: the fitting labs are marked.
  await page.getByTestId("lab-chooser-standing").waitFor({ timeout: 30_000 });
  const out = `${dir}/lab-chooser-en.png`;
  await page.getByTestId("lab-chooser").screenshot({ path: out });
  console.log(`wrote ${out}`);
  await page.close();
}
