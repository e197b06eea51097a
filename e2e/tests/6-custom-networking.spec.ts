// Custom networking as the dashboard shows it: the real `eni-view serve --source sim` on the
// custom-networking lab (ENIConfig per AZ, CNINode per node); a node's side panel names its ENIConfig,
// that ENIConfig's subnet and the node's CNINode features, as text.
import type { Topology } from "@eni-view/model";
import { expect, test } from "@playwright/test";
import { DashboardPage } from "../pages/DashboardPage.ts";
import { type CliServer, startCli } from "../support/cliServer.ts";

let server: CliServer;

test.beforeAll(async () => {
  server = await startCli(["--source", "sim", "--scenario", "custom-networking-lab"]);
});

test.afterAll(async () => {
  await server?.stop();
});

test("a node's panel shows its ENIConfig (name and subnet) and its CNINode features", async ({ page }) => {
  let topo: Topology | null = null;
  await expect(async () => {
    const res = await page.request.get(`${server.url}/api/topology`);
    topo = (await res.json()) as Topology;
    expect(topo.nodes.length).toBe(3);
    expect(topo.nodes.every((n) => n.eniConfig?.found && n.cniFeatures.length > 0)).toBe(true);
  }).toPass({ timeout: 30_000 });
  const node = topo!.nodes[0]!;

  const dash = new DashboardPage(page, server.url);
  await dash.open();
  await dash.clickNode(node.name);
  const panel = dash.nodePanel;
  await expect(panel.getByRole("heading", { level: 2 })).toHaveText(node.name);
  const figures = panel.getByTestId("capacity");
  await expect(figures).toContainText("ENIConfig");
  await expect(figures).toContainText(`${node.zone} · ${node.eniConfig!.subnetId}`);
  await expect(figures).toContainText("CNINode features");
  await expect(figures).toContainText("CustomNetworking");
});
