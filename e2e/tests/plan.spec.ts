// Planning the scale lab before doing it, as an SRE would: `eni-view serve --source sim` on the scale lab
// (3 × t3.medium, nginx at 2 replicas); the Plan panel scales nginx to 50, the map then shows the planned
// cluster, labelled as a plan, with the new pods outlined and 7 pods newly Pending; "before" shows the
// cluster as it is; the copied link reopens the same plan in a fresh browser, and so does a Freeze of it.
import { readFile } from "node:fs/promises";
import type { PlanReply } from "@eni-view/model";
import { expect, type Page, test } from "@playwright/test";
import { DashboardPage } from "../pages/DashboardPage.ts";
import { type CliServer, startCli } from "../support/cliServer.ts";

let server: CliServer;

test.beforeAll(async () => {
  server = await startCli(["--source", "sim", "--scenario", "scale-lab"]);
});

test.afterAll(async () => {
  await server?.stop();
});

/** Whether a pixel within 14 px left of the pod's cell centre wears the plan's "new" colour (the
 * outline round a cell the plan adds), as the panel's key shows it. */
async function outlinedNew(page: Page, pod: string): Promise<boolean> {
  const key = await page
    .getByTestId("plan-marks")
    .locator(".plan-key-new")
    .first()
    .evaluate((el) => getComputedStyle(el).borderTopColor);
  const want = (/rgb\((\d+), (\d+), (\d+)\)/.exec(key) ?? []).slice(1).map(Number);
  return page.evaluate(
    ([target, rgb]) => {
      const at = window.__eniView?.locate?.(target as string);
      const c = document.querySelector<HTMLCanvasElement>('[data-testid="cluster-canvas"]');
      if (!at || !c) return false;
      const r = c.getBoundingClientRect();
      const dpr = c.width / r.width;
      const row = c
        .getContext("2d")!
        .getImageData(
          Math.floor((at.x - 14 - r.left) * dpr),
          Math.floor((at.y - r.top) * dpr),
          14 * dpr,
          1,
        ).data;
      const [wr, wg, wb] = rgb as number[];
      for (let i = 0; i < row.length; i += 4)
        if (
          Math.abs(row[i]! - wr!) <= 12 &&
          Math.abs(row[i + 1]! - wg!) <= 12 &&
          Math.abs(row[i + 2]! - wb!) <= 12
        )
          return true;
      return false;
    },
    [pod, want] as const,
  );
}

