import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { DashboardPage } from "../pages/DashboardPage.ts";

test("a copied link reopens the same view in a new browser context", async ({ browser }) => {
  const context = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  const page = await context.newPage();
  const dash = new DashboardPage(page);
  await dash.open();
  const node = (await dash.topology()).nodes[1]!.name;
  await dash.group.selectOption("instanceType");
  await dash.theme.selectOption("dark");
  await dash.search("namespace=default");
  await dash.clickNode(node);
  await dash.canvas.focus();
  await page.keyboard.press("-");
  await page.keyboard.press("ArrowLeft");
  const view = await page.evaluate(() => window.__eniView?.view);
  await page.getByTestId("copy-link").click();
  await expect(page.getByTestId("toolbar-note")).toHaveText("Link copied");
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toContain("group=instanceType");
  await context.close();

  const other = await browser.newContext();
  const page2 = await other.newPage();
  const dash2 = new DashboardPage(page2);
  await page2.goto(link);
  await dash2.waitDrawn();
  await expect(dash2.group).toHaveValue("instanceType");
  await expect(dash2.theme).toHaveValue("dark");
  await expect(page2.locator("html")).toHaveAttribute("data-theme", "dark");
  await expect(dash2.searchBox).toHaveValue("namespace=default");
  await expect(dash2.nodePanel.getByRole("heading", { level: 2 })).toHaveText(node);
  const view2 = await page2.evaluate(() => window.__eniView?.view);
  expect(view2?.k).toBeCloseTo(view!.k, 3);
  expect(view2?.x).toBeCloseTo(view!.x, 0);
  expect(view2?.y).toBeCloseTo(view!.y, 0);
  await other.close();
});

test("Export PNG and SVG give valid, non-empty images with a title line", async ({ page }) => {
  const dash = new DashboardPage(page);
  await dash.open();
  const topo = await dash.topology();
  await page.getByTestId("export-ratio").selectOption("2");

  const png = await readFile((await (await dash.download("export-png")).path())!);
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  // Three node boxes side by side at pixel ratio 2: well over a thousand pixels wide.
  expect(width).toBeGreaterThan(1000);
  expect(height).toBeGreaterThan(200);
  expect(png.length).toBeGreaterThan(10_000);

  const svgDownload = await dash.download("export-svg");
  expect(svgDownload.suggestedFilename()).toMatch(/\.svg$/);
  const svg = await readFile((await svgDownload.path())!, "utf8");
  expect(svg).toMatch(/^<\?xml[\s\S]*<svg [\s\S]*<\/svg>$/);
  expect(svg).toContain(`${topo.summary.nodes} nodes`);
  for (const n of topo.nodes) expect(svg).toContain(n.name.split(".")[0]!);
  // It parses as SVG in the browser.
  const ok = await page.evaluate(
    (text) => new DOMParser().parseFromString(text, "image/svg+xml").querySelector("parsererror") === null,
    svg,
  );
  expect(ok).toBe(true);
});
