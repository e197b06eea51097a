// Lab mode's other labs (issue 16.2), each walked through on the simulator as a learner would: the
// lines read off the panel and typed into bash (kubectl, the aws CLI and curl with the panel's KUBECONFIG
// and endpoints), each watching step moving on by itself, and what the map and the Pending tray light
// checked against the cluster. One simulator for all of them: a lab written for another scenario is
// switched to with the panel's "Reset the lab", as a learner would. One locale per lab, alternately
// (the scale and raise-the-limit labs run in both in lab-mode.spec.ts).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Topology } from "@eni-view/model";
import { expect, test } from "@playwright/test";
import { DashboardPage } from "../pages/DashboardPage.ts";
import { findEnglish, keptTerms } from "../pages/englishLeft.ts";
import { LabPanel } from "../pages/LabPanel.ts";
import { startCli } from "../support/cliServer.ts";
import { type RunningSystem, startSystem } from "../support/system.ts";

let system: RunningSystem;
test.describe.configure({ mode: "serial" });
test.beforeAll(async () => {
  system = await startSystem({ E2E_SPEED: "30" });
});
test.afterAll(async () => {
  await system?.stop();
});

const topology = async (dash: DashboardPage) =>
  (await (await dash.page.request.get(`${system.url}/api/topology`)).json()) as Topology;

/** Opens the lab at its first step; when the simulator runs another scenario, the panel says which and
 * how to start it, and its reset switches the simulator there. */
async function openLab(dash: DashboardPage, lab: LabPanel, id: string, lang: "en" | "ko", scenario?: string) {
  await dash.open(`#lab=${id}&step=1&lang=${lang}`);
  await lab.atStep(id, 1);
  if (!scenario) return;
  await expect(dash.page.getByTestId("lab-scenario")).toContainText(
    `npx eni-view start --scenario ${scenario}`,
  );
  await dash.page.getByTestId("lab-reset").click();
  await expect(dash.page.getByTestId("lab-reset-status")).toContainText(scenario);
  await expect(dash.page.getByTestId("lab-scenario")).toHaveCount(0);
  // Until the reset cluster has been read the step says it is changing, not the old cluster's lines.
  await expect(lab.state).not.toHaveAttribute("data-state", "settling", { timeout: 30_000 });
}

