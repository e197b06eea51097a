// The page in English and Korean (issue 16, point 1): the browser's language picks it, the switcher
// changes it without losing the view, and a link carries it only once it was picked.
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { DashboardPage } from "../pages/DashboardPage.ts";
import { englishOnPage, findEnglish, keptTerms } from "../pages/englishLeft.ts";
import { scaleNginx } from "../support/cluster.ts";

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

test("the Korean page and its SVG export leave no English outside marked cluster data", async ({ page }) => {
  const dash = new DashboardPage(page);
  // The scale lab at 50: full nodes in the problems list, 7 pods Pending for "Too many pods".
  await scaleNginx(50);
  await expect.poll(async () => (await dash.topology()).pending.length, { timeout: 45_000 }).toBe(7);
  const topo = await dash.topology();
  // The node with the most ENIs, opened in its panel, with the problems list open too.
  const node = [...topo.nodes].sort((a, b) => b.enis.length - a.enis.length)[0]!;
  await dash.open(`#lang=ko&theme=light&problems=1&node=${encodeURIComponent(node.name)}`);
  await expect(page.getByTestId("node-panel")).toBeVisible();
  // The scheduler's words stay as it wrote them, with a line in Korean saying why beside them.
  const group = page.getByTestId("pending-group");
  await expect(group.getByTestId("pending-group-message")).toContainText("Too many pods");
  await expect(group.getByTestId("pending-group-explain")).toContainText("최대 파드 수");
  const scan = () => englishOnPage(page);
  // Visible text and the labels a screen reader or a hover reads.
  expect(await scan()).toEqual([]);
  // A tooltip, over a pod's cell of that node.
  const pod = node.enis.flatMap((e) => e.slots).find((s) => s.pod)?.pod;
  if (pod) {
    await dash.hover(pod);
    await expect(dash.tooltip).toBeVisible();
    expect(await scan()).toEqual([]);
  }
  // The subnet view.
  await page.getByTestId("tab-subnets").click();
  await expect(page.getByTestId("tab-subnets")).toHaveAttribute("aria-pressed", "true");
  expect(await scan()).toEqual([]);
  await page.getByTestId("tab-nodes").click();
  // Lab mode's panel, and a plan's panel and banner.
  await dash.open("#lang=ko&theme=light&lab=scale&step=2");
  await expect(page.getByTestId("lab-panel")).toBeVisible();
  expect(await scan()).toEqual([]);
  // The Lab button's list, with the running scenario's description.
  await page.getByTestId("lab-toggle").click();
  await expect(page.getByTestId("lab-chooser-scenario")).toContainText("VPC CNI 스케일 테스트 실습입니다");
  expect(await scan()).toEqual([]);
  await page.keyboard.press("Escape");
  await dash.open(`#lang=ko&theme=light&plan=${encodeURIComponent("scale=default/nginx-deployment=60")}`);
  await expect(page.getByTestId("plan-panel")).toBeVisible();
  await expect(page.getByTestId("plan-banner")).toBeVisible({ timeout: 45_000 });
  expect(await scan()).toEqual([]);
  // The planner refusing a workload the cluster lacks, in Korean, naming it.
  await dash.open(`#lang=ko&theme=light&plan=${encodeURIComponent("scale=default/nope=5")}`);
  await expect(page.getByTestId("plan-error")).toContainText(
    "알 수 없는 워크로드 Deployment default/nope: 클러스터에 이 워크로드가 소유한 파드가 없습니다",
    { timeout: 45_000 },
  );
  await dash.open(`#lang=ko&theme=light&problems=1&node=${encodeURIComponent(node.name)}`);
  // The exported SVG's text.
  const svg = await readFile((await (await dash.download("export-svg")).path())!, "utf8");
  const left = await page.evaluate(
    ({ src, terms, svg }) => {
      const find = new Function(`return (${src})`)() as typeof findEnglish;
      return find(new DOMParser().parseFromString(svg, "image/svg+xml"), terms);
    },
    { src: findEnglish.toString(), terms: keptTerms, svg },
  );
  expect(left).toEqual([]);
  expect(svg).toContain("노드");
});

test("the Korean page says the server's refusal, a lost stream and an API error in Korean", async ({
  page,
}) => {
  const scan = () => englishOnPage(page);
  // The server refuses this page's live stream (it has its most viewers), as routes/stream.ts words it:
  // its English reason, and the key and values the page says in Korean.
  const refused = {
    error: "too-many-viewers",
    reason: "the server has 200 viewers, its most, and every one of them is reading",
    key: "stream.reason.too-many-viewers",
    values: { max: 200 },
  };
  await page.route("**/api/stream*", (route) =>
    route.fulfill({
      status: 200,
      contentType: "text/event-stream; charset=utf-8",
      body: `retry: 600000\n\nevent: refused\ndata: ${JSON.stringify(refused)}\n\n`,
    }),
  );
  const base = new DashboardPage(page).baseUrl;
  await page.goto(`${base}/#lang=ko&theme=light`);
  const banner = page.getByTestId("banner-stream");
  await expect(banner).toContainText("서버가 이 페이지의 실시간 스트림을 거부했습니다");
  await expect(banner).toContainText("최대 시청자 200명");
  await expect(page.getByTestId("live-state")).toHaveAttribute("title", /실시간 스트림을 거부했습니다/);
  expect(await scan()).toEqual([]);
  await page.unroute("**/api/stream*");

  // A snapshot link whose server fails to answer (500): the error in Korean, not the server's English.
  await page.route("**/api/snapshots/*", (route) =>
    route.fulfill({
      status: 500,
      contentType: "application/json",
      body: JSON.stringify({ error: "internal", message: "internal server error" }),
    }),
  );
  await page.goto(`${base}/?snapshot=AAAAAAAAAAAAAAAAAAAAAA#lang=ko&theme=light`);
  const missing = page.getByTestId("snapshot-missing");
  await expect(missing).toContainText("내부 서버 오류", { timeout: 20_000 });
  expect(await scan()).toEqual([]);
});
