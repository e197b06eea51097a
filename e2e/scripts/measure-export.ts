// The whole-cluster PNG export at 5,000 nodes (the synthetic server, 30 pods a node): its size in bytes and
// pixels, and whether it fell back to the heat map. The export must stay under 5 MB.
//   npm run build -w @eni-view/web && node e2e/scripts/measure-export.ts [--nodes 5000] [--out FILE.png]
import { stat } from "node:fs/promises";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import { startSynthetic } from "../support/syntheticServer.ts";

const { values } = parseArgs({
  options: { nodes: { type: "string", default: "5000" }, out: { type: "string" } },
});
const synthetic = await startSynthetic(["--nodes", values.nodes, "--pods", "30"]);
try {
  const url = synthetic.url;
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu"],
  });
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 }, acceptDownloads: true });
  await page.goto(`${url}#theme=light`);
  await page.waitForFunction(() => window.__eniView?.lastFrame?.complete === true, null, {
    timeout: 180_000,
  });
  const [download] = await Promise.all([
    page.waitForEvent("download", { timeout: 180_000 }),
    page.getByTestId("export-png").click(),
  ]);
  const path = await download.path();
  const bytes = (await stat(path)).size;
  if (values.out) await download.saveAs(values.out);
  const note = await page.getByTestId("toolbar-note").textContent();
  console.log(`${values.nodes} nodes: ${(bytes / 1048576).toFixed(2)} MB (${bytes} bytes) · ${note}`);
  await browser.close();
  if (bytes >= 5 * 1048576) process.exitCode = 1;
} finally {
  synthetic.stop();
}
