// Replaying a recorded scale test in the page: the scale lab on its own simulator and server (which records
// by default), then the timeline under the map: jump to the first Pending and check the tray shows that
// moment, play at 10x, open a link to a moment in a fresh page, go back to live.

import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { RecordedTopology, Timeline } from "@eni-view/model";
import { expect, type Page, test } from "@playwright/test";
import { DashboardPage } from "../pages/DashboardPage.ts";
import { type CliServer, startCli } from "../support/cliServer.ts";

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "eni-view-e2e-rec-"));
let server: CliServer;
let kubeconfig: string;

async function scale(replicas: number): Promise<void> {
  await run("kubectl", [
    "--kubeconfig",
    kubeconfig,
    "scale",
    "deployment",
    "nginx-deployment",
    `--replicas=${replicas}`,
  ]);
}

async function timeline(page: Page, id: string): Promise<Timeline> {
  return (await (await page.request.get(`${server.url}/api/recordings/${id}/timeline`)).json()) as Timeline;
}

test.beforeAll(async () => {
  server = await startCli([
    "--source",
    "sim",
    "--speed",
    "10",
    "--state-dir",
    join(dir, "sim"),
    "--snapshot-db",
    join(dir, "db", "snapshots.db"),
  ]);
  await expect.poll(() => /KUBECONFIG=(\S+)/.exec(server.output())?.[1] ?? null).not.toBeNull();
  kubeconfig = /KUBECONFIG=(\S+)/.exec(server.output())![1]!;
});
test.afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("the timeline replays the scale lab: jump to the first Pending, play at 10x, a moment link, live again", async ({
  page,
  browser,
}) => {
  const dash = new DashboardPage(page, server.url);
  await dash.open();
  await expect(page.getByTestId("timeline")).toBeVisible();
  await scale(30);
  await expect(dash.stat("enis")).toHaveText("9 / 9", { timeout: 45_000 });
  const ringId = await page.getByTestId("recording-select").inputValue();
  // A scale step is told once the pod count has settled: the step to 30 is on the timeline before the next.
  const steps = async () => (await timeline(page, ringId)).events.filter((e) => e.kind === "scale").length;
  await expect.poll(steps, { timeout: 20_000 }).toBe(1);
  await scale(50);
  await expect(dash.pendingCount).toHaveText("7", { timeout: 45_000 });
  await expect.poll(steps, { timeout: 20_000 }).toBe(2);

  // Jump to the last "first Pending": the 7 pods that stay Pending at 50 replicas, as the tray showed them then.
  const rec = await timeline(page, ringId);
  const firstPending = rec.events.filter((e) => e.kind === "first-pending").at(-1)!;
  const jump = page.getByTestId("jump-event");
  await expect(jump.locator(`option[value="${firstPending.t}"]`).first()).toBeAttached({ timeout: 10_000 });
  await jump.selectOption(String(firstPending.t));
  await expect(page.getByTestId("replay-banner")).toContainText("Recorded moment");
  await expect(page.getByTestId("replay-banner")).toContainText("not live");
  const then = (await (
    await page.request.get(`${server.url}/api/recordings/${ringId}/topology?at=${firstPending.t}`)
  ).json()) as RecordedTopology;
  expect(then.pending.length).toBeGreaterThan(0);
  await expect(dash.pendingCount).toHaveText(String(then.pending.length));
  await expect(dash.pendingItems).toHaveCount(then.pending.length);
  await page.screenshot({ path: "../test-results/recording-first-pending.png" });

  // Play at 10x from the first step to the end: the recorded clock runs ten times the wall clock (the
  // end moves on with the present while the server records, so it is where playing stopped).
  await page.getByTestId("speed").selectOption("10");
  const before = rec.events.find((e) => e.kind === "scale")!.t;
  await jump.selectOption(String(before));
  const slider = page.getByTestId("timeline-chart");
  await expect(slider).toHaveAttribute("aria-valuenow", String(before));
  // Timed in the page, frame by frame: the test runner's own polling is too coarse for a 2-second play.
  // The clock starts when the page shows it playing, as the player's own clock does: the time a loaded
  // machine takes to render the click is no part of the speed.
  const wall = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const button = document.querySelector<HTMLButtonElement>('[data-testid="play"]')!;
        let t0 = 0;
        button.click();
        let playing = false;
        const check = () => {
          if (!playing && button.textContent === "Pause") {
            playing = true;
            t0 = performance.now();
          }
          if (playing && button.textContent === "▶ Play") resolve(performance.now() - t0);
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      }),
  );
  const after = Number(await slider.getAttribute("aria-valuenow"));
  const rate = (after - before) / wall;
  expect(rate).toBeGreaterThan(7);
  expect(rate).toBeLessThan(12);

  // A link to this moment opens the same moment in a fresh page.
  await jump.selectOption(String(firstPending.t));
  await page.getByTestId("copy-moment").click();
  const link = (await page.getByTestId("moment-link").textContent())!.replace(/^copied: /, "");
  expect(link).toContain(`replay=${ringId}`);
  expect(link).toContain(`at=${firstPending.t}`);
  const fresh = await (await browser.newContext()).newPage();
  const freshDash = new DashboardPage(fresh, server.url);
  await fresh.goto(link);
  await freshDash.waitDrawn();
  await expect(fresh.getByTestId("replay-banner")).toContainText("Recorded moment");
  await expect(freshDash.pendingCount).toHaveText(String(then.pending.length));
  // A link to a range opens the timeline on that range alone.
  await page.getByTestId("copy-range").click();
  // The moment's link is still shown until the range's replaces it.
  await expect(page.getByTestId("moment-link")).toContainText("from=");
  const range = (await page.getByTestId("moment-link").textContent())!.replace(/^copied: /, "");
  const from = Number(/from=(\d+)/.exec(range)![1]);
  const to = Number(/to=(\d+)/.exec(range)![1]);
  expect(to).toBeGreaterThan(from);
  await fresh.goto(range);
  await freshDash.waitDrawn();
  await expect(fresh.getByTestId("timeline-chart")).toHaveAttribute("aria-valuemin", String(from));
  await expect(fresh.getByTestId("timeline-chart")).toHaveAttribute("aria-valuemax", String(to));

  // Live returns to the present: 7 Pending, no banner, no moment in the address.
  await page.getByTestId("go-live").click();
  await expect(page.getByTestId("replay-banner")).toHaveCount(0);
  await expect(dash.pendingCount).toHaveText("7");
  expect(page.url()).not.toContain("replay=");

  // Export the recording as a WebM at 30x: the frames it says it made are in the file, and it is small.
  await page.getByTestId("export-toggle").click();
  await page.getByTestId("export-speed").selectOption("30");
  await page.getByTestId("export-width").selectOption("640");
  const [video] = await Promise.all([
    page.waitForEvent("download", { timeout: 60_000 }),
    page.getByTestId("export-webm").click(),
  ]);
  await expect(page.getByTestId("export-message")).toContainText("WebM saved", { timeout: 60_000 });
  const said = Number(/(\d+) frames/.exec((await page.getByTestId("export-message").textContent())!)![1]);
  const bytes = readFileSync((await video.path())!);
  expect(bytes.length).toBeLessThan(5 * 1024 * 1024);
  expect([...bytes.subarray(0, 4)]).toEqual([0x1a, 0x45, 0xdf, 0xa3]);
  const frames = webmFrames(bytes);
  // MediaRecorder drops a frame it is handed while its encoder is busy (a loaded machine); none are invented.
  expect(frames).toBeLessThanOrEqual(said + 1);
  expect(frames).toBeGreaterThanOrEqual(Math.floor(said * 0.8));

  // A PNG strip of two chosen moments: two 480-pixel cells side by side.
  await jump.selectOption(String(firstPending.t));
  await page.getByTestId("strip-add").click();
  await page.getByTestId("next-change").click();
  await page.getByTestId("strip-add").click();
  const [strip] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("export-strip").click(),
  ]);
  await strip.saveAs("../test-results/recording-strip.png");
  await video.saveAs("../test-results/recording.webm");
  const png = readFileSync((await strip.path())!);
  expect([...png.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  expect(png.readUInt32BE(16)).toBe(960);
});

