// A cold start against the simulator's `large` scenario (issue 12, "nothing false on screen"): the page is
// opened the moment `eni-view serve` says where it serves, while the server still lists thousands of nodes
// and pods, and every frame the page draws until the cluster is on screen is sampled. No frame may show
// "0 nodes", "No pod is waiting" or a live badge before the server has read everything; the loading state
// shows the server's progress instead. E2E_COLD_START_NODES picks the size: CI runs the scenario's 500 nodes to keep its
// time, `E2E_COLD_START_NODES=5000 npx playwright test tests/cold-start.spec.ts` the 5,000.
import { expect, test } from "@playwright/test";
import { type CliServer, startCli } from "../support/cliServer.ts";

const NODES = Number(process.env.E2E_COLD_START_NODES ?? "500");

interface Frame {
  t: number;
  loading: string | null;
  nodes: string | null;
  live: string | null;
  noneWaiting: boolean;
  drawn: boolean;
}

let server: CliServer | null = null;
test.afterAll(async () => {
  await server?.stop();
});

test(`a cold start on ${NODES} nodes never shows 0 nodes, an empty tray or live before the first full read`, async ({
  page,
}) => {
  test.setTimeout(480_000);
  // Every frame from the page's first script on: what the header, the tray and the badge say.
  await page.addInitScript(() => {
    const frames: Frame[] = [];
    (window as unknown as { __frames: Frame[] }).__frames = frames;
    let last = "";
    const sample = () => {
      const text = (id: string) =>
        document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() ?? null;
      const f: Frame = {
        t: performance.now(),
        loading: text("loading"),
        nodes: document.querySelector('[data-testid="stat-nodes"] .stat-value')?.textContent?.trim() ?? null,
        live: text("live-state"),
        noneWaiting: document.querySelector(".tray-empty") !== null,
        drawn: window.__eniView?.firstCompleteAt != null,
      };
      const key = JSON.stringify({ ...f, t: 0 });
      if (key !== last) frames.push(f);
      last = key;
      if (!f.drawn || f.live !== "live") requestAnimationFrame(sample);
    };
    requestAnimationFrame(sample);
  });
  server = await startCli(
    ["--source", "sim", "--scenario", "large", "--nodes", String(NODES), "--pods-per-node", "20"],
    {},
    180_000,
  );
  await page.goto(`${server.url}/`);
  await page.waitForFunction(
    () =>
      window.__eniView?.firstCompleteAt != null &&
      document.querySelector('[data-testid="live-state"]')?.textContent?.trim() === "live",
    null,
    { timeout: 280_000, polling: 200 },
  );
  const frames = await page.evaluate(() => (window as unknown as { __frames: Frame[] }).__frames);
  // The first frame with the cluster on screen ends the loading; everything before it is checked.
  const first = frames.findIndex((f) => f.loading === null && f.nodes !== null);
  expect(first).toBeGreaterThan(0);
  const before = frames.slice(0, first);
  expect(
    before.some((f) => f.loading !== null && /\d/.test(f.loading)),
    `the loading state showed the server's progress: ${JSON.stringify(before.map((f) => f.loading))}`,
  ).toBe(true);
  const false_ = frames
    .map((f, i) => ({ f, i }))
    .filter(
      ({ f, i }) =>
        f.nodes === "0" || (i < first && (f.noneWaiting || f.live === "live" || f.nodes !== null)),
    )
    .map(({ f }) => f);
  expect(false_).toEqual([]);
  // Then the whole cluster.
  const topo = (await (await page.request.get(`${server.url}/api/topology`)).json()) as { nodes: unknown[] };
  expect(topo.nodes.length).toBe(NODES);
});
