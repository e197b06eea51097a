// The subnet view: every address of each subnet the cluster uses, coloured by holder. On the scale lab
// (the shared simulator) a pod's address names its pod and opens its node; a search for its IP opens its
// subnet with that address lit. On the fragmented lab (prefix delegation, a subnet with free addresses
// but no free /28, AWS services' ENIs, a prefix CIDR reservation) the view says "no free /28".
import type { PodReport, Topology } from "@eni-view/model";
import { expect, type Page, test } from "@playwright/test";
import { DashboardPage } from "../pages/DashboardPage.ts";
import { type CliServer, startCli } from "../support/cliServer.ts";

async function openSubnets(page: Page, base?: string): Promise<DashboardPage> {
  const dash = new DashboardPage(page, base);
  await dash.open();
  await page.getByTestId("tab-subnets").click();
  await expect(page.getByTestId("subnet-view")).toBeVisible();
  return dash;
}

async function addressPoint(page: Page, ip: string): Promise<{ x: number; y: number }> {
  const pos = await page.evaluate((a) => window.__eniView?.locateAddress?.(a) ?? null, ip);
  if (!pos) throw new Error(`${ip} is not drawn in the subnet view`);
  return pos;
}

test("scale lab: each node subnet drawn, a pod's address names its pod and opens its node; a search lights it", async ({
  page,
}) => {
  const dash = await openSubnets(page);
  const topo = await dash.topology();
  for (const cidr of ["192.168.1.0/24", "192.168.2.0/24", "192.168.3.0/24"])
    await expect(page.getByTestId(`subnet-${cidr}`)).toBeVisible();
  await expect(page.getByTestId("subnet-zones")).toContainText("free /28");
  const pod = topo.pods.find((p) => p.name.startsWith("nginx-deployment")) as PodReport;
  const subnet = topo.subnets.find(
    (s) => s.used && pod.ip.startsWith(s.cidr.split(".").slice(0, 3).join(".")),
  );
  expect(subnet).toBeDefined();
  await page.getByTestId(`subnet-${subnet!.cidr}`).click();
  await expect(page.getByTestId("fig-free")).toContainText("of 251");
  await page.waitForFunction(() => window.__eniView?.subnetAddresses === 256);

  const at = await addressPoint(page, pod.ip);
  await page.mouse.move(at.x - 1, at.y - 1);
  await page.mouse.move(at.x, at.y);
  const tip = page.getByTestId("subnet-tooltip");
  await expect(tip).toContainText(pod.ip);
  await expect(tip).toContainText(`${pod.namespace}/${pod.name}`);
  await page.mouse.click(at.x, at.y);
  await expect(page.getByTestId("subnet-selected")).toContainText(pod.node);
  await expect(dash.nodePanel.getByRole("heading", { level: 2 })).toHaveText(pod.node);
  await page.keyboard.press("Escape");

  // Another subnet first, then a search for the pod's IP: its subnet opens with one address lit.
  const other = topo.subnets.find((s) => s.used && s.id !== subnet!.id)!;
  await page.getByTestId(`subnet-${other.cidr}`).click();
  await dash.searchBox.fill(pod.ip);
  await expect(page.getByTestId(`subnet-${subnet!.cidr}`)).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("subnet-matches")).toHaveText("1 matching the search");
});

test.describe("fragmented lab", () => {
  let server: CliServer;
  test.beforeAll(async () => {
    server = await startCli(["--source", "sim", "--scenario", "fragmented-lab"]);
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  test("says no free /28 where free addresses remain, names the services' ENIs and the reservation", async ({
    page,
  }) => {
    await expect(async () => {
      const t = (await (await page.request.get(`${server.url}/api/topology`)).json()) as Topology;
      expect(t.nodes.some((n) => n.podsWaitingForIp > 0)).toBe(true);
    }).toPass({ timeout: 60_000 });
    await openSubnets(page, server.url);
    await page.getByTestId("subnet-192.168.3.0/24").click();
    await expect(page.getByTestId("fig-blocks")).toContainText("0");
    await expect(page.getByTestId("no-free-28")).toContainText(
      "No free /28: with prefix delegation IPAMD's next prefix here fails with InsufficientCidrBlocks",
    );
    await expect(page.getByTestId("subnet-others")).toContainText("lambda AWS Lambda VPC ENI-orders-worker");
    const lambda = await page.evaluate(() => window.__eniView?.locateAddress?.("192.168.3.8") ?? null);
    expect(lambda).not.toBeNull();
    await page.mouse.move(lambda!.x, lambda!.y);
    await expect(page.getByTestId("subnet-tooltip")).toContainText("other ENI");

    await page.getByTestId("subnet-192.168.1.0/24").click();
    await expect(page.getByTestId("subnet-others")).toContainText(
      "prefix reservation 192.168.1.128/26 “kept for pod prefixes”",
    );
    await expect(page.getByTestId("subnet-others")).toContainText("network_load_balancer ELB net/nginx-nlb");
    await expect(page.getByTestId("no-free-28")).toHaveCount(0);
  });
});
