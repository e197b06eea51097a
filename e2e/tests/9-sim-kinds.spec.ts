// The kinds of node the simulator can run, each drawn once from a live simulator (issue 11: "the e2e suite
// screenshots each kind once"): EFA on a multi-card p4d.24xlarge, Fargate, Windows and IPv6. One server on
// the simulator for all of them: the admin endpoint's reset switches the scenario, as lab mode's button does.
// For each kind the box's own words (from the SVG export, which draws the boxes as the canvas does) and the
// node panel say its capacity by that kind's rules; one screenshot of the box, for a person to look at.
import { readFile } from "node:fs/promises";
import type { NodeReport, Topology } from "@eni-view/model";
import { expect, type Page, test } from "@playwright/test";
import { DashboardPage } from "../pages/DashboardPage.ts";
import { type CliServer, startCli } from "../support/cliServer.ts";

let server: CliServer;
let adminUrl = "";
test.describe.configure({ mode: "serial" });
test.beforeAll(async () => {
  server = await startCli(["--source", "sim", "--scenario", "efa-lab"]);
  const lab = (await (await fetch(`${server.url}/api/lab`)).json()) as { simulator: { adminUrl: string } };
  adminUrl = lab.simulator.adminUrl;
});
test.afterAll(async () => {
  await server?.stop();
});

/** Switches the simulator to the scenario (POST /reset, as lab mode's button) and waits until the server
 * serves what `ready` expects of it; returns that topology. */
async function serve(page: Page, scenario: string, ready: (t: Topology) => boolean): Promise<Topology> {
  const res = await fetch(`${adminUrl}/reset`, { method: "POST", body: JSON.stringify({ scenario }) });
  expect(res.ok).toBe(true);
  let topo: Topology | null = null;
  await expect(async () => {
    topo = (await (await page.request.get(`${server.url}/api/topology`)).json()) as Topology;
    expect(ready(topo)).toBe(true);
  }).toPass({ timeout: 60_000 });
  return topo!;
}

/** The box's words in the SVG export, its panel's capacity, and a screenshot of the box alone. */
async function drawn(page: Page, node: NodeReport, name: string): Promise<{ svg: string; capacity: string }> {
  const dash = new DashboardPage(page, server.url);
  await dash.open();
  await dash.clickNode(node.name);
  const capacity = (await dash.nodePanel.getByTestId("capacity").textContent()) ?? "";
  await page.keyboard.press("Escape");
  await page.mouse.move(1, 1);
  await dash.waitDrawn();
  const svg = await readFile((await (await dash.download("export-svg")).path())!, "utf8");
  await page.screenshot({
    path: test.info().outputPath(`${name}.png`),
    clip: await boxOnScreen(page, node.name),
  });
  return { svg, capacity };
}

/** The box on screen, clipped to the viewport. */
async function boxOnScreen(
  page: Page,
  name: string,
): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = await page.evaluate((n) => window.__eniView?.locateBox?.(n) ?? null, name);
  expect(box, `${name} is not drawn`).not.toBeNull();
  const view = page.viewportSize()!;
  const x = Math.max(0, box!.x);
  const y = Math.max(0, box!.y);
  return {
    x,
    y,
    width: Math.min(box!.x + box!.width, view.width) - x,
    height: Math.min(box!.y + box!.height, view.height) - y,
  };
}

const zone = (n: NodeReport) => /-(\d+[a-z])$/.exec(n.zone ?? "")?.[1];

/** The ENI row captions the SVG export draws in the box whose header line starts with `header` (the line is
 * cut to the box's width with "…"): the texts after it, up to the next box's name. */