test("max pods (English), chosen from the Lab button's list by keyboard: EC2's limits and kubelet's pods", async ({
  page,
}) => {
  const dash = new DashboardPage(page, system.url);
  const lab = new LabPanel(page);
  await dash.open("#lang=en");
  await page.getByTestId("lab-toggle").focus();
  await page.keyboard.press("Enter");
  const chooser = page.getByTestId("lab-chooser");
  await expect(chooser.getByTestId("lab-choice")).toHaveCount(7);
  await expect(chooser).toContainText(
    "The simulator runs the scale-lab scenario. Written for it: Max pods, The warm pool, The scale test, Raise the limit (EKS).",
  );
  // Each lab says what it shows; one written for another scenario names it and the command that starts it.
  await expect(chooser.getByTestId("lab-choice-needs")).toHaveText([
    /kops-lab scenario.*npx eni-view start --scenario kops-lab$/,
    /custom-networking-lab scenario.*npx eni-view start --scenario custom-networking-lab$/,
    /fragmented-lab scenario.*npx eni-view start --scenario fragmented-lab$/,
  ]);
  // The first lab that fits has the focus; Escape closes the list and gives the focus back to the button.
  await expect(chooser.locator('[data-lab="max-pods"]')).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(chooser).toBeHidden();
  await expect(page.getByTestId("lab-toggle")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(chooser.locator('[data-lab="max-pods"]')).toBeFocused();
  await page.keyboard.press("Enter");
  await lab.atStep("max-pods", 1);
  await expect(chooser).toBeHidden();
  await expect(lab.state).toHaveAttribute("data-state", "manual");
  // The aws line as the panel prints it, against the simulator's EC2: t3.medium, 3 ENIs of 6 addresses.
  expect(await lab.type()).toMatch(/t3\.medium\s*\|\s*3\s*\|\s*6\s*\|/);
  await expect(lab.why).toContainText(["", "t3.medium: 3 ENIs × (6 − 1) + 2 = 17 pods."]);
  await expect(lab.lit).toContainText("Lit on the map: 3 nodes.");

  await lab.next();
  await lab.atStep("max-pods", 2);
  await expect(lab.state).toHaveAttribute("data-state", "manual");
  const allocatable = await lab.type();
  expect(allocatable.match(/pods:\s+17\b/g)).toHaveLength(3);
  // aws-node and kube-proxy (hostNetwork, no VPC address) are what the + 2 counts: those are lit.
  const host = (await topology(dash)).nodes.flatMap((n) => n.hostNetworkPods);
  expect(host.map((p) => p.name.replace(/-[a-z0-9]+$/, "")).sort()).toEqual([
    "aws-node",
    "aws-node",
    "aws-node",
    "kube-proxy",
    "kube-proxy",
    "kube-proxy",
  ]);
  await expect(lab.lit).toContainText(`3 nodes and ${host.length} cells (addresses and pods).`);
});

test("a live cluster without the simulator's admin API (English): lab mode watches, steps still move on", async ({
  page,
}) => {
  // eni-view serve reading the simulator over kubeconfig and an EC2 endpoint, as it reads a real cluster.
  const endpoints = JSON.parse(readFileSync(join(system.stateDir, "endpoints.json"), "utf8")) as {
    ec2: string;
    region: string;
  };
  const server = await startCli(
    ["--kubeconfig", system.kubeconfig, "--ec2-endpoint", endpoints.ec2, "--region", endpoints.region],
    {
      AWS_ACCESS_KEY_ID: "AKIAENIVIEWE2E000000",
      AWS_SECRET_ACCESS_KEY: "e2e",
      AWS_EC2_METADATA_DISABLED: "true",
    },
  );
  try {
    const dash = new DashboardPage(page, server.url);
    const lab = new LabPanel(page);
    await dash.open("#lang=en");
    await page.getByTestId("lab-toggle").click();
    await expect(page.getByTestId("lab-chooser-read-only")).toContainText(
      "On a live cluster it watches each step happen",
    );
    await expect(page.locator('li[data-fit="fits"]')).toHaveCount(0);
    await expect(page.getByTestId("lab-choice-needs").first()).toHaveText(
      "On the simulator: npx eni-view start --scenario scale-lab",
    );
    await page.locator('[data-testid="lab-choice"][data-lab="scale"]').click();
    await lab.atStep("scale", 1);
    await expect(page.getByTestId("lab-read-only")).toContainText("lab mode only watches it");
    await expect(page.getByTestId("lab-reset")).toHaveCount(0);
    await lab.next();
    await lab.atStep("scale", 2);
    await expect(lab.state).toHaveAttribute("data-state", "waiting");
    // No KUBECONFIG line: the learner's kubectl already points at the cluster.
    const lines = await lab.commands();
    expect(lines).toEqual(["kubectl scale deployment nginx-deployment --replicas=8"]);
    await lab.type([`export KUBECONFIG=${system.kubeconfig}`, ...lines]);
    await lab.atStep("scale", 3);
    await expect(lab.state).toHaveAttribute("data-state", "waiting");
  } finally {
    await server.stop();
  }
});

test("the warm pool (Korean): an idle node drops to one ENI, its first pod brings the second", async ({
  page,
}) => {
  test.setTimeout(90_000);
  const dash = new DashboardPage(page, system.url);
  const lab = new LabPanel(page);
  await openLab(dash, lab, "warm-pool", "ko");
  // The list of labs in Korean: no English left outside the scenario names and commands.
  await page.getByTestId("lab-toggle").click();
  await expect(page.getByTestId("lab-chooser-standing")).toContainText(
    "시뮬레이터는 지금 scale-lab 시나리오를",
  );
  const english = await page
    .getByTestId("lab-chooser")
    .evaluate((el, { src, terms }) => (new Function(`return (${src})`)() as typeof findEnglish)(el, terms), {
      src: findEnglish.toString(),
      terms: keptTerms,
    });
  expect(english).toEqual([]);
  await page.keyboard.press("Escape");
  await expect(lab.state).toHaveAttribute("data-state", "manual");
  // Every free secondary IP is lit.
  const warm = (await topology(dash)).nodes.flatMap((n) =>
    n.enis.flatMap((e) => e.slots.filter((s) => s.pod === null)),
  );
  expect(warm.length).toBeGreaterThan(0);
  await expect(lab.lit).toContainText(`칸 ${warm.length}개(주소와 파드)`);
  await lab.next();

  await lab.atStep("warm-pool", 2);
  await expect(lab.state).toHaveAttribute("data-state", "waiting");
  await lab.type();
  // The idle node gives back its second ENI (cooled down, a minute old); the step moves on by itself.
  await lab.atStep("warm-pool", 3);
  const idle = (await topology(dash)).nodes.filter((n) => n.enis.every((e) => e.slots.every((s) => !s.pod)));
  expect(idle.length).toBeGreaterThan(0);
  expect(idle.every((n) => n.enis.length === 1)).toBe(true);
  const lines = await lab.commands();
  expect(lines[1]).toBe(
    `kubectl run tmp --image=nginx:alpine --overrides='{"spec":{"nodeSelector":{"kubernetes.io/hostname":"${idle[0]!.name}"}}}'`,
  );
  await lab.type(lines);
  await lab.atStep("warm-pool", 4);

  // Back one step: the cluster is there, so it stays, and lights the tmp pod and the ENI it brought.
  await page.getByTestId("lab-back").click();
  await lab.atStep("warm-pool", 3);
  await expect(lab.state).toHaveAttribute("data-state", "reached");
  const node = (await topology(dash)).nodes.find((n) => n.name === idle[0]!.name)!;
  expect(node.enis.map((e) => e.deviceIndex).sort()).toEqual([0, 1]);
  await expect(lab.lit).toContainText("노드 1개, ENI 1개");
  await lab.next();

  await lab.atStep("warm-pool", 4);
  await lab.type();
  await expect(page.getByTestId("lab-done")).toContainText("실습 완료", { timeout: 30_000 });
});

test("raising the limit on kOps (English): switched to kops-lab, prefix delegation, a rolling update", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const dash = new DashboardPage(page, system.url);
  const lab = new LabPanel(page);
  await openLab(dash, lab, "raise-limit-kops", "en", "kops-lab");
  await expect(lab.state).toHaveAttribute("data-state", "waiting", { timeout: 30_000 });
  const fill = await lab.commands();
  expect(fill.slice(1)).toEqual([
    "kubectl delete limitranges limits",
    "kubectl scale deployment nginx-deployment --replicas=50",
  ]);
  await lab.type(fill);
  await lab.atStep("raise-limit-kops", 2);
  // The full nodes and the pods waiting for "Too many pods" are lit, in the tray too.
  const full = await topology(dash);
  const waiting = full.pending.map((p) => `${p.namespace}/${p.name}`).sort();
  expect(waiting).toHaveLength(7);
  expect(full.pending.every((p) => p.reason === "too-many-pods")).toBe(true);
  await expect(lab.lit).toContainText("Lit on the map: 3 nodes and 7 entries in the Pending tray.");
  await expect.poll(() => lab.litPending()).toEqual(waiting);

  const pd = await lab.commands();
  expect(pd).toContain(
    "kubectl set env ds aws-node -n kube-system ENABLE_PREFIX_DELEGATION=true WARM_PREFIX_TARGET=1",
  );
  await lab.type(pd);
  await lab.atStep("raise-limit-kops", 3);
  const roll = await lab.commands();
  expect(roll).toContain(`curl -s -X PUT ${system.adminUrl}/nodegroups/nodes -d '{"maxPods":110}'`);
  expect(roll).toContain(`curl -s -X POST ${system.adminUrl}/rolling-update`);
  await lab.type(roll);
  await expect(page.getByTestId("lab-done")).toBeVisible({ timeout: 60_000 });
  const rolled = await topology(dash);
  expect(rolled.nodes.map((n) => n.maxPods)).toEqual([110, 110, 110]);
  // The step is done once the pods run; a new node's warm prefix may come a moment later, so the lit
  // ENIs are compared with the cluster until every node holds its prefix and the two agree.
  await expect
    .poll(() => lab.litAgainstPrefixEnis(() => topology(dash)))
    .toEqual({ agree: true, everyNode: true });
  await expect(dash.pendingCount).toHaveText("0");
});