/** The video frames in a WebM file (Matroska SimpleBlocks and BlockGroups), walking the EBML tree; the
 * segment and clusters MediaRecorder writes have unknown sizes, so they are entered, not skipped. */
function webmFrames(b: Buffer): number {
  const vint = (at: number, keepMarker: boolean): { value: number; length: number; unknown: boolean } => {
    const first = b[at]!;
    let length = 1;
    while (length <= 8 && !(first & (0x80 >> (length - 1)))) length++;
    let value = keepMarker ? first : first & (0xff >> length);
    let allOnes = value === 0xff >> length;
    for (let i = 1; i < length; i++) {
      value = value * 256 + b[at + i]!;
      if (b[at + i] !== 0xff) allOnes = false;
    }
    return { value, length, unknown: !keepMarker && allOnes };
  };
  const containers = new Set([0x18538067, 0x1f43b675]);
  let frames = 0;
  let at = 0;
  while (at < b.length - 2) {
    const id = vint(at, true);
    const size = vint(at + id.length, false);
    const body = at + id.length + size.length;
    if (containers.has(id.value)) {
      at = body;
      continue;
    }
    if (id.value === 0xa3 || id.value === 0xa0) frames++;
    if (size.unknown) break;
    at = body + size.value;
  }
  return frames;
}
