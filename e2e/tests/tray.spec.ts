// The Pending tray helps (issue 12, point 5): pods of one owner with the same reason are one group with its
// message in view, "nodes" moves the map to the nodes that refused them, and hundreds of Pending pods scroll
// virtually instead of stopping at 200.
import { expect, test } from "@playwright/test";
import { DashboardPage } from "../pages/DashboardPage.ts";
import { scaleNginx } from "../support/cluster.ts";

test("scale lab at 50: one group of 7 with the scheduler's words, and its nodes on the map", async ({
  page,
}) => {
  const dash = new DashboardPage(page);
  await scaleNginx(50);
  await dash.open("#theme=light");
  await expect(dash.pendingCount).toHaveText("7", { timeout: 45_000 });
  const group = page.getByTestId("pending-group");
  await expect(group).toHaveCount(1);
  await expect(group.getByTestId("pending-group-title")).toHaveText(
    "7 × Deployment/nginx-deployment: too many pods",
  );
  // Visible without hovering anything.
  await expect(group.getByTestId("pending-group-message")).toBeVisible();
  await expect(group.getByTestId("pending-group-message")).toContainText("Too many pods");
  const before = await page.evaluate(() => window.__eniView?.view?.k ?? 0);
  await group.getByTestId("pending-show-nodes").click();
  // The three full nodes refused them: the view moves onto them.
  await expect.poll(() => page.evaluate(() => window.__eniView?.lastJumpMs ?? null)).not.toBeNull();
  expect(await page.evaluate(() => window.__eniView?.view?.k ?? 0)).not.toBe(before);
});

test("250 replicas: 207 Pending pods scroll virtually, the last one reachable", async ({ page }) => {
  const dash = new DashboardPage(page);
  await scaleNginx(250);
  try {
    await dash.open("#theme=light");
    await expect(dash.pendingCount).toHaveText("207", { timeout: 60_000 });
    await expect(page.getByTestId("pending-group-title").first()).toHaveText(
      "207 × Deployment/nginx-deployment: too many pods",
    );
    const list = page.getByTestId("pending-virtual");
    await expect(list).toBeVisible();
    // Only a screenful of rows is in the page.
    expect(await dash.pendingItems.count()).toBeLessThan(100);
    const last = (await dash.topology()).pending
      .map((p) => `${p.namespace}/${p.name}`)
      .sort()
      .at(-1)!;
    await list.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
      el.dispatchEvent(new Event("scroll"));
    });
    await expect(page.getByTestId("pending-tray").getByText(last)).toBeVisible();
  } finally {
    await scaleNginx(50);
  }
  await expect(dash.pendingCount).toHaveText("7", { timeout: 60_000 });
});
