// The page in English and Korean (issue 16, point 1): the browser's language picks it, the switcher
// changes it without losing the view, and a link carries it only once it was picked.
import { expect, test } from "@playwright/test";
import { DashboardPage } from "../pages/DashboardPage.ts";

test.describe("a Korean browser", () => {
  test.use({ locale: "ko-KR" });

  test("opens the page in Korean, and a copied link does not force Korean on its reader", async ({
    page,
  }) => {
    const dash = new DashboardPage(page);
    await dash.open("#theme=light&group=instanceType");
    await expect(page.locator("html")).toHaveAttribute("lang", "ko");
    await expect(page.getByTestId("tab-nodes")).toHaveText("노드");
    await expect(page.getByRole("button", { name: "링크 복사" })).toBeVisible();
    expect(page.url()).not.toContain("lang=");
  });
});

test("switching to Korean in the page keeps the view and goes into the link", async ({ page }) => {
  const dash = new DashboardPage(page);
  await dash.open("#theme=light&group=instanceType&heat=pods");
  await expect(page.getByTestId("tab-subnets")).toHaveText("Subnets");
  await page.getByTestId("language").selectOption("ko");
  await expect(page.getByTestId("tab-subnets")).toHaveText("서브넷");
  await expect(page.locator("html")).toHaveAttribute("lang", "ko");
  await expect(dash.group).toHaveValue("instanceType");
  await expect(page.getByTestId("heat")).toHaveValue("pods");
  expect(new URL(page.url()).hash).toContain("lang=ko");
  // Opened from that link by an English browser: Korean, as the sender chose.
  await dash.open(new URL(page.url()).hash);
  await expect(page.getByTestId("tab-nodes")).toHaveText("노드");
  // Back to the browser's language: the link no longer names one.
  await page.getByTestId("language").selectOption("auto");
  await expect(page.getByTestId("tab-nodes")).toHaveText("Nodes");
  expect(new URL(page.url()).hash).not.toContain("lang=");
});
