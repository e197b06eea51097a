// The README's screenshot: the scale lab at 50 replicas (43 nginx running, 7 Pending), taken in Debian's
// Chromium against the real server on the simulator.
//   npm run build -w @eni-view/web && node e2e/scripts/readme-screenshot.ts [--out PATH] [--theme light|dark]
import { execFile } from "node:child_process";
import { parseArgs, promisify } from "node:util";
import { chromium } from "@playwright/test";
import { repoRoot, startSystem } from "../support/system.ts";

const { values } = parseArgs({
  options: {
    out: { type: "string", default: `${repoRoot}e2e/screenshots/scale-lab-50.png` },
    theme: { type: "string", default: "light" },
  },
});
if (values.theme !== "light" && values.theme !== "dark") {
  console.error(`--theme must be light or dark, got "${values.theme}"`);
  process.exit(2);
}

const run = promisify(execFile);
const system = await startSystem();
try {
  await run("kubectl", [
    "--kubeconfig",
    system.kubeconfig,
    "scale",
    "deployment",
    "nginx-deployment",
    "--replicas=50",
  ]);
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
  });
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 }, colorScheme: values.theme });
  await page.goto(`${system.url}/`);
  // The lab's end state: 7 pods Pending and every node at its third ENI.
  await page.getByTestId("pending-count").filter({ hasText: /^7$/ }).waitFor({ timeout: 60_000 });
  await page.getByTestId("stat-enis").filter({ hasText: "9 / 9" }).waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => window.__eniView?.lastFrame?.complete === true);
  // Let the flash of the newly attached ENIs fade: the picture shows the settled state.
  await page.waitForTimeout(3000);
  // Hover one Pending pod so the scheduler's message is in the picture.
  await page.getByTestId("pending-item").first().hover();
  await page.waitForTimeout(300);
  await page.screenshot({ path: values.out });
  await browser.close();
  console.log(`wrote ${values.out}`);
} finally {
  await system.stop();
}
