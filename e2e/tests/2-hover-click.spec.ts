import { expect, test } from "@playwright/test";
import { DashboardPage } from "../pages/DashboardPage.ts";

test("hovering a pod's cell names the pod, its IP, ENI and node; clicking a node opens its panel", async ({
  page,
}) => {
  const dash = new DashboardPage(page);
  await dash.open();
  const topo = await dash.topology();
  const pod = topo.pods.find((p) => p.namespace === "default" && p.eni !== null)!;
  const key = `${pod.namespace}/${pod.name}`;

  await dash.hover(key, key);
  await expect(dash.tooltip).toContainText(key);
  await expect(dash.tooltip).toContainText(pod.ip);
  await expect(dash.tooltip).toContainText(pod.eni!);
  await expect(dash.tooltip).toContainText(pod.node);
  await expect(dash.tooltip).toContainText("Running");

  await dash.clickNode(pod.node);
  await expect(dash.nodePanel).toBeVisible();
  await expect(dash.nodePanel.getByRole("heading", { level: 2 })).toHaveText(pod.node);
  // Every IP and its pod: the hovered pod's row is in the panel. The row's name starts with the IP
  // and a space, so 192.168.3.9 does not also match 192.168.3.92.
  await expect(
    dash.nodePanel.getByRole("row", { name: new RegExp(`^${pod.ip.replaceAll(".", "\\.")} `) }),
  ).toContainText(key);
  await expect(dash.nodePanel.getByTestId("capacity")).toContainText("17");
  await expect(page).toHaveURL(/node=/);
});
