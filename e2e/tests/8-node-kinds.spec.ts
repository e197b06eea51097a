// Real clusters' kinds of node on the page, from the capture folders built from AWS's documented field shapes
// (apps/server/src/sources/dump/fixtures: node-kinds, ipv6, inconsistent, mixed-cluster), each served by the real
// `eni-view serve --dump`. Every report warning is on the page; a capture says it is one; a node without EC2
// data says "ENIs unknown" and still shows its pods. One screenshot per capture, for a person to look at.
import { readFile } from "node:fs/promises";
import { eniTotal, nodeEniText, type Topology } from "@eni-view/model";
import { expect, test } from "@playwright/test";
import { DashboardPage } from "../pages/DashboardPage.ts";
import { type CliServer, startCli } from "../support/cliServer.ts";
import { repoRoot } from "../support/system.ts";

const fixture = (name: string) => `${repoRoot}apps/server/src/sources/dump/fixtures/${name}`;

async function serving(
  name: string,
  run: (server: CliServer, topo: Topology) => Promise<void>,
  store = ["--no-snapshots"],
) {
  const server = await startCli(["--dump", fixture(name), ...store]);
  try {
    const res = await fetch(`${server.url}/api/topology`);
    await run(server, (await res.json()) as Topology);
  } finally {
    await server.stop();
  }
}

test("node kinds: warnings banner, capture label, ENIs unknown, and a screenshot", async ({ page }) => {
  await serving("node-kinds", async (server, topo) => {
    const dash = new DashboardPage(page, server.url);
    await dash.open();
    await expect(page.getByTestId("live-state")).toHaveText(
      /^capture · taken \d{4}-\d\d-\d\d \d\d:\d\d UTC$/,
    );
    await expect(page.getByTestId("live-state")).not.toHaveText(/live/);

    const banner = page.getByTestId("report-warnings");
    await expect(page.getByTestId("report-warnings-count")).toHaveText(String(topo.warnings.length));
    await banner.locator("summary").click();
    await expect(page.getByTestId("report-warning")).toHaveCount(topo.warnings.length);
    await expect(banner).toContainText("batch-3c2b1a0f9-zz on ip-192-168-3-98");

    // The Fargate node whose ENI the capture lacks: ENIs unknown, its pod listed.
    const lost = topo.nodes.find((n) => n.kind === "fargate" && !n.enisKnown)!;
    await dash.clickNode(lost.name);
    await expect(dash.nodePanel.getByTestId("panel-off-eni")).toContainText("ENIs unknown");
    await expect(dash.nodePanel.getByTestId("panel-off-eni")).toContainText(lost.podsOffEni[0]!);
    await expect(dash.nodePanel).not.toContainText("not attached");

    // The EFA node: 1 of 2 ENIs on card 0, the other cards apart.
    const efa = topo.nodes.find((n) => n.instanceType === "p5.48xlarge")!;
    await dash.clickNode(efa.name);
    await expect(dash.nodePanel.getByTestId("capacity")).toContainText("1/2 +31 other cards");
    await page.keyboard.press("Escape");
    await page.mouse.move(1, 1);
    await dash.waitDrawn();

    // The SVG export says what the page says: a capture with its time, the kinds, ENIs unknown, the EFA
    // interfaces apart, the branch ENIs, the warnings' count.
    const svg = await readFile((await (await dash.download("export-svg")).path())!, "utf8");
    expect(svg).toMatch(/capture taken \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    // 7 of 10+?: the Fargate node whose ENI is unknown is in neither number.
    expect(svg).toContain(`ENIs ${topo.summary.enisAttached}/${eniTotal(topo.summary)} `);
    expect(svg).toContain(`${topo.warnings.length} warning`);
    for (const words of [
      "ENIs unknown",
      "31 efa-only interfaces",
      "└ branch",
      "Fargate",
      "EKS Auto Mode",
      "Windows",
      "pod CIDR 10.86.1.0/24",
    ])
      expect(svg).toContain(words);
    // Kept with the test's results; e2e/screenshots/node-kinds.png (the README's) is a copy of one such run.
    await page.screenshot({ path: test.info().outputPath("node-kinds.png") });
  });
});

test("IPv6: each node's /80 as prefix capacity, not an empty board", async ({ page }) => {
  await serving("ipv6", async (server, topo) => {
    const dash = new DashboardPage(page, server.url);
    await dash.open();
    const node = topo.nodes[0]!;
    await dash.clickNode(node.name);
    const panel = dash.nodePanel;
    await expect(panel).toContainText("IPv6");
    await expect(panel).toContainText("2600:1f14:abc:1201:7a2b::/80");
    await expect(panel).toContainText("2600:1f14:abc:1201:7a2b::1");
    await page.keyboard.press("Escape");
    await page.mouse.move(1, 1);
    await dash.waitDrawn();
    await page.screenshot({ path: test.info().outputPath("ipv6.png") });
  });
});

test("a capture read mid-change: each inconsistency's warning is on the page", async ({ page }) => {
  await serving("inconsistent", async (server, topo) => {
    const dash = new DashboardPage(page, server.url);
    await dash.open();
    await page.getByTestId("report-warnings").locator("summary").click();
    const list = page.getByTestId("report-warnings-list");
    await expect(list).toContainText("pod(s) on node(s) not in the node list");
    await expect(list).toContainText("CNI ENI(s) attached to an instance that is in neither");
    await expect(list).toContainText("instance(s) with the VPC CNI's ENIs but no node");
    await expect(list).toContainText("pod IP(s) found on no ENI: default/web-7f6e5d4c3-ghost");
    // The node the ghost pod is on is named, and its box's panel says it too.
    const home = topo.nodes.find((n) => n.podsOffEni.length > 0)!;
    await page.locator(`[data-testid="report-warning-node"][data-node="${home.name}"]`).click();
    await expect(dash.nodePanel.getByTestId("panel-warning")).toContainText("web-7f6e5d4c3-ghost");
  });
});

test("a mixed cluster: each node's ENIs as the report counts them, the capture's timeline never live", async ({
  page,
}) => {
  // With a snapshot file the page has its timeline: its latest moment is the capture's.
  const store = ["--snapshot-db", test.info().outputPath("snapshots.db")];
  await serving(
    "mixed-cluster",
    async (server, topo) => {
      const dash = new DashboardPage(page, server.url);
      await dash.open();
      await expect(page.getByTestId("timeline-when")).toHaveText("the capture");
      await expect(page.getByTestId("report-warnings-count")).toHaveText(String(topo.warnings.length));
      // The Table tab says each node's ENIs as the report does: the p5's EFA-only interfaces apart, not "33/2".
      await page.getByRole("button", { name: "Table", exact: true }).click();
      await expect(page.getByTestId("table-node")).toHaveCount(topo.nodes.length);
      const enis = await page
        .getByTestId("table-node")
        .evaluateAll((rows) =>
          rows.map(
            (r) =>
              [
                r.getAttribute("data-node") ?? "",
                r.querySelector('[data-testid="table-enis"]')?.textContent ?? "",
              ] as const,
          ),
        );
      expect(new Map(enis)).toEqual(new Map(topo.nodes.map((n) => [n.name, nodeEniText(n)])));
      expect(enis.map(([, e]) => e)).toContain("2/2 +31 other cards");
    },
    store,
  );
});
