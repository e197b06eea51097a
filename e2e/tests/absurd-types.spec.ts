// Instance types no EC2 offers, from a capture folder anyone can edit (issue 18, point 8): one claiming
// 100,000 ENIs of 100,000 addresses, one named nowhere, one whose name is markup with a bidi override. The
// page draws every node (nothing blank, no canvas error), says in words what it refused and what it does
// not know, and shows no number made from the claims: the ENI limit is "?" where it is unknown.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Topology } from "@eni-view/model";
import { expect, test } from "@playwright/test";
import { DashboardPage } from "../pages/DashboardPage.ts";
import { absurd, writeAbsurdTypesCapture } from "../support/absurdTypesCapture.ts";
import { type CliServer, startCli } from "../support/cliServer.ts";

const dir = mkdtempSync(join(tmpdir(), "eni-view-e2e-absurd-"));
let server: CliServer;
let nodes: string[];

test.beforeAll(async () => {
  ({ nodes } = writeAbsurdTypesCapture(join(dir, "capture")));
  server = await startCli(["--dump", join(dir, "capture"), "--no-snapshots"]);
});
test.afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("absurd, unknown and hostile instance types: every node drawn, the claims refused in words, no number made from them", async ({
  page,
}) => {
  const errors: string[] = [];
  page.on("pageerror", (err) => errors.push(err.message));
  // Script errors and the canvas's own ("drawImage … width or height of 0"); a resource the page asks
  // for and the capture server lacks (404) is not one.
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text());
  });
  const dash = new DashboardPage(page, server.url);
  await dash.open();
  const topo = (await (await fetch(`${server.url}/api/topology`)).json()) as Topology;
  expect(topo.nodes).toHaveLength(3);

  // The warnings say what was refused and what is unknown, the hostile name as text.
  await expect(page.getByTestId("report-warnings-count")).toHaveText(String(topo.warnings.length));
  const banner = page.getByTestId("report-warnings");
  await banner.locator("summary").click();
  await expect(banner).toContainText(
    `instance type ${absurd.huge} claims 100,000 ENIs of 100,000 IPv4 addresses each`,
  );
  await expect(banner).toContainText("its capacity is left unknown");
  await expect(banner).toContainText(`instance type ${absurd.unknown} is not in the built-in table`);
  // The bidi override is shown as its escape, so it cannot reverse the rest of the warning.
  await expect(banner).toContainText(
    `instance type ${absurd.hostile.replace("\u202e", "\\u202e")} is not in`,
  );
  expect(await banner.textContent()).not.toContain("\u202e");
  await expect(page.locator("img[src=x]")).toHaveCount(0);

  // No total made from the claim: the cluster's ENI limit is unknown, never 100,000 nor a clamped guess.
  await expect(dash.stat("enis")).toHaveText(`${topo.summary.enisAttached} / ?`);
  expect(topo.summary.enisPossible).toBe(0);
  expect(topo.summary.nodesCapacityUnknown).toBe(3);

  // Each node is drawn and its panel says the limit is unknown, with the ENIs it has.
  for (const [i, name] of nodes.entries()) {
    const node = topo.nodes.find((n) => n.name === name)!;
    expect(node.capacity.known, name).toBe(false);
    expect(node.maxPodsByEni).toBeNull();
    await dash.clickNode(name);
    await expect(dash.nodePanel).toContainText(name);
    await expect(dash.nodePanel.getByTestId("capacity")).toContainText(`${node.enis.length}/?`);
    if (i === 0) await expect(dash.nodePanel).not.toContainText("100,000");
    await page.keyboard.press("Escape");
  }
  await page.mouse.move(1, 1);
  await dash.waitDrawn();
  await page.screenshot({ path: test.info().outputPath("absurd-types.png") });
  expect(errors, errors.join("\n")).toEqual([]);
});
