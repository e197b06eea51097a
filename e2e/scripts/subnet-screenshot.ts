// The README's subnet-view picture: the fragmented lab (prefix delegation; in 2c a Lambda ENI every 16
// addresses leaves free addresses but no free /28), taken in Debian's Chromium against `eni-view serve`.
//   npm run build -w @eni-view/web && node e2e/scripts/subnet-screenshot.ts [--out PATH]
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import { startCli } from "../support/cliServer.ts";
import { repoRoot } from "../support/system.ts";

const { values } = parseArgs({
  options: { out: { type: "string", default: `${repoRoot}e2e/screenshots/subnets-fragmented.png` } },
});

const server = await startCli(["--source", "sim", "--scenario", "fragmented-lab"]);
try {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
  });
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 }, colorScheme: "light" });
  // Until the 2c node's pods wait for an IP: the state the picture explains.
  for (;;) {
    const t = await (await fetch(`${server.url}/api/topology`)).json();
    if (t.nodes?.some((n: { podsWaitingForIp: number }) => n.podsWaitingForIp > 0)) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  await page.goto(`${server.url}/#tab=subnets`);
  await page.getByTestId("subnet-192.168.3.0/24").click();
  await page.waitForFunction(() => window.__eniView?.subnetAddresses === 256);
  const at = await page.evaluate(() => window.__eniView?.locateAddress?.("192.168.3.200") ?? null);
  if (at) await page.mouse.move(at.x, at.y);
  await page.getByTestId("subnet-tooltip").waitFor();
  await page.screenshot({ path: values.out });
  await browser.close();
  console.log(`wrote ${values.out}`);
} finally {
  await server.stop();
}