test("custom networking (Korean): switched to its scenario, pods past the pod ENIs wait for an IP", async ({
  page,
}) => {
  const dash = new DashboardPage(page, system.url);
  const lab = new LabPanel(page);
  await openLab(dash, lab, "custom-networking", "ko", "custom-networking-lab");
  await expect(lab.state).toHaveAttribute("data-state", "manual");
  expect(await lab.type()).toMatch(/ap-northeast-2a[\s\S]*ap-northeast-2b[\s\S]*ap-northeast-2c/);
  // Each node's primary ENI is lit: it holds no pod address.
  // kubelet, not told of custom networking, still allows 17 (kops-lab's rolled nodes had 110).
  await expect(lab.why).toContainText(
    "(3 − 1) × (6 − 1) + 2 = 파드 12개를 가집니다. kubelet은 이를 모른 채 여전히 17개를",
  );
  await expect(lab.lit).toContainText("노드 3개, ENI 3개");
  await lab.next();

  await lab.atStep("custom-networking", 2);
  await expect(lab.state).toHaveAttribute("data-state", "waiting", { timeout: 30_000 });
  await lab.type();
  await expect(page.getByTestId("lab-done")).toContainText("실습 완료", { timeout: 30_000 });
  // The scheduled pods waiting for an address are lit in the tray, on the overcommitted nodes.
  const t = await topology(dash);
  const noIp = t.pending.filter((p) => p.node !== null && p.reason === "ip-exhausted");
  expect(noIp.length).toBeGreaterThan(0);
  expect(t.nodes.every((n) => n.overcommitted)).toBe(true);
  await expect(lab.lit).toContainText(`노드 3개 및 대기 중(Pending) 목록의 항목 ${noIp.length}개`);
  await expect.poll(() => lab.litPending()).toEqual(noIp.map((p) => `${p.namespace}/${p.name}`).sort());
});

