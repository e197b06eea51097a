// The scale test lab (domain page, section 0 and 3): 3 t3.medium nodes, nginx-deployment scaled with kubectl
// 2 -> 30 -> 50. At 30 every node has its 3rd ENI (9 attached of 9 possible); at 50 each node holds 15 IP pods,
// 2 CoreDNS pods take 2 of the 45 slots, so 43 nginx pods run and 7 wait in Pending with "Too many pods".
import { expect, test } from "@playwright/test";
import { DashboardPage } from "../pages/DashboardPage.ts";
import { scaleNginx } from "../support/cluster.ts";

test("scaling nginx-deployment 2 -> 30 -> 50 shows the third ENIs attach and 7 pods Pending", async ({
  page,
}) => {
  const dash = new DashboardPage(page);
  await scaleNginx(2);
  await dash.open();
  await expect(dash.stat("nodes")).toHaveText("3");
  // 2 nginx + 2 CoreDNS spread over 3 nodes: no node needs its 3rd ENI yet.
  await expect(dash.stat("enis")).not.toHaveText("9 / 9");
  await expect(dash.pendingCount).toHaveText("0");

  // Zoom in: live updates must not reset it.
  await dash.canvas.focus();
  await page.keyboard.press("+");
  const zoomed = await page.evaluate(() => window.__eniView?.view);

  await scaleNginx(30);
  await expect(dash.stat("enis")).toHaveText("9 / 9", { timeout: 45_000 });
  expect(await page.evaluate(() => window.__eniView?.updates)).toBeGreaterThan(0);
  expect(await page.evaluate(() => window.__eniView?.view)).toEqual(zoomed);
  const t30 = await dash.topology();
  for (const n of t30.nodes) {
    expect(n.enis.map((e) => e.deviceIndex).sort()).toEqual([0, 1, 2]);
    expect(n.eniSlotsFree).toBe(0);
  }
  // The new rows are on screen: the node panel lists the three ENIs of a node.
  const node = t30.nodes[0]!.name;
  await dash.clickNode(node);
  await expect(dash.nodePanel.getByTestId("panel-eni")).toHaveCount(3);
  await page.keyboard.press("Escape");

  await scaleNginx(50);
  await expect(dash.pendingCount).toHaveText("7", { timeout: 45_000 });
  await expect(dash.pendingItems).toHaveCount(7);
  for (const reason of await dash.pendingItems.evaluateAll((els) =>
    els.map((e) => e.getAttribute("data-reason")),
  ))
    expect(reason).toBe("too-many-pods");
  await expect(dash.stat("pods")).toContainText("/ 7");

  // The scheduler's own words show on hover.
  await dash.pendingItems.first().hover();
  await expect(dash.pendingItems.first().getByTestId("pending-message")).toContainText(
    "0/3 nodes are available: 3 Too many pods.",
  );
});
