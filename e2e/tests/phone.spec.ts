// Phones (issue 12, point 6): at 390 × 844 the header and the Pending tray give the map the room, the node
// list is one tap away, and a tap shows what hovering shows on a laptop.
import { expect, test } from "@playwright/test";
import { DashboardPage } from "../pages/DashboardPage.ts";

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });

test("on a phone the header is short, the tray sits under the map, and nothing runs off the side", async ({
  page,
}) => {
  const dash = new DashboardPage(page);
  await dash.open("#theme=light");
  const map = (await dash.canvas.boundingBox())!;
  // Everything above the map is header: one scrolling row of controls, the figures, the legend and tabs.
  expect(map.y / 844).toBeLessThanOrEqual(0.3);
  expect(map.height).toBeGreaterThanOrEqual(240);
  const tray = (await dash.pendingTray.boundingBox())!;
  expect(tray.y).toBeGreaterThanOrEqual(map.y + map.height - 1);
  // The page itself never scrolls sideways: the rows that are too wide scroll inside themselves.
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
});

test("on a phone the node list is one tap away and names every node", async ({ page }) => {
  const dash = new DashboardPage(page);
  await dash.open("#theme=light");
  await page.getByRole("button", { name: "Table", exact: true }).tap();
  await expect(page).toHaveURL(/tab=table/);
  const names = (await dash.topology()).nodes.map((n) => n.name).sort();
  await expect(async () => {
    const rows = await page
      .getByTestId("table-node")
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-node")));
    expect(rows.sort()).toEqual(names);
  }).toPass({ timeout: 20_000 });
});

test("a tap on a pod's cell shows what hovering shows, and opens its node", async ({ page }) => {
  const dash = new DashboardPage(page);
  await dash.open("#theme=light");
  const topo = await dash.topology();
  const pod = topo.pods.find((p) => p.namespace === "default" && p.eni !== null)!;
  const key = `${pod.namespace}/${pod.name}`;
  await expect(async () => {
    const { x, y } = await dash.pointAt(key);
    await page.touchscreen.tap(x, y);
    await expect(dash.tooltip).toContainText(key, { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await expect(dash.tooltip).toContainText(pod.ip);
  await expect(dash.tooltip).toContainText(pod.eni!);
  await expect(dash.tooltip).toContainText(pod.node);
  await expect(dash.nodePanel.getByRole("heading", { level: 2 })).toHaveText(pod.node);
});
