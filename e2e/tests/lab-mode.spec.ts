// Lab mode (issue 16, points 2 and 3): the scale lab and the raise-the-limit lab walked through on the
// simulator, each command read off the panel and typed into bash as a learner would (kubectl with the
// panel's KUBECONFIG, curl's POST to the admin URL), each step moving on by itself once the cluster gets there,
// in English and in Korean, the language switched half-way without losing the view or the step. Its own
// simulator, so the shared one keeps the state the other specs expect. On a capture it only reads.
import type { Topology } from "@eni-view/model";
import { expect, type Page, test } from "@playwright/test";
import { pixel, settled } from "../pages/canvasPixels.ts";
import { DashboardPage } from "../pages/DashboardPage.ts";
import { LabPanel } from "../pages/LabPanel.ts";
import { startCli } from "../support/cliServer.ts";
import { type RunningSystem, repoRoot, startSystem } from "../support/system.ts";

let system: RunningSystem;
test.beforeAll(async () => {
  // Simulated time 30x the wall clock: IPAMD cycles and the roll-over pass three times faster than at 10x.
  system = await startSystem({ E2E_SPEED: "30" });
});
test.afterAll(async () => {
  await system?.stop();
});

const hash = (page: Page) => new URLSearchParams(new URL(page.url()).hash.slice(1));

test("the scale lab and the raise-the-limit lab, step by step, in English and Korean", async ({ page }) => {
  test.setTimeout(150_000);
  const dash = new DashboardPage(page, system.url);
  const lab = new LabPanel(page);
  const { panel, state } = lab;
  const topology = async () =>
    (await (await page.request.get(`${system.url}/api/topology`)).json()) as Topology;

  // A teacher's link: the scale lab's first step, in English. The cluster is already at 2 replicas, so the
  // step is reached and waits for Next.
  await dash.open("#lab=scale&step=1&lang=en");
  await expect(panel).toHaveAttribute("data-step", "1");
  await expect(state).toHaveAttribute("data-state", "reached");
  expect((await lab.commands())[0]).toBe(`export KUBECONFIG=${system.kubeconfig}`);
  await page.getByTestId("lab-next").click();

  for (const [step, replicas] of [
    [2, 8],
    [3, 15],
    [4, 30],
  ] as const) {
    await expect(panel).toHaveAttribute("data-step", String(step));
    await expect(state).toHaveAttribute("data-state", "waiting");
    const lines = await lab.commands();
    if (step === 2) {
      // A typo first: the cluster settles at 9, and the panel says what it did instead.
      await lab.type([lines[0]!, "kubectl scale deployment nginx-deployment --replicas=9"]);
      await expect(state).toHaveAttribute("data-state", "other", { timeout: 30_000 });
      await expect(page.getByTestId("lab-other")).toHaveText(
        "nginx-deployment has 9 pods and this step expects 8: check the --replicas value you typed.",
      );
    }
    expect(lines).toEqual([
      `export KUBECONFIG=${system.kubeconfig}`,
      `kubectl scale deployment nginx-deployment --replicas=${replicas}`,
    ]);
    await lab.type(lines);
    // Nobody presses Next: the step moves on when the cluster gets there.
    await expect(panel).toHaveAttribute("data-step", String(step + 1), { timeout: 30_000 });
    expect(hash(page).get("step")).toBe(String(step + 1));
  }

  // Back to the 30-replica step: the cluster is there, so it stays, and lights each node's 3rd ENI.
  await page.getByTestId("lab-back").click();
  await expect(panel).toHaveAttribute("data-step", "4");
  await expect(state).toHaveAttribute("data-state", "reached");
  const t30 = await topology();
  const third = t30.nodes.map((n) => n.enis.find((e) => e.deviceIndex === 2));
  expect(third.every((e) => e !== undefined)).toBe(true);
  await expect(page.getByTestId("lab-lit")).toContainText("3 nodes, 3 ENIs");
  await expect(page.getByTestId("lab-why")).toContainText("3 × (6 − 1) = 15 pod IPs");
  // On the canvas: an nginx pod on a 3rd ENI is drawn in its colour, one on the first ENIs is dimmed.
  const onThird = third.flatMap((e) => e!.slots.filter((s) => s.pod?.startsWith("default/nginx")))[0]!;
  const onFirst = t30.nodes
    .flatMap((n) => n.enis.filter((e) => e.deviceIndex < 2).flatMap((e) => e.slots))
    .find((s) => s.pod?.startsWith("default/nginx"))!;
  await settled(page);
  const lit = await dash.pointAt(onThird.pod!);
  const dim = await dash.pointAt(onFirst.pod!);
  expect(await pixel(page, lit.x, lit.y)).not.toEqual(await pixel(page, dim.x, dim.y));
  await page.getByTestId("lab-next").click();
  await expect(panel).toHaveAttribute("data-step", "5");

  // Zoom in, then switch to Korean: the view, the lab and its step stay.
  await dash.canvas.focus();
  await page.keyboard.press("+");
  await expect.poll(() => hash(page).get("scale")).not.toBeNull();
  const view = ["scale", "x", "y"].map((k) => hash(page).get(k));
  await page.getByTestId("language").selectOption("ko");
  await expect(page.getByTestId("lab-step-title")).toHaveText("레플리카 50개로 늘리기");
  await expect(panel).toHaveAttribute("data-step", "5");
  expect(["scale", "x", "y"].map((k) => hash(page).get(k))).toEqual(view);
  expect(hash(page).get("lab")).toBe("scale");

  await lab.type(await lab.commands());
  // The last step: 7 nginx pods wait for "Too many pods", lit in the tray, the three full nodes lit.
  await expect(page.getByTestId("lab-done")).toHaveText(/실습 완료/, { timeout: 30_000 });
  await expect(page.getByTestId("lab-lit")).toContainText("노드 3개");
  await expect(page.getByTestId("lab-lit")).toContainText("항목 7개");
  await expect(page.getByTestId("lab-why")).toContainText("ENI 3개 × (6 − 1) + 2 = 17");
  // No English sentence left in the Korean panel, outside the commands and names it shows as they are.
  const english = await panel.evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    for (const data of copy.querySelectorAll("[data-i18n-data]")) data.remove();
    return /\b[a-z]{2,} [a-z]{2,} [a-z]{2,}\b/.exec(copy.textContent ?? "")?.[0] ?? null;
  });
  expect(english).toBeNull();
  await expect(dash.pendingCount).toHaveText("7");

  // Raising the limit, in Korean: the cluster is already at 50 replicas, so step 1 waits for Next.
  await page.getByTestId("lab-select").selectOption("raise-limit");
  await expect(panel).toHaveAttribute("data-lab", "raise-limit");
  await expect(state).toHaveAttribute("data-state", "reached");
  await page.getByTestId("lab-next").click();
  await expect(panel).toHaveAttribute("data-step", "2");
  const pd = await lab.commands();
  expect(pd).toContain("kubectl set env ds aws-node -n kube-system ENABLE_PREFIX_DELEGATION=true");
  await lab.type(pd);
  await expect(panel).toHaveAttribute("data-step", "3", { timeout: 30_000 });
  expect(hash(page).get("lab")).toBe("raise-limit");

  // Half-way, back to English: the step stays.
  await page.getByTestId("language").selectOption("en");
  await expect(page.getByTestId("lab-step-title")).toHaveText("Replace the nodes");
  await expect(panel).toHaveAttribute("data-step", "3");
  const roll = await lab.commands();
  const simulator = (await (await page.request.get(`${system.url}/api/lab`)).json()) as {
    simulator: { adminUrl: string };
  };
  expect(roll).toContain(`curl -s -X POST ${simulator.simulator.adminUrl}/nodegroups/ng1/rolling-update`);
  await lab.type(roll);
  await expect(page.getByTestId("lab-done")).toBeVisible({ timeout: 60_000 });
  // The new nodes' ENIs hold /28 prefixes: those are lit; nobody waits any more.
  const rolled = await topology();
  const prefixEnis = rolled.nodes.flatMap((n) => n.enis.filter((e) => e.prefixes.length > 0));
  expect(prefixEnis.length).toBeGreaterThan(0);
  expect(rolled.nodes.every((n) => n.maxPods === 110)).toBe(true);
  await expect.poll(() => lab.litAgainstPrefixEnis(topology)).toEqual({ agree: true, everyNode: true });
  await expect(page.getByTestId("lab-why")).toContainText("3 × ((6 − 1) × 16) + 2 = 242, capped at 110");
  await expect(dash.pendingCount).toHaveText("0");

  // "Reset the lab": the page asks the simulator's admin endpoint (the server stays read-only) to start
  // the scenario again; the lab goes back to its first step, which waits for its 50 replicas.
  await page.getByTestId("lab-reset").click();
  await expect(page.getByTestId("lab-reset-status")).toHaveText(
    "The simulator is back at the start of the scale-lab scenario.",
  );
  await expect(panel).toHaveAttribute("data-step", "1");
  await expect
    .poll(async () => (await topology()).nodes.map((n) => n.maxPods), { timeout: 30_000 })
    .toEqual([17, 17, 17]);
  await expect(state).toHaveAttribute("data-state", "waiting", { timeout: 30_000 });
});

