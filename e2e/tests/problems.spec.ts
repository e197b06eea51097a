// Problems first (issue 12, point 1): on the scale lab at 50 replicas every node is full (17/17 pods) with all
// 3 ENIs attached, so each box wears the "full" border and the ENI-limit bar, the problems list names the three
// nodes, a click there zooms onto the node, the heat map paints full nodes hot, "problems only" hides calm
// nodes, and search steps from match to match.
import { expect, type Page, test } from "@playwright/test";
import { themes } from "../../apps/web/src/draw/theme.ts";
import { boxOf, expectColor, pixel, settled } from "../pages/canvasPixels.ts";
import { DashboardPage } from "../pages/DashboardPage.ts";
import { kubectl, scaleNginx } from "../support/cluster.ts";

// The light theme's colours and the hot end of its heat ramp, as the page draws them.
const FULL = themes.light.full;
const BOX_STROKE = themes.light.boxStroke;
const HOT = themes.light.heat[themes.light.heat.length - 1]!;

async function borderPixel(page: Page, node: string) {
  const b = await boxOf(page, node);
  return pixel(page, b.x + 1, b.y + b.height / 2);
}

test("full nodes wear the full border, the list names them, and a click zooms onto one", async ({ page }) => {
  const dash = new DashboardPage(page);
  await scaleNginx(50);
  await dash.open("#theme=light&problems=1");
  await expect(dash.pendingCount).toHaveText("7", { timeout: 45_000 });
  const names = (await dash.topology()).nodes.map((n) => n.name).sort();
  const full = page.locator('[data-testid="problem-kind"][data-kind="full"]');
  await expect(full.getByTestId("problem-count")).toHaveText("3");
  expect(
    (
      await full
        .getByTestId("problem-entry")
        .evaluateAll((els) => els.map((e) => e.getAttribute("data-node")))
    ).sort(),
  ).toEqual(names);
  await expect(page.locator('[data-kind="eni-limit"]').getByTestId("problem-count")).toHaveText("3");
  await expect(page.locator('[data-kind="waiting-for-ip"]')).toHaveCount(0);
  await settled(page);
  for (const n of names) expectColor(await borderPixel(page, n), FULL);

  // A click in the list: that node's panel opens and the view closes in on its box.
  const before = await page.evaluate(() => window.__eniView?.view?.k ?? 0);
  await full.getByTestId("problem-entry").nth(1).click();
  await expect(dash.nodePanel.getByRole("heading", { level: 2 })).toHaveText(names[1]!);
  await settled(page);
  const b = await boxOf(page, names[1]!);
  const canvas = (await dash.canvas.boundingBox())!;
  expect(await page.evaluate(() => window.__eniView?.view?.k ?? 0)).toBeGreaterThan(before);
  expect(Math.abs(b.x + b.width / 2 - (canvas.x + canvas.width / 2))).toBeLessThan(2);
  expect(await page.evaluate(() => window.__eniView?.lastJumpMs)).not.toBeNull();
});

test("the heat map paints full nodes hot when zoomed far out", async ({ page }) => {
  const dash = new DashboardPage(page);
  await scaleNginx(50);
  await dash.open("#theme=light&heat=pods&scale=0.25&x=40&y=40");
  await expect(page.getByTestId("heat-key")).toContainText("pods / max pods");
  const node = (await dash.topology()).nodes[0]!.name;
  await settled(page);
  const b = await boxOf(page, node);
  expectColor(await pixel(page, b.x + b.width / 2, b.y + b.height * 0.6), HOT, 40);
});

test("below the limits the marks go; a cordoned node is the one problem left with problems only", async ({
  page,
}) => {
  const dash = new DashboardPage(page);
  await scaleNginx(8);
  await dash.open("#theme=light&problems=1");
  await expect(page.getByTestId("problem-nodes")).toHaveText("0", { timeout: 45_000 });
  await expect(page.getByTestId("problems-toggle")).toHaveText("Problems 0");
  const names = (await dash.topology()).nodes.map((n) => n.name).sort();
  await settled(page);
  for (const n of names) expectColor(await borderPixel(page, n), BOX_STROKE, 40);

  await kubectl("cordon", names[0]!);
  try {
    await expect(page.locator('[data-kind="cordoned"]').getByTestId("problem-entry")).toHaveAttribute(
      "data-node",
      names[0]!,
    );
    await page.getByTestId("problems-only").check();
    await expect
      .poll(() => page.evaluate((n) => window.__eniView?.locateBox?.(n) ?? null, names[1]!))
      .toBeNull();
    await boxOf(page, names[0]!);
  } finally {
    await kubectl("uncordon", names[0]!);
  }
  await expect(page.getByTestId("empty")).toContainText('hidden by "problems only"');
  await page.getByTestId("problems-only").uncheck();
  await boxOf(page, names[1]!);
});

test("search moves the view onto its matches and steps through them with Enter", async ({ page }) => {
  const dash = new DashboardPage(page);
  await scaleNginx(50);
  await dash.open("#theme=light");
  await expect(dash.pendingCount).toHaveText("7", { timeout: 45_000 });
  const names = (await dash.topology()).nodes.map((n) => n.name);
  await dash.search("namespace=default");
  await expect(page.getByTestId("match-nodes")).toHaveText("on 3 nodes");
  await dash.searchBox.press("Enter");
  await expect(page.getByTestId("match-nodes")).toHaveText("node 1 of 3");
  const canvas = (await dash.canvas.boundingBox())!;
  const centred = async () => {
    await settled(page);
    const mid = canvas.x + canvas.width / 2;
    for (const n of names) {
      const b = await boxOf(page, n);
      if (Math.abs(b.x + b.width / 2 - mid) < 2) return n;
    }
    return null;
  };
  const first = await centred();
  expect(first).not.toBeNull();
  await page.getByTestId("match-next").click();
  await expect(page.getByTestId("match-nodes")).toHaveText("node 2 of 3");
  const second = await centred();
  expect(second).not.toBeNull();
  expect(second).not.toBe(first);
  await dash.searchBox.press("Shift+Enter");
  await expect(page.getByTestId("match-nodes")).toHaveText("node 1 of 3");
  expect(await centred()).toBe(first);
});
