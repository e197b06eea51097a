// The page at 100,000 nodes (issue 19.4): the server sends the overview (every node's numbers), the page
// draws it, asks for the nodes in view as it zooms and draws their ENIs and pods, and a pod added on a
// node in view arrives. Against the real server on a synthetic cluster (support/overviewServer.ts): the
// simulator cannot hold 100,000 nodes on a CI machine.
import { expect, test } from "@playwright/test";
import { startOverviewServer } from "../support/overviewServer.ts";

const NODES = 100_000;

test("100,000 nodes: the overview draws, a zoom to a node shows its slots, a pod added in view arrives", async ({
  page,
}) => {
  test.setTimeout(240_000);
  const server = await startOverviewServer(NODES, 8);
  try {
    const whole: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/api/topology")) whole.push(r.url());
    });
    await page.goto(`${server.url}#theme=light`);
    await page.waitForFunction(() => window.__eniView?.firstCompleteAt != null, null, { timeout: 180_000 });
    // Every node counted and drawn from its numbers; the whole topology (100 MB) never asked for.
    await expect(page.getByTestId("app")).toContainText("100k");
    expect(await page.evaluate(() => window.__eniView!.lastFrame?.mode)).toBe("overview");
    expect(whole).toEqual([]);

    // Search goes to the server: the count is the whole cluster's, not the few nodes the page holds.
    await page.getByTestId("search").fill("app=indexer");
    await expect(page.getByTestId("match-summary")).toContainText(/\d{2},\d{3} pods/, { timeout: 60_000 });

    // n on the map: the first node, zoomed to and opened. Its panel says its detail is coming, then
    // lists its ENIs and the pods in their slots, and the map draws those pods' cells.
    await page.getByTestId("search").fill("");
    await page.getByTestId("cluster-canvas").focus();
    await page.keyboard.press("n");
    const panel = page.getByTestId("node-panel");
    await expect(panel.getByTestId("panel-eni").first()).toBeVisible({ timeout: 60_000 });
    const node = await page.evaluate(() => new URLSearchParams(location.hash.slice(1)).get("node") ?? "");
    expect(node).not.toBe("");
    const podInSlot = await panel.locator("tr:not(.warm) td[title]").first().getAttribute("title");
    expect(podInSlot).toBeTruthy();
    await page.waitForFunction((k) => window.__eniView!.locate?.(k) != null, podInSlot!, { timeout: 30_000 });

    // A pod added on that node by the cluster: its slot fills on the map and in the panel.
    const pod = await server.addPod(node);
    await page.waitForFunction((k) => window.__eniView!.locate?.(k) != null, pod, { timeout: 120_000 });
    await expect(panel).toContainText(pod.split("/")[1]!);
    test.info().annotations.push({
      type: "measured",
      description: `${NODES} nodes generated in ${(server.generatedMs / 1000).toFixed(1)} s, served ${(server.readyMs / 1000).toFixed(1)} s after start (${(server.cpuMs / 1000).toFixed(1)} s of CPU)`,
    });
  } finally {
    server.stop();
  }
});
