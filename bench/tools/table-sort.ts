// How long a click on a sort header of the node table holds the page at a size: the real server on the
// synthetic cluster (bench/procs/overviewPage.ts), the Table tab in headless Chromium, then each header
// clicked in turn, a few rounds, each timed from the click to the next animation frame (the main thread
// free to paint the sorted rows). The first round's clicks come 3 s after the table is drawn, as a
// person's first click would.
//   node bench/tools/table-sort.ts [NODES] [--web-dist DIR] [--rounds N]
import { fork } from "node:child_process";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";
import { chromiumArgs, chromiumPath, viewport } from "../phases/browser.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    "web-dist": { type: "string" },
    rounds: { type: "string", default: "3" },
    profile: { type: "boolean", default: false },
  },
});
const nodes = Number(positionals[0] ?? 100_000);
const repo = resolve(import.meta.dirname, "../..");
const webDist = values["web-dist"] ?? `${repo}/apps/web/dist`;
const child = fork(`${repo}/bench/procs/overviewPage.ts`, [String(nodes), "8", webDist], {
  stdio: ["ignore", "inherit", "inherit", "ipc"],
  execArgv: ["--max-old-space-size=8000"],
});
try {
  const url = await new Promise<string>((done, fail) => {
    child.once("exit", (code) => fail(new Error(`the server exited (${code})`)));
    child.on("message", (m: { type: string; url?: string }) => {
      if (m.type === "ready") done(m.url!);
    });
  });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  const page = await browser.newPage({ viewport });
  await page.goto(`${url}#theme=light&tab=table`);
  await page.getByTestId("table-node").first().waitFor({ timeout: 180_000 });
  const sorts = ["name", "utilisation", "pending", "problems"];
  // --profile: the page's CPU profile over every click, its top functions by own time printed.
  const cdp = values.profile ? await page.context().newCDPSession(page) : null;
  await cdp?.send("Profiler.enable");
  await cdp?.send("Profiler.start");
  const rounds = Number(values.rounds);
  for (let round = 1; round <= rounds; round++) {
    if (round === 1) await page.waitForTimeout(3000);
    const times: string[] = [];
    for (const sort of sorts) {
      const ms = await page.evaluate(async (by) => {
        const button = document.querySelector<HTMLButtonElement>(`[data-testid="table-sort-${by}"]`)!;
        const start = performance.now();
        button.click();
        await new Promise((r) => requestAnimationFrame(r));
        return performance.now() - start;
      }, sort);
      times.push(`${sort} ${ms.toFixed(0)} ms`);
    }
    console.log(`round ${round}: ${times.join(", ")}`);
  }
  if (cdp !== null) {
    const { profile } = await cdp.send("Profiler.stop");
    const own = new Map<string, number>();
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples!.forEach((id, i) => {
      const f = byId.get(id)!.callFrame;
      const key = `${f.functionName || "(anonymous)"} ${f.url.split("/").pop()}:${f.lineNumber}`;
      own.set(key, (own.get(key) ?? 0) + profile.timeDeltas![i]! / 1000);
    });
    for (const [key, ms] of [...own].sort((a, b) => b[1] - a[1]).slice(0, 15))
      console.log(`${ms.toFixed(0).padStart(6)} ms  ${key}`);
  }
  await browser.close();
} finally {
  child.kill("SIGTERM");
}