test("on a capture lab mode only reads: the formula from the capture, no KUBECONFIG line, no reset", async ({
  page,
}) => {
  const server = await startCli([
    "--dump",
    `${repoRoot}apps/server/src/fixtures/lab-2-replicas`,
    "--no-snapshots",
  ]);
  try {
    const dash = new DashboardPage(page, server.url);
    await dash.open("#lab=max-pods&step=1&lang=en");
    expect((await (await page.request.get(`${server.url}/api/lab`)).json()) as object).toEqual({
      simulator: null,
    });
    await expect(page.getByTestId("lab-panel")).toContainText("lab mode needs the live cluster");
    const lines = await page.getByTestId("lab-command").allTextContents();
    expect(lines.some((l) => l.includes("KUBECONFIG") || l.includes("--endpoint-url"))).toBe(false);
    expect(lines[0]).toMatch(/^aws ec2 describe-instance-types --filters Name=instance-type,Values=t3\.\*/);
    await expect(page.getByTestId("lab-why")).toContainText([
      "Each ENI keeps its own primary address",
      "t3.medium: 3 ENIs × (6 − 1) + 2 = 17 pods.",
    ]);
    await expect(page.getByTestId("lab-reset")).toHaveCount(0);
    // The list of labs claims no simulator and no lab that fits: each names where to try it instead.
    await page.getByTestId("lab-toggle").click();
    await expect(page.getByTestId("lab-chooser-read-only")).toContainText(
      "a capture or a recording does not change",
    );
    await expect(page.locator('li[data-fit="fits"]')).toHaveCount(0);
    await expect(page.getByTestId("lab-choice-needs")).toHaveCount(7);
  } finally {
    await server.stop();
  }
});
