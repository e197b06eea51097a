// Every screen (issue 12, point 6): a laptop's header leaves the map the height, kiosk mode keeps the
// Pending summary and the live badge, text stays sharp zoomed far in on a 4K wall, and reduced motion stops
// the pulses.
import { expect, test } from "@playwright/test";
import { boxOf, settled } from "../pages/canvasPixels.ts";
import { DashboardPage } from "../pages/DashboardPage.ts";
import { scaleNginx } from "../support/cluster.ts";

test("at 1280 × 720 the header takes at most 15 % of the height", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  const dash = new DashboardPage(page);
  await dash.open("#theme=light");
  const map = await dash.canvas.boundingBox();
  expect(map).not.toBeNull();
  // Everything above the map is header: toolbar, summary, legend, tabs.
  expect(map!.y / 720).toBeLessThanOrEqual(0.15);
  // The controls are still there: the last one is reached by the keyboard and scrolled into view.
  await page.getByTestId("kiosk").focus();
  await expect(page.getByTestId("kiosk")).toBeInViewport();
});

test("kiosk mode keeps the live badge and the Pending pods, grouped", async ({ page }) => {
  await scaleNginx(50);
  await page.setViewportSize({ width: 1920, height: 1080 });
  const dash = new DashboardPage(page);
  await dash.open("#kiosk=1");
  await expect(page.getByTestId("toolbar")).toHaveCount(0);
  await expect(page.getByTestId("live-state")).toHaveText("live");
  const status = page.getByTestId("kiosk-pending");
  await expect(status).toContainText("Pending 7", { timeout: 45_000 });
  await expect(status).toContainText("7 × Deployment/nginx-deployment: too many pods");
  // The line fits the wall: nothing of it is cut.
  const fits = await status.evaluate((el) => el.scrollWidth <= el.clientWidth);
  expect(fits).toBe(true);
});

test("zoomed far in on a 4K wall screen, the node name is drawn sharp, not a stretched bitmap", async ({
  browser,
}) => {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 2 });
  const dash = new DashboardPage(page);
  await dash.open("#theme=light");
  const node = (await dash.topology()).nodes.map((n) => n.name).sort()[0]!;
  // 8× zoom with the box's top left near the screen's: 16 device pixels per layout unit.
  const before = await boxOf(page, node);
  const canvasTop = (await dash.canvas.boundingBox())!;
  const view = await page.evaluate(() => window.__eniView!.view!);
  const lx = (before.x - canvasTop.x - view.x) / view.k;
  const ly = (before.y - canvasTop.y - view.y) / view.k;
  const k = 8;
  await page.evaluate(
    ([x, y, s]) => {
      window.location.hash = `theme=light&x=${x}&y=${y}&scale=${s}`;
    },
    [40 - lx * k, 40 - ly * k, k],
  );
  await expect.poll(() => page.evaluate(() => window.__eniView?.view?.k)).toBe(k);
  await settled(page);
  const box = await boxOf(page, node);
  // The name's first letters: the steepest step between neighbouring device pixels, as a share of the
  // step from the box's fill to the text. A bitmap stretched 4× ramps over 4 pixels; vector text does not.
  const sharpness = await page.evaluate(
    ([x, y]) => {
      const c = document.querySelector<HTMLCanvasElement>('[data-testid="cluster-canvas"]')!;
      const r = c.getBoundingClientRect();
      const dpr = c.width / r.width;
      const d = c
        .getContext("2d")!
        .getImageData((x! - r.left) * dpr, (y! - r.top) * dpr, 400 * dpr, 120 * dpr);
      const lum = (i: number) => (d.data[i]! + d.data[i + 1]! + d.data[i + 2]!) / 3;
      let lo = 255;
      let hi = 0;
      let step = 0;
      for (let row = 0; row < d.height; row++)
        for (let col = 1; col < d.width; col++) {
          const i = (row * d.width + col) * 4;
          const a = lum(i);
          lo = Math.min(lo, a);
          hi = Math.max(hi, a);
          step = Math.max(step, Math.abs(a - lum(i - 4)));
        }
      return step / Math.max(1, hi - lo);
    },
    [box.x + 8 * k, box.y + 9 * k],
  );
  expect(sharpness).toBeGreaterThan(0.6);
  await page.close();
});

test("reduced motion: a pod just gone Pending is marked without pulsing", async ({ browser }) => {
  await scaleNginx(50);
  const still = await browser.newPage({ reducedMotion: "reduce" });
  const moving = await browser.newPage({ reducedMotion: "no-preference" });
  try {
    for (const p of [still, moving]) {
      await new DashboardPage(p).open("#theme=light");
      await expect(p.getByTestId("pending-count")).toHaveText("7", { timeout: 45_000 });
    }
    await scaleNginx(52);
    const animation = async (p: typeof still) => {
      const item = p.locator(".pending-item.pulse").first();
      await expect(item).toBeVisible({ timeout: 30_000 });
      return item.evaluate((el) => getComputedStyle(el).animationName);
    };
    expect(await animation(moving)).toBe("pulse");
    expect(await animation(still)).toBe("none");
  } finally {
    await scaleNginx(50);
    await still.close();
    await moving.close();
  }
});
