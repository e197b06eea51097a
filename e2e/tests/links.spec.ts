// kube-ops-view's links mean what they meant there (issue 12, point 7): #scale=1.5 is 1.5 times the fitted
// size, parameters may be separated by ";", #dashboard=true is kiosk mode, and #reload=N is declined on
// screen (the page updates live).
import { expect, test } from "@playwright/test";
import { DashboardPage } from "../pages/DashboardPage.ts";

const viewOf = (dash: DashboardPage) => dash.page.evaluate(() => window.__eniView?.view ?? null);

test("#scale=1.5 is one and a half times the fitted view, centred", async ({ page }) => {
  const dash = new DashboardPage(page);
  await dash.open("#theme=light");
  const fitted = (await viewOf(dash))!;
  await dash.open("#theme=light;scale=1.5");
  await expect.poll(async () => (await viewOf(dash))?.k).toBeCloseTo(fitted.k * 1.5, 3);
  await expect(page.getByTestId("app")).not.toHaveClass(/kiosk/);
  // Fit goes back to the whole cluster.
  await page.getByRole("button", { name: "Fit" }).click();
  await expect.poll(async () => (await viewOf(dash))?.k).toBeCloseTo(fitted.k, 3);
});

test("#dashboard=true;reload=60 is kiosk mode, and the reload is declined in words", async ({ page }) => {
  const dash = new DashboardPage(page);
  await dash.open("#dashboard=true;reload=60;theme=dark");
  await expect(page.getByTestId("app")).toHaveClass(/kiosk/);
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await expect(page.getByText(/reload=60 is not needed: this page updates live/)).toBeVisible();
});
