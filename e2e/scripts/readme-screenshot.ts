// The README's screenshots, taken in Debian's Chromium: lab mode at the scale lab's 30 replicas in English
// and Korean, the scale lab at 50 replicas (43 nginx running,
// 7 Pending, every node full) with its problems list, the same on a phone (390 x 844), both against the real
// server on the simulator; and a 5,000-node heat map (pods / max pods) against the synthetic server.
//   npm run build -w @eni-view/web && node e2e/scripts/readme-screenshot.ts [--out PATH] [--theme light|dark]
import { execFile } from "node:child_process";
import { parseArgs, promisify } from "node:util";
import { chromium } from "@playwright/test";
import { startSynthetic } from "../support/syntheticServer.ts";
import { repoRoot, startSystem } from "../support/system.ts";
import { labChooserScreenshot } from "./labChooserScreenshot.ts";
import { labScreenshots } from "./labScreenshots.ts";

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
const dir = values.out.slice(0, values.out.lastIndexOf("/"));
const system = await startSystem();
try {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
  });
  // Lab mode first: its picture is the scale lab at 30 replicas, before the 50 below.
  // Before the lab scales anything: nginx planned at 50 on the 2-replica scale lab, in the Plan panel.
  const plan = await browser.newPage({ viewport: { width: 1600, height: 900 }, colorScheme: values.theme });
  await plan.goto(`${system.url}/#plan=${encodeURIComponent("scale=default/nginx-deployment=50")}`);
  await plan.getByTestId("plan-result").waitFor({ timeout: 60_000 });
  await plan.waitForFunction(() => window.__eniView?.lastFrame?.complete === true);
  await plan.waitForTimeout(1000);
  const planOut = `${dir}/plan-50.png`;
  await plan.screenshot({ path: planOut });
  console.log(`wrote ${planOut}`);
  await plan.close();
  await labScreenshots(browser, system, dir, values.theme);
  await labChooserScreenshot(browser, system, dir, values.theme);
  await run("kubectl", [
    "--kubeconfig",
    system.kubeconfig,
    "scale",
    "deployment",
    "nginx-deployment",
    "--replicas=50",
  ]);
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 }, colorScheme: values.theme });
  await page.goto(`${system.url}/#problems=1`);
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
  console.log(`wrote ${values.out}`);

  // A phone: the map takes the height, the controls scroll in one row, the Pending tray sits under the map.
  const phone = await browser.newPage({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    colorScheme: values.theme,
  });
  await phone.goto(`${system.url}/`);
  await phone.waitForFunction(() => window.__eniView?.lastFrame?.complete === true);
  await phone.waitForTimeout(500);
  const phoneOut = `${dir}/phone-390.png`;
  await phone.screenshot({ path: phoneOut });
  console.log(`wrote ${phoneOut}`);

  // 5,000 nodes as a heat map of pods / max pods: the full t3.medium nodes show hot among the roomier types.
  const synthetic = await startSynthetic([
    "--nodes",
    "5000",
    "--pods",
    "20",
    "--types",
    "t3.medium,m5.large,c5.xlarge,m5.xlarge",
    "--overcommit",
    "97",
    "--pending",
    "40",
  ]);
  try {
    const url = synthetic.url;
    const heat = await browser.newPage({ viewport: { width: 1600, height: 900 }, colorScheme: values.theme });
    await heat.goto(`${url}#heat=pods&problems=1`);
    await heat.waitForFunction(() => window.__eniView?.lastFrame?.complete === true, null, {
      timeout: 120_000,
    });
    await heat.waitForTimeout(500);
    const heatOut = `${dir}/heat-5000.png`;
    await heat.screenshot({ path: heatOut });
    console.log(`wrote ${heatOut}`);
  } finally {
    synthetic.stop();
  }
  await browser.close();
} finally {
  await system.stop();
}
