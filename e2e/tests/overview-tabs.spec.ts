// The Table and Subnets tabs on the overview stream (issue 19.4): the page holds every node's figures and no
// ENI, slot or pod but those it asks for. Against the real server on a synthetic cluster (support/
// overviewServer.ts) with the server's line moved to 1,000 nodes, so 3,000 nodes are made in seconds and
// sent as the overview: the table lists every node with the figures /api/topology has, and the ENIs of
// the rows in view once loaded; the Subnets tab's figures, address grid and search are the whole cluster's.
import type { Topology } from "@eni-view/model";
import { expect, test } from "@playwright/test";
import { expectedRows, tableRows } from "../support/nodeTable.ts";
import { type OverviewServer, startOverviewServer } from "../support/overviewServer.ts";

const NODES = 3000;

const ipNumber = (ip: string) => ip.split(".").reduce((n, o) => n * 256 + Number(o), 0);
const ipText = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");

test.describe("the tabs on the overview stream", () => {
  let server: OverviewServer;
  let topo: Topology;
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    server = await startOverviewServer(NODES, 8, 1000);
    topo = (await (await fetch(`${server.url}/api/topology`)).json()) as Topology;
  });
  test.afterAll(() => server?.stop());

  test("the table lists every node from the overview's figures, and the ENIs of the rows in view", async ({
    page,
  }) => {
    const whole: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/api/topology")) whole.push(r.url());
    });
    await page.goto(`${server.url}#theme=light&tab=table`);
    const table = page.getByTestId("node-table");
    await expect(table.locator("caption")).toContainText("3,000 nodes");
    await expect(table.locator("caption")).toContainText("too large to send whole");
    await page.getByTestId("table-sort-name").click();
    const names = topo.nodes.map((n) => n.name).sort(new Intl.Collator("en", { numeric: true }).compare);

    // The first rows by name: their figures at once (never 0 ENIs for want of detail), then their ENIs.
    const first = await tableRows(page);
    expect(first.length).toBeGreaterThan(5);
    expect(first.length).toBeLessThan(200);
    expect(first.map(({ eniIds: _, ...r }) => r)).toEqual(
      expectedRows(topo, names.slice(0, first.length), false).map(({ eniIds: _, ...r }) => r),
    );
    await expect.poll(() => tableRows(page)).toEqual(expectedRows(topo, names.slice(0, first.length), true));
    // A screen reader hears the whole table's size, and each row's place in it, though the page holds
    // only the rows near the screen: the header is row 1, each node a row and each of its ENIs one.
    const rowCount = 1 + topo.nodes.reduce((sum, n) => sum + 1 + n.enis.length, 0);
    await expect(table.locator("table")).toHaveAttribute("aria-rowcount", String(rowCount));
    const firstNode = topo.nodes.find((n) => n.name === names[0])!;
    const firstRows = table.getByTestId("table-node").first().locator("tr");
    await expect(firstRows.first()).toHaveAttribute("aria-rowindex", "2");
    await expect(firstRows.nth(1)).toHaveAttribute("aria-rowindex", "3");
    await expect(table.getByTestId("table-node").nth(1).locator("tr").first()).toHaveAttribute(
      "aria-rowindex",
      String(3 + firstNode.enis.length),
    );

    // The last node is listed too: scrolled to, its row and ENIs come.
    await table.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await expect
      .poll(async () => (await tableRows(page)).at(-1))
      .toEqual(expectedRows(topo, [names.at(-1)!], true)[0]);
    await expect(table.locator("tbody[data-testid=table-node] tr").last()).toHaveAttribute(
      "aria-rowindex",
      String(rowCount),
    );
    expect(whole, "the whole topology is never asked for").toEqual([]);
  });

  test("the Subnets tab: the server's figures, its address grid and the search's lit addresses", async ({
    page,
  }) => {
    await page.goto(`${server.url}#theme=light&tab=subnets`);
    const subnet = topo.subnets
      .filter((s) => s.used && s.space)
      .sort((a, b) => (a.zone ?? "").localeCompare(b.zone ?? ""))[0]!;
    await expect(page.getByTestId(`subnet-${subnet.cidr}`)).toHaveAttribute("aria-pressed", "true");
    await expect(page.getByTestId("subnet-grid-status")).toContainText("Addresses as of");
    await page.waitForFunction(
      (cidr) => window.__eniView?.subnetAddresses === 2 ** (32 - Number(cidr.split("/")[1])),
      subnet.cidr,
    );
    await expect(page.getByTestId("fig-others")).toHaveText(`held by others${subnet.space!.otherIps}`);

    // Each address says its holder as the whole topology has it, though the page holds no ENI or pod of
    // this cluster: a pod's names the pod, a node's primary, a warm IP, and an address past them is free.
    // Pointed at again until it says so, as a user moves the mouse: a live update can redraw the grid
    // under a pointer that has stopped, and a redraw does not move the pointer.
    const hover = async (ip: string, says: string) => {
      await expect(async () => {
        const at = await page.evaluate((a) => window.__eniView?.locateAddress?.(a) ?? null, ip);
        expect(at, ip).not.toBeNull();
        await page.mouse.move(at!.x - 1, at!.y - 1);
        await page.mouse.move(at!.x, at!.y);
        await expect(page.getByTestId("subnet-tooltip")).toContainText(says, { timeout: 2_000 });
      }).toPass({ timeout: 20_000 });
    };
    const pod = topo.pods.find((p) => {
      const n = topo.nodes.find((x) => x.name === p.node)!;
      return n.enis.some((e) => e.id === p.eni && e.subnetId === subnet.id);
    })!;
    await hover(pod.ip, `${pod.namespace}/${pod.name}`);
    const enis = topo.nodes.flatMap((n) => n.enis).filter((e) => e.subnetId === subnet.id);
    await hover(enis[1]!.primaryIp!, "node / ENI primary");
    await hover(enis[1]!.slots.find((x) => x.pod === null)!.ip, "warm IP");
    const lastUsed = Math.max(...enis.flatMap((e) => e.slots.map((x) => ipNumber(x.ip))));
    await hover(ipText(lastUsed + 1), "free");

    // A search lights, of this subnet, every address the whole cluster's answer holds: here a node's (the
    // page holds none of its pods or ENIs on this tab).
    const node = topo.nodes.find((n) => n.name === pod.node)!;
    const held = node.enis
      .filter((e) => e.subnetId === subnet.id)
      .reduce((sum, e) => sum + 1 + e.slots.length, 0);
    await page.getByTestId("search").fill(`node=${node.name}`);
    await expect(page.getByTestId("subnet-matches")).toHaveText(`${held} matching the search`);
    await page.getByTestId("search").fill(`${pod.namespace}/${pod.name}`);
    await expect(page.getByTestId("subnet-matches")).toHaveText("1 matching the search");
  });
});