test("plan nginx at 50 in the panel, see what it marks, and reopen the plan from its link", async ({
  browser,
}) => {
  const context = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  const page = await context.newPage();
  const dash = new DashboardPage(page, server.url);
  await dash.open();
  // The lab as it starts: nginx's 2 pods running with their IPs, nothing Pending (a machine under load
  // may still be starting them), so the plan and this test see the same cluster.
  let live = await dash.topology();
  await expect
    .poll(async () => {
      live = await dash.topology();
      return (
        live.pods.filter((p) => p.owner === "Deployment/nginx-deployment").length + live.pending.length * 100
      );
    })
    .toBe(2);
  const livePods = new Set(live.pods.map((p) => `${p.namespace}/${p.name}`));

  await page.getByTestId("tab-plan").click();
  await page.getByTestId("plan-workload").selectOption("default/nginx-deployment");
  await page.getByTestId("plan-replicas").fill("50");
  await page.getByTestId("plan-add-scale").click();
  await expect(page.getByTestId("plan-parts")).toContainText("scale default/nginx-deployment=50");
  // The plan the page draws, as it comes to the page: what it changes in the live topology the page holds.
  const asked: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/api/plan?")) asked.push(r.url());
  });
  const answered = page.waitForResponse((r) => r.url().includes("/api/plan?") && r.ok());
  await page.getByTestId("plan-go").click();
  const reply = (await (await answered).json()) as PlanReply;

  // Labelled a plan the whole time: loading as loading, then the planned cluster.
  const result = page.getByTestId("plan-result");
  await expect(result).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("plan-label")).toHaveText(/PLAN · not the live cluster/);
  await expect(page.getByTestId("plan-banner")).toHaveText(/PLANNED cluster, not the live one/);
  await expect(page.getByTestId("plan-marks")).toContainText("7 pods newly Pending");
  await expect(page.getByTestId("plan-first-limit")).not.toBeEmpty();
  // Each node's third ENI: created with its IPs, then attached (IPAMD's two calls per ENI).
  await expect(page.getByTestId("plan-ec2")).toContainText("CreateNetworkInterface");
  await expect(page.getByTestId("plan-ec2")).toContainText("AttachNetworkInterface");
  await expect(page.getByTestId("plan-subnets")).toContainText("192.168.1.0/24");
  await expect(dash.pendingCount).toHaveText("7");

  // The map draws the planned pods, the new ones outlined.
  await dash.waitDrawn();
  // Sent as the delta against the page's live topology, which the page applied (no whole copy asked).
  expect(reply.report).toBeUndefined();
  expect(asked.every((u) => u.includes("report=delta"))).toBe(true);
  const newPod = (reply.delta?.pods?.upsert ?? [])
    .map((p) => `${p.namespace}/${p.name}`)
    .find((k) => k.startsWith("default/nginx-deployment") && !livePods.has(k))!;
  expect(newPod).toBeTruthy();
  await expect.poll(() => outlinedNew(page, newPod)).toBe(true);
  // The subnet bars are the planned ones, and an export says it is a plan.
  const subnet = (reply.delta?.subnets?.upsert ?? []).find((s) => s.cidr === "192.168.1.0/24");
  expect(subnet).toBeTruthy();
  await expect(page.getByTestId("subnets").locator(".subnet", { hasText: "192.168.1.0/24" })).toContainText(
    `${subnet?.availableIps} free`,
  );
  const svg = await readFile((await (await dash.download("export-svg")).path())!, "utf8");
  expect(svg).toContain("PLAN (not live), after: scale=default/nginx-deployment=50");

  // Before: the cluster as it is, nothing outlined (the plan replaces no node here).
  await page.getByTestId("plan-view-before").click();
  await expect(page.getByTestId("plan-banner")).toHaveText(/cluster as it is/);
  await expect(dash.pendingCount).toHaveText(String(live.pending.length));
  const oldPod = [...livePods].find((k) => k.startsWith("default/nginx-deployment"))!;
  await expect.poll(() => outlinedNew(page, oldPod)).toBe(false);
  await page.getByTestId("plan-view-after").click();

  await page.getByTestId("copy-link").click();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toContain("plan=");
  // A Freeze of the plan keeps it for a review, whatever the cluster does next.
  await page.getByTestId("freeze").click();
  const frozenLink = await page.getByTestId("freeze-link").inputValue();
  expect(frozenLink).toMatch(/\?snapshot=[A-Za-z0-9_-]{22}#.*plan=/);
  await context.close();

  const fresh = await browser.newContext();
  const page2 = await fresh.newPage();
  const dash2 = new DashboardPage(page2, server.url);
  await page2.goto(link);
  await dash2.waitDrawn();
  await expect(page2.getByTestId("plan-result")).toBeVisible({ timeout: 30_000 });
  await expect(page2.getByTestId("plan-banner")).toHaveText(/PLANNED cluster/);
  await expect(page2.getByTestId("plan-marks")).toContainText("7 pods newly Pending");
  await expect(page2.getByTestId("plan-parts")).toContainText("scale default/nginx-deployment=50");

  await page2.goto(frozenLink);
  await dash2.waitDrawn();
  await expect(page2.getByTestId("plan-label")).toHaveText(/FROZEN PLAN · not the live cluster/);
  await expect(page2.getByTestId("plan-marks")).toContainText("7 pods newly Pending");
  await expect(dash2.pendingCount).toHaveText("7");
  await fresh.close();
});
