import { expect, test } from "@playwright/test";
import { DashboardPage } from "../pages/DashboardPage.ts";
import { setFaults } from "../support/cluster.ts";

test.describe("dark theme", () => {
  test.use({ colorScheme: "dark" });

  test("follows the system's dark preference, canvas included", async ({ page }) => {
    const dash = new DashboardPage(page);
    await dash.open();
    await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
    const box = (await dash.canvas.boundingBox())!;
    const shot = await page.screenshot({
      clip: { x: box.x + 2, y: box.y + box.height - 6, width: 4, height: 4 },
    });
    // The bottom-left corner of the map is background: dark.
    const { r, g, b } = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement("canvas");
      c.width = img.width;
      c.height = img.height;
      const ctx = c.getContext("2d")!;
      ctx.drawImage(img, 0, 0);
      const [r, g, b] = ctx.getImageData(1, 1, 1, 1).data;
      return { r: r!, g: g!, b: b! };
    }, shot.toString("base64"));
    expect(r + g + b).toBeLessThan(120);
    await dash.theme.selectOption("light");
    await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
  });
});

test("a banner names the EC2 throttling and goes away when it stops", async ({ page }) => {
  const dash = new DashboardPage(page);
  await dash.open();
  await expect(page.getByTestId("banner-source-ec2")).toHaveCount(0);
  try {
    await setFaults({ ec2ThrottleRate: 1 });
    await expect(page.getByTestId("banner-source-ec2")).toContainText("RequestLimitExceeded", {
      timeout: 30_000,
    });
    await expect(page.getByTestId("banner-source-ec2")).toContainText("EC2 data is stale");
  } finally {
    await setFaults({ ec2ThrottleRate: 0 });
  }
  await expect(page.getByTestId("banner-source-ec2")).toHaveCount(0, { timeout: 30_000 });
  // The page stayed live throughout: no reload, the stream still up.
  await expect(page.getByTestId("live-state")).toHaveText("live");
});

test("kiosk mode hides the controls and Escape brings them back", async ({ page }) => {
  const dash = new DashboardPage(page);
  await dash.open("#kiosk=1");
  await expect(page.getByTestId("toolbar")).toHaveCount(0);
  await expect(page.getByTestId("summary")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("toolbar")).toBeVisible();
});

test("with the event stream unreachable, a banner says live updates stopped and the snapshot still draws", async ({
  page,
}) => {
  await page.route(/\/api\/stream\b/, (route) => route.abort("connectionrefused"));
  const dash = new DashboardPage(page);
  await dash.open();
  await expect(page.getByTestId("banner-stream")).toContainText("Live updates stopped");
  await expect(page.getByTestId("live-state")).toHaveText("offline");
  await expect(dash.stat("nodes")).toHaveText("3");
});

test("a stream the server refuses says why on the page, in the server's words", async ({ page }) => {
  const reason = "at most 20 live streams from one address (10.0.0.7); close other eni-view tabs or windows";
  await page.route(/\/api\/stream\b/, (route) =>
    route.fulfill({
      status: 200,
      headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" },
      body: `retry: 30000\n\nevent: refused\ndata: ${JSON.stringify({ error: "too-many-streams-from-address", reason })}\n\n`,
    }),
  );
  const dash = new DashboardPage(page);
  await dash.open();
  await expect(page.getByTestId("banner-stream")).toContainText(
    `the server refused this page's live stream: ${reason}; retrying`,
  );
  await expect(page.getByTestId("live-state")).toHaveText("offline");
  // The picture still comes from /api/topology meanwhile.
  await expect(dash.stat("nodes")).toHaveText("3");
});
