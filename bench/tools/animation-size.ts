// How big a scale lab's animation is (issue 15: "a 5-minute scale lab at 30x under 5 MB"). Records the
// simulator's scale lab for MINUTES with `eni-view record --source sim`, scaling nginx-deployment
// 8 -> 30 -> 50 -> 30 -> 8 across it with the real kubectl, then opens the file with
// `eni-view serve --recording` in headless Chromium and exports the whole recording as a WebM at SPEED
// at each width the page offers, printing each file's bytes, frames and the video's length.
//
//   node bench/tools/animation-size.ts [MINUTES=5] [SPEED=30]
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { chromium } from "playwright-core";
import { chromiumArgs, chromiumPath } from "../phases/browser.ts";

const [minutes = 5, speed = 30] = process.argv.slice(2).map(Number);
const root = new URL("../..", import.meta.url).pathname;
const bin = join(root, "apps/server/bin/eni-view.js");
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "eni-view-anim-"));
const file = join(dir, "scale-lab.db");

/** Starts the CLI and resolves with the first match of `pattern` in what it prints. */
function cli(args: string[], pattern: RegExp): { child: ChildProcess; match: Promise<string> } {
  const child = spawn(process.execPath, [bin, ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const match = new Promise<string>((resolve, reject) => {
    const look = (d: Buffer) => {
      out += d.toString();
      const m = pattern.exec(out);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on("data", look);
    child.stderr!.on("data", look);
    child.once("exit", (code) => reject(new Error(`eni-view ${args[0]} exited (${code}):\n${out}`)));
  });
  return { child, match };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
try {
  const record = cli(
    ["record", "--out", file, "--name", "scale lab", "--source", "sim", "--for", `${minutes}m`],
    /KUBECONFIG=(\S+)/,
  );
  const kubeconfig = await record.match;
  const exited = new Promise((r) => record.child.once("exit", r));
  const t0 = Date.now();
  for (const [share, replicas] of [
    [0.05, 8],
    [0.2, 30],
    [0.45, 50],
    [0.7, 30],
    [0.85, 8],
  ] as const) {
    await wait(Math.max(0, t0 + share * minutes * 60_000 - Date.now()));
    await run("kubectl", [
      "--kubeconfig",
      kubeconfig,
      "scale",
      "deployment",
      "nginx-deployment",
      `--replicas=${replicas}`,
    ]);
    console.error(`${((Date.now() - t0) / 1000).toFixed(0)} s: scaled to ${replicas}`);
  }
  await exited;

  const serve = cli(["serve", "--recording", file, "--port", "0"], /at (http:\/\/127\.0\.0\.1:\d+)\//);
  const url = await serve.match;
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, acceptDownloads: true });
    await page.goto(url);
    await page.getByTestId("timeline").waitFor({ timeout: 60_000 });
    await page.getByTestId("export-toggle").click();
    await page.getByTestId("export-speed").selectOption(String(speed));
    const range = await page.getByTestId("export-panel").textContent();
    const rows: string[] = [];
    for (const width of ["640", "960", "1280"]) {
      await page.getByTestId("export-width").selectOption(width);
      const [video] = await Promise.all([
        page.waitForEvent("download", { timeout: 600_000 }),
        page.getByTestId("export-webm").click(),
      ]);
      await page.getByTestId("export-message").getByText("WebM saved").waitFor({ timeout: 600_000 });
      const said = (await page.getByTestId("export-message").textContent()) ?? "";
      const bytes = readFileSync((await video.path())!).length;
      rows.push(`| ${width} px | ${(bytes / 1048576).toFixed(2)} MB | ${said} |`);
    }
    const span = /\d\d:\d\d:\d\d\.\d{3} – \d\d:\d\d:\d\d\.\d{3}/.exec(range ?? "")?.[0] ?? "?";
    console.log(`${minutes}-minute scale lab at ${speed}x, the recording ${span}`);
    console.log("| width | WebM | the page's message |\n|---|---:|---|");
    console.log(rows.join("\n"));
  } finally {
    await browser.close();
    serve.child.kill("SIGTERM");
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