test("subnet exhaustion (English): switched to fragmented-lab, free addresses but no free /28", async ({
  page,
}) => {
  const dash = new DashboardPage(page, system.url);
  const lab = new LabPanel(page);
  await openLab(dash, lab, "subnet-exhaustion", "en", "fragmented-lab");
  await expect(lab.state).toHaveAttribute("data-state", "manual");
  // The node in 2c and its pods waiting for an IP, lit on the map and in the tray.
  await expect(lab.lit).toContainText(
    /Lit on the map: 1 node and [1-9]\d* entr(y|ies) in the Pending tray\./,
    {
      timeout: 30_000,
    },
  );
  const t = await topology(dash);
  const starved = t.pending.filter((p) => p.reason === "ip-exhausted");
  expect(new Set(starved.map((p) => p.node))).toEqual(
    new Set([t.nodes.find((n) => n.zone === "ap-northeast-2c")!.name]),
  );
  await expect.poll(() => lab.litPending()).toEqual(starved.map((p) => `${p.namespace}/${p.name}`).sort());
  expect(await lab.type()).toContain("ContainerCreating");
  await lab.next();

  await lab.atStep("subnet-exhaustion", 2);
  // EC2's own count of the subnet's free addresses, as the look line says it.
  const subnet = await lab.type();
  expect(subnet).toMatch(/192\.168\.3\.0\/24\s*\|\s*234\s*\|/);
  await expect(lab.look).toContainText("EC2 counts 234 available addresses in 192.168.3.0/24");
  await expect(lab.why).toContainText("The longest run of free addresses is 15");
});
