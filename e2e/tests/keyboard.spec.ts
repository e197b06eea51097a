// The keyboard alone (issue 12, point 6): Tab reaches every control of the header in reading order, then the
// view tabs and the map; a node is reached and opened from the node table and from the map itself, and its
// panel is read and closed without a mouse.
import { expect, type Page, test } from "@playwright/test";
import { DashboardPage } from "../pages/DashboardPage.ts";
import { scaleNginx } from "../support/cluster.ts";

interface Stop {
  name: string;
  inToolbar: boolean;
  x: number;
  y: number;
  height: number;
}

/** What has the keyboard focus, named as a user would name it, and where it is on screen. */
async function focused(page: Page): Promise<Stop> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { name: "body", inToolbar: false, x: 0, y: 0, height: 0 };
    const r = el.getBoundingClientRect();
    const name =
      el.getAttribute("data-testid") ??
      el.getAttribute("aria-label") ??
      el.closest("label")?.textContent?.trim() ??
      el.textContent?.trim() ??
      el.tagName;
    return {
      name,
      inToolbar: el.closest('[data-testid="toolbar"]') !== null,
      x: r.x,
      y: r.y,
      height: r.height,
    };
  });
}

test("Tab walks the header's controls in reading order, then the view tabs and the map", async ({ page }) => {
  const dash = new DashboardPage(page);
  await dash.open("#theme=light");
  // Every control a mouse can use in the header.
  const controls = await page
    .getByTestId("toolbar")
    .locator("input, select, button, a[href], [tabindex]:not([tabindex='-1'])")
    .evaluateAll((els) => els.filter((e) => (e as HTMLElement).offsetParent !== null).length);
  await page.locator("body").click({ position: { x: 1, y: 1 } });
  const stops: Stop[] = [];
  for (let i = 0; i < controls + 12; i++) {
    await page.keyboard.press("Tab");
    const s = await focused(page);
    stops.push(s);
    if (s.name === "cluster-canvas") break;
  }
  const header = stops.filter((s) => s.inToolbar);
  expect(header.length).toBe(controls);
  expect(header[0]!.name).toBe("search");
  // Reading order: each stop is right of the one before on its row, or on a row below.
  for (let i = 1; i < header.length; i++) {
    const [a, b] = [header[i - 1]!, header[i]!];
    const nextRow = b.y > a.y + a.height / 2;
    expect(nextRow || (Math.abs(b.y - a.y) < a.height / 2 && b.x > a.x), `${a.name} then ${b.name}`).toBe(
      true,
    );
  }
  // The named controls come in the order they are laid out.
  const names = header.map((s) => s.name);
  const order = [
    "search",
    "group",
    "color",
    "heat",
    "sort",
    "theme",
    "palette",
    "copy-link",
    "export-png",
    "kiosk",
  ];
  expect(order.map((n) => names.indexOf(n))).toEqual(
    order.map((n) => names.indexOf(n)).sort((a, b) => a - b),
  );
  for (const n of order) expect(names).toContain(n);
  // After the header: the view tabs, then the map.
  const after = stops.slice(stops.indexOf(header[header.length - 1]!) + 1).map((s) => s.name);
  const tabs = await page
    .getByRole("navigation", { name: "Views" })
    .getByRole("button")
    .evaluateAll((els) => els.map((e) => e.getAttribute("data-testid")));
  expect(tabs).toContain("tab-table");
  expect(after.slice(-tabs.length - 1)).toEqual([...tabs, "cluster-canvas"]);
});

test("a node is reached and opened from the keyboard, from the table and on the map", async ({ page }) => {
  await scaleNginx(8);
  const dash = new DashboardPage(page);
  await dash.open("#theme=light");
  const names = (await dash.topology()).nodes.map((n) => n.name).sort();

  // On the map: n opens the first box's panel and moves the view onto it; p goes back round to the last.
  await dash.canvas.focus();
  await page.keyboard.press("n");
  await expect(dash.nodePanel.getByRole("heading", { level: 2 })).toHaveText(names[0]!);
  await page.keyboard.press("n");
  await expect(dash.nodePanel.getByRole("heading", { level: 2 })).toHaveText(names[1]!);
  await expect(page).toHaveURL(/node=/);
  await page.keyboard.press("Enter");
  await expect(dash.nodePanel).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dash.nodePanel).toHaveCount(0);

  // In the table: Tab to the tab, Enter, Tab to a node's name, Enter; the panel takes the keyboard and
  // Escape gives it back to the row.
  await page.getByTestId("tab-nodes").focus();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await expect(page.getByTestId("tab-table")).toBeFocused();
  await page.keyboard.press("Enter");
  const row = page.getByTestId("table-node").first().getByRole("rowheader").getByRole("button");
  for (let i = 0; i < 10 && !(await row.evaluate((el) => el === document.activeElement)); i++)
    await page.keyboard.press("Tab");
  await expect(row).toBeFocused();
  const first = await page.getByTestId("table-node").first().getAttribute("data-node");
  await page.keyboard.press("Enter");
  await expect(dash.nodePanel.getByRole("heading", { level: 2 })).toHaveText(first!);
  await expect(dash.nodePanel).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dash.nodePanel).toHaveCount(0);
  // Back on that node's name, wherever a live update has sorted its row meanwhile.
  await expect(
    page
      .locator(`[data-testid="table-node"][data-node="${first}"]`)
      .getByRole("rowheader")
      .getByRole("button"),
  ).toBeFocused();
});
