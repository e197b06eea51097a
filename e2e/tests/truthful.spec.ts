// Nothing false on screen (issue 12, point 2): IPs in IPAMD's cooldown after a scale-down are drawn and
// counted as cooling, not as warm; pods bound to a node while they wait for an IP are "starting", not
// "other"; a namespace has the same colour whatever order the page first draws the pods in.
import { expect, type Page, test } from "@playwright/test";
import { valueColor } from "../../apps/web/src/draw/podColors.ts";
import { expectColor, pixel, settled } from "../pages/canvasPixels.ts";
import { DashboardPage } from "../pages/DashboardPage.ts";
import { scaleNginx } from "../support/cluster.ts";

test("40 -> 28 -> 40: freed IPs show as cooling down, counted apart from warm, and new pods are starting, not other", async ({
  page,
}) => {
  const dash = new DashboardPage(page);
  await scaleNginx(40);
  await dash.open("#theme=light");
  // 40 nginx + 2 CoreDNS fit the 45 pod IPs: nothing waits (48 running with the 6 hostNetwork pods).
  await expect(dash.stat("pods")).toHaveText(/^48 \/ 0$/, { timeout: 45_000 });
  const cooling = async () => Number((await dash.stat("ips").textContent())!.split(" / ")[2]);
  // The simulator runs 10x: IP_COOLDOWN_PERIOD's 30 s are 3 s here, so look while it lasts. On a loaded
  // machine the hover can come after the cooldown: then the scale-down is done again.
  let seen = false;
  for (let attempt = 0; attempt < 3 && !seen; attempt++) {
    if (attempt > 0) {
      await scaleNginx(40);
      await expect(dash.stat("pods")).toHaveText(/^48 \/ 0$/, { timeout: 45_000 });
    }
    // An earlier scale-down may still be cooling: start from none.
    await expect.poll(cooling, { timeout: 20_000 }).toBe(0);
    await scaleNginx(28);
    await expect.poll(cooling, { intervals: [100], timeout: 20_000 }).toBeGreaterThan(0);
    const ip = (await dash.topology()).cooling?.[0]?.ip;
    expect(ip, "the server lists the IPs cooling down").toBeDefined();
    await dash.hover(ip!);
    const text = (await dash.tooltip.textContent()) ?? "";
    if (/warm IP: assigned to the ENI, free/.test(text)) continue;
    expect(text).toContain("cooling down");
    expect(text).toContain("inferred");
    seen = true;
  }
  expect(seen, "a cooling IP's tooltip was read while it cooled").toBe(true);
  await expect.poll(cooling, { timeout: 20_000 }).toBe(0);

  // Back up to 40: pods bound to a node while IPAMD finds them an IP are starting, never "other".
  const reasons = new Set<string>();
  await scaleNginx(40);
  const until = Date.now() + 6000;
  while (Date.now() < until) {
    for (const r of await dash.pendingItems.evaluateAll((els) =>
      els.map((e) => e.getAttribute("data-reason")),
    ))
      reasons.add(r ?? "");
    await page.waitForTimeout(100);
  }
  expect([...reasons]).not.toContain("other");
  await expect(dash.stat("pods")).toHaveText(/^48 \/ 0$/, { timeout: 45_000 });
});

/** The legend's namespace swatches: name -> fill. */
async function legendColours(page: Page): Promise<Record<string, string>> {
  return page.getByTestId("legend").evaluate((legend) => {
    const out: Record<string, string> = {};
    for (const span of legend.querySelectorAll('[data-testid="legend-value"]')) {
      const fill = span.querySelector("rect")?.getAttribute("fill");
      if (fill) out[span.textContent!.trim()] = fill;
    }
    return out;
  });
}

test("namespace colours are the same across page loads that draw the pods in different orders", async ({
  page,
}) => {
  const dash = new DashboardPage(page);
  await scaleNginx(50);
  await dash.open("#theme=light");
  await expect(page.getByTestId("legend")).toContainText("kube-system");
  const first = await legendColours(page);
  expect(Object.keys(first).sort()).toEqual(["default", "kube-system"]);
  expect(first.default).not.toBe(first["kube-system"]);
  // The colour is the page's hash of the name: what any machine, tab or export computes for it.
  for (const [ns, colour] of Object.entries(first)) expect(colour).toBe(valueColor(ns));

  // Another grouping, box order and first colouring: the pods are first drawn in another order.
  await dash.open("#theme=light&group=none&sort=utilisation&color=owner");
  await dash.page.getByTestId("color").selectOption("namespace");
  await expect(page.getByTestId("legend")).toContainText("kube-system");
  expect(await legendColours(page)).toEqual(first);
  const pod = (await dash.topology()).pods.find((p) => p.namespace === "default")!;
  await settled(page);
  const { x, y } = await dash.pointAt(`${pod.namespace}/${pod.name}`);
  expectColor(await pixel(page, x, y), first.default!, 8);
});
