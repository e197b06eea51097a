// Exports fit a review (issue 12, point 3): the whole cluster and what is on screen, each under a header
// with the title (Pending count included), the summary, the legend and the Pending pods, with no text
// outside the picture and no two group headings on top of each other.
import { expect, type Page, test } from "@playwright/test";
import { DashboardPage } from "../pages/DashboardPage.ts";
import { scaleNginx } from "../support/cluster.ts";

/** Every <text> of the SVG as the browser lays it out: its box, and the picture's size. */
async function svgTextBoxes(page: Page, svg: string) {
  await page.setContent(svg.replace(/^<\?xml[^>]*>/, ""));
  return page.evaluate(() => {
    const root = document.querySelector("svg")!;
    const texts = [...root.querySelectorAll("text")].map((el) => {
      const b = el.getBBox();
      return { text: el.textContent ?? "", x: b.x, y: b.y, w: b.width, h: b.height, size: el.style.font };
    });
    return { width: root.width.baseVal.value, height: root.height.baseVal.value, texts };
  });
}

test("the whole-cluster SVG carries title, summary, legend and Pending, nothing clipped or overlapping", async ({
  page,
  browser,
}) => {
  await scaleNginx(50);
  const dash = new DashboardPage(page);
  await dash.open("#theme=light&group=instanceType");
  await expect(dash.pendingCount).toHaveText("7", { timeout: 45_000 });
  const download = await dash.download("export-svg");
  const svg = await (await download.createReadStream()).toArray().then((c) => Buffer.concat(c).toString());
  const viewer = await browser.newPage();
  const { width, height, texts } = await svgTextBoxes(viewer, svg);
  const all = texts.map((t) => t.text).join(" ");
  expect(all).toContain("7 pending");
  expect(all).toContain("Pending 7");
  expect(all).toContain("7 × Deployment/nginx-deployment: too many pods");
  expect(all).toContain("primary IP");
  expect(all).toContain("ENI limit");
  expect(all).toMatch(/Problems: 3 full/);
  for (const t of texts) {
    expect(t.x, t.text).toBeGreaterThanOrEqual(0);
    expect(t.y, t.text).toBeGreaterThanOrEqual(0);
    expect(t.x + t.w, t.text).toBeLessThanOrEqual(width);
    expect(t.y + t.h, t.text).toBeLessThanOrEqual(height);
  }
  const headings = texts.filter((t) => t.size.startsWith("600 13px"));
  expect(headings.length).toBeGreaterThan(0);
  for (const a of headings)
    for (const b of headings) {
      if (a === b) continue;
      const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
      expect(apart, `${a.text} / ${b.text}`).toBe(true);
    }
  await viewer.close();
});

test("what I see: a PNG of the map as the screen shows it, under the same header", async ({ page }) => {
  const dash = new DashboardPage(page);
  await dash.open("#theme=light");
  await page.getByTestId("export-scope").selectOption("view");
  const node = (await dash.topology()).nodes.map((n) => n.name).sort()[0]!;
  await dash.clickNode(node);
  await page.getByTestId("cluster-canvas").press("+");
  const seen = await dash.download("export-png");
  expect(seen.suggestedFilename()).toMatch(/^eni-view-view-/);
  const size = await imageSize(page, await seen.path());
  // The map part is the screen's map (24 px margins), at the 2× pixel ratio picked by default.
  const map = (await dash.canvas.boundingBox())!;
  expect(Math.abs(size.width - 2 * (Math.max(map.width, 760) + 48))).toBeLessThanOrEqual(2);
  expect(size.height).toBeGreaterThan(2 * map.height);
  await expect(page.getByTestId("toolbar-note")).toContainText("PNG saved");
});

async function imageSize(page: Page, path: string): Promise<{ width: number; height: number }> {
  const { readFile } = await import("node:fs/promises");
  const data = (await readFile(path)).toString("base64");
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    return { width: img.naturalWidth, height: img.naturalHeight };
  }, data);
}