function svgBoxCaptions(svg: string, header: string): string[] {
  const texts = [...svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
  const at = texts.findIndex((x) => x.startsWith(header));
  expect(at, `no box header "${header}" in the SVG export`).toBeGreaterThanOrEqual(0);
  const rest = texts.slice(at + 1);
  const end = rest.findIndex((x) => x.startsWith("ip-"));
  return rest.slice(0, end < 0 ? undefined : end).filter((x) => /^eth\d/.test(x));
}

test("EFA: card 0's ENIs counted, the EFA interfaces of cards 1-3 drawn apart", async ({ page }) => {
  // A p4d.24xlarge's box is tall (15 ENIs of 50 addresses, then the EFA interfaces): a tall window fits it
  // to the screen with its words legible.
  await page.setViewportSize({ width: 1000, height: 2200 });
  const topo = await serve(
    page,
    "efa-lab",
    (t) => t.nodes.length === 1 && t.nodes[0]!.enis.filter((e) => !e.onDefaultCard).length === 3,
  );
  const node = topo.nodes[0]!;
  const { svg, capacity } = await drawn(page, node, "kind-efa");
  // p4d.24xlarge: 15 ENIs on card 0 (max pods 15 x (50 - 1) + 2 = 737), the 3 EFA interfaces never among them.
  const onCard0 = node.enis.filter((e) => e.onDefaultCard).length;
  expect(capacity).toContain(`${onCard0}/15 +3 other cards`);
  expect(svg).toContain(`p4d.24xlarge · ${zone(node)} · ${node.pods}/737 pods`);
  for (const card of [1, 2, 3]) expect(svg).toContain(`eth1 card${card} eni-`);
});

test("Fargate: one pod on its own ENI, no ENI slots", async ({ page }) => {
  const topo = await serve(
    page,
    "fargate-lab",
    (t) => t.nodes.filter((n) => n.kind === "fargate" && n.pods === 1 && n.enisKnown).length === 2,
  );
  const node = topo.nodes.find((n) => n.kind === "fargate")!;
  const { svg, capacity } = await drawn(page, node, "kind-fargate");
  expect(capacity).toContain("1/1");
  expect(svg).toContain(`Fargate · ${zone(node)} · 1/1 pods`);
});

test("Windows: the primary ENI's secondary IPs only, 10 - 1 = 9 pods on an m5.large", async ({ page }) => {
  const topo = await serve(
    page,
    "windows-lab",
    (t) => t.nodes.filter((n) => n.kind === "windows" && n.pods > 0 && n.ipsUsed === n.pods).length === 2,
  );
  const node = topo.nodes.find((n) => n.kind === "windows")!;
  const { svg, capacity } = await drawn(page, node, "kind-windows");
  // One ENI of one, 9 pods by ENI; its pool is the IIS pods' addresses + 3 warm.
  expect(capacity).toContain("1/1");
  expect(node.maxPodsByEni).toBe(9);
  expect(node.ipsWarm).toBe(3);
  // The box: its header says Windows and 9 max pods; one ENI row, the primary, and no row for the m5.large's
  // other two ENI slots, which Windows never uses.
  const captions = svgBoxCaptions(svg, `m5.large Windows · ${zone(node)} · ${node.pods}/9`);
  expect(captions).toEqual([expect.stringMatching(new RegExp(`^eth0 ${node.enis[0]!.id.slice(0, 8)}`))]);
});

test("IPv6: each node's /80 as prefix capacity, not an empty board", async ({ page }) => {
  const topo = await serve(
    page,
    "ipv6-lab",
    // Settled too: right after the reset the server may still hold the last scenario's pods on nodes of
    // the same names, with IPv4 addresses on none of the new ENIs, until their deletions arrive.
    (t) =>
      t.nodes.length === 2 &&
      t.nodes.every(
        (n) => n.ipFamily === "ipv6" && n.enis[0]?.prefixes.length === 1 && n.podsOffEni.length === 0,
      ),
  );
  const node = topo.nodes.find((n) => n.ipsUsed > 0) ?? topo.nodes[0]!;
  const { svg, capacity } = await drawn(page, node, "kind-ipv6");
  expect(capacity).toContain(`${node.pods} / 110`);
  // One ENI row, captioned with its /80 (cut to the box's width), and no placeholder rows: one /80 holds more
  // addresses than kubelet's 110 pods.
  const captions = svgBoxCaptions(svg, `t3.medium IPv6 · ${zone(node)} · ${node.pods}/110`);
  const eni = node.enis[0]!;
  expect(captions).toHaveLength(1);
  expect(captions[0]).toMatch(new RegExp(`^eth0 ${eni.id.slice(0, 12)}`));
  expect(eni.prefixes[0]!.startsWith(captions[0]!.split(" ")[2]!.replace("…", ""))).toBe(true);

  // The Subnets tab: the node's /80 in its subnet's /64 as prefix capacity (pods against max pods), and the
  // /64's other prefixes never drawn as free.
  await page.goto(`${server.url}#theme=light&tab=subnets&subnet=${eni.subnetId}`);
  const ipv6 = page.getByTestId("subnet-ipv6");
  const row = ipv6.locator(`[data-testid="ipv6-prefix"][data-prefix="${eni.prefixes[0]}"]`);
  await expect(row.locator("th")).toHaveText(node.name);
  await expect(ipv6.getByTestId("ipv6-delegated").first()).toContainText("of the 65,536 /80 prefixes");
  await expect(ipv6).toContainText("none is shown as free");
  await page.getByTestId("subnet-view").screenshot({ path: test.info().outputPath("subnets-ipv6.png") });
  // The pods in the /80 as the server counts them now (the simulator keeps running).
  await expect(async () => {
    const now = (await (await page.request.get(`${server.url}/api/topology`)).json()) as Topology;
    const held = now.nodes.find((n) => n.name === node.name)!;
    const pods = held.enis[0]!.slots.filter((x) => x.prefix === eni.prefixes[0] && x.pod !== null).length;
    await expect(row.getByTestId("ipv6-prefix-pods")).toHaveText(`${pods} / ${held.maxPods}`, {
      timeout: 1000,
    });
  }).toPass({ timeout: 20_000 });
});
