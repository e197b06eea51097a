// Sharing eni-view safely, as the security-minded admin and the reviewer who gets the link would check
// it, on the real `eni-view serve` command line reading a capture folder full of hostile names:
// - every name is shown as text (page, tooltip, side panel, Pending tray, SVG export): no dialog, no
//   injected element;
// - with --auth-token, the page's data needs the token, and "Copy link" carries it;
// - "Freeze" gives a permalink that reopens the same state read-only, also after the server restarts, and
//   a bad id says "not found or expired" instead of a blank page.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, expect, type Page, test } from "@playwright/test";
import { type CliServer, startCli } from "../support/cliServer.ts";
import { hostile, writeHostileCapture } from "../support/hostileCapture.ts";

const TOKEN = "e2e-share-token-0123456789abcdef";
const hostilePodKey = `${hostile.podNamespace}/${hostile.pod}`;
const pendingKey = `${hostile.pendingNamespace}/${hostile.pendingName}`;

let dir: string;
let server: CliServer;
let serverArgs: string[];

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "eni-view-e2e-share-"));
  const capture = writeHostileCapture(join(dir, "capture"));
  serverArgs = ["--dump", capture, "--auth-token", TOKEN, "--snapshot-db", join(dir, "db", "snapshots.db")];
  server = await startCli(serverArgs);
});

test.afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Fails the test on any dialog (alert, confirm) the page opens. */
function watchDialogs(page: Page): string[] {
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return dialogs;
}

async function waitDrawn(page: Page): Promise<void> {
  await page.waitForFunction(() => window.__eniView?.firstCompleteAt != null, null, { timeout: 30_000 });
}

/** Elements or attributes that would only exist if a name had been parsed as markup (the legend's own
 * swatches, the recording timeline's chart and the summary bar's sparkline, which hold no names, are the
 * only SVG the page draws in its DOM). */
async function injected(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const el of document.querySelectorAll(
      "img, svg:not(.swatch):not(.timeline-lines):not(.sparkline), iframe, object, embed",
    ))
      found.push(el.outerHTML);
    for (const el of document.querySelectorAll("script:not([src])")) found.push(el.outerHTML);
    for (const el of document.querySelectorAll("*"))
      for (const a of el.attributes) if (a.name.startsWith("on")) found.push(`${el.tagName} ${a.name}`);
    return found;
  });
}

async function hover(page: Page, target: string): Promise<void> {
  const pos = await page.evaluate((t) => window.__eniView?.locate?.(t) ?? null, target);
  if (!pos) throw new Error(`${target} is not drawn on the canvas`);
  await page.mouse.move(pos.x - 1, pos.y - 1);
  await page.mouse.move(pos.x, pos.y);
}

/** A name as the page shows it: past 80 characters, the first 79 and an ellipsis (the web app's clampName). */
function shownName(name: string): string {
  return name.length <= 80 ? name : `${name.slice(0, 79)}…`;
}

/** Hovers a pod's cell until the tooltip names it (the first frames may still be settling the layout). */
async function expectTooltip(page: Page, podKey: string): Promise<void> {
  await expect(async () => {
    await hover(page, podKey);
    await expect(page.getByTestId("tooltip").locator(".tooltip-title")).toHaveText(shownName(podKey), {
      timeout: 1000,
    });
  }).toPass({ timeout: 15_000 });
}

async function newPage(context: BrowserContext): Promise<{ page: Page; dialogs: string[] }> {
  const page = await context.newPage();
  return { page, dialogs: watchDialogs(page) };
}

test("hostile names from a capture folder are shown as text in the page and the SVG export", async ({
  browser,
}) => {
  const context = await browser.newContext();
  const { page, dialogs } = await newPage(context);
  await page.goto(`${server.url}/?token=${TOKEN}`);
  await waitDrawn(page);

  // The cluster name (from aws-node's CLUSTER_NAME) in the toolbar, as characters.
  await expect(page.locator(".cluster-name")).toHaveText(hostile.cluster);
  // The Pending pod: quoted namespace and a name that tries to close an attribute.
  await expect(page.getByTestId("pending-item")).toHaveCount(1);
  await expect(page.locator(".pending-name")).toHaveText(pendingKey);
  await expect(page.locator(".pending-focus")).toHaveAttribute(
    "aria-label",
    new RegExp(`^${escapeRe(pendingKey)}:`),
  );

  // The hostile pod under the pointer: the tooltip says its name literally.
  await expectTooltip(page, hostilePodKey);

  // Its node's side panel lists the pod by name; the third node's panel is titled with the hostile name.
  const firstNode = "ip-192-168-1-10.ap-northeast-2.compute.internal";
  await page.mouse.move(5, 500);
  const pos = await page.evaluate((n) => window.__eniView?.locate?.(n) ?? null, firstNode);
  await page.mouse.click(pos!.x, pos!.y);
  await expect(page.getByTestId("node-panel")).toContainText(hostilePodKey);
  // The panel covers the right of the map: close it before pointing at the third node.
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("node-panel")).toHaveCount(0);
  const third = await page.evaluate((n) => window.__eniView?.locate?.(n) ?? null, hostile.node);
  await page.mouse.click(third!.x, third!.y);
  await expect(page.getByTestId("node-panel").getByRole("heading", { level: 2 })).toHaveText(hostile.node);

  // Search finds it by a piece of the hostile text, and the typed text stays text too.
  await page.locator("body").press("/");
  await page.getByTestId("search").fill("onerror");
  await expect(page.getByTestId("match-count")).toHaveText("1 match");

  // The SVG export: the node name and the title line are in <text>/<title> as escaped characters.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("export-svg").click(),
  ]);
  const svg = readFileSync((await download.path())!, "utf8");
  // Escaped as entities (named or numeric), never as markup.
  const lt = "(?:&lt;|&#60;|&#x3c;)";
  const gt = "(?:&gt;|&#62;|&#x3e;)";
  expect(svg).toMatch(new RegExp(`${lt}svg onload=f\\(\\)${gt}`, "i"));
  expect(svg).toMatch(new RegExp(`${lt}/title${gt}${lt}script${gt}alert\\(4\\)`, "i"));
  expect(svg).not.toContain("<script");
  expect(svg).not.toContain("<svg onload");
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, "image/svg+xml");
    const handlers = [...doc.querySelectorAll("*")].flatMap((el) =>
      [...el.attributes].filter((a) => a.name.startsWith("on")).map((a) => a.name),
    );
    return {
      error: doc.querySelector("parsererror") !== null,
      scripts: doc.querySelectorAll("script").length,
      handlers,
      title: doc.querySelector("title")?.textContent ?? "",
      texts: [...doc.querySelectorAll("text")].map((t) => t.textContent),
    };
  }, svg);
  expect(parsed.error).toBe(false);
  expect(parsed.scripts).toBe(0);
  expect(parsed.handlers).toEqual([]);
  expect(parsed.title.startsWith(hostile.cluster)).toBe(true);
  expect(parsed.texts).toContain(hostile.node);

  // The PNG export draws the same names on a canvas: it still makes an image.
  const [png] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-png").click()]);
  const bytes = readFileSync((await png.path())!);
  expect([...bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);

  expect(await injected(page)).toEqual([]);
  expect(dialogs).toEqual([]);
  await context.close();
});

test("with --auth-token the data needs the token, and Copy link carries it to a fresh browser", async ({
  browser,
}) => {
  // No token: the page loads but says how to get in, and shows no cluster data.
  const stranger = await browser.newContext();
  const s = await stranger.newPage();
  await s.goto(`${server.url}/`);
  await expect(s.getByTestId("banner-load")).toContainText("needs an access token");
  await expect(s.locator(".cluster-name")).not.toHaveText(hostile.cluster);
  // A wrong token: refused, said so, and no token cookie is handed out for it.
  await s.goto(`${server.url}/?token=wrong-token-0123456789`);
  await expect(s.getByTestId("banner-load")).toContainText("the access token is wrong");
  expect((await stranger.cookies()).map((c) => c.name)).not.toContain("eni_view_token");
  await stranger.close();

  const context = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  const { page } = await newPage(context);
  await page.goto(`${server.url}/?token=${TOKEN}#group=nodeGroup`);
  await waitDrawn(page);
  const cookie = (await context.cookies()).find((c) => c.name === "eni_view_token");
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe("Strict");
  await page.getByTestId("copy-link").click();
  await expect(page.getByTestId("toolbar-note")).toHaveText("Link copied");
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toBe(`${server.url}/?token=${TOKEN}#group=nodeGroup`);
  await context.close();

  const other = await browser.newContext();
  const { page: page2 } = await newPage(other);
  await page2.goto(link);
  await waitDrawn(page2);
  await expect(page2.getByTestId("group")).toHaveValue("nodeGroup");
  await expect(page2.locator(".cluster-name")).toHaveText(hostile.cluster);
  await other.close();
});

test("Freeze gives a permalink that reopens the same state read-only, also after a restart", async ({
  browser,
}) => {
  const context = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  const { page } = await newPage(context);
  await page.goto(`${server.url}/?token=${TOKEN}#color=phase`);
  await waitDrawn(page);
  await page.getByTestId("freeze").click();
  const linkBox = page.getByTestId("freeze-link");
  await expect(linkBox).toBeVisible();
  const link = await linkBox.inputValue();
  expect(link).toMatch(
    new RegExp(`^${escapeRe(server.url)}/\\?snapshot=[A-Za-z0-9_-]{22}&token=${TOKEN}#color=phase$`),
  );
  await expect(page.getByTestId("freeze-panel")).toContainText("Frozen at");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  await context.close();

  // The server restarts on the same snapshot file; the link still opens the frozen state.
  await server.stop();
  server = await startCli(serverArgs);
  const reopened = link.replace(/^http:\/\/127\.0\.0\.1:\d+/, server.url);

  const reviewer = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  const { page: r, dialogs } = await newPage(reviewer);
  const streamRequests: string[] = [];
  r.on("request", (req) => {
    if (req.url().includes("/api/stream")) streamRequests.push(req.url());
  });
  expect((await r.goto(reopened))?.status()).toBe(200);
  await waitDrawn(r);
  await expect(r.getByTestId("frozen-banner")).toContainText("Frozen at");
  await expect(r.getByTestId("frozen-banner")).toContainText("not live");
  await expect(r.getByTestId("live-state")).toHaveText("frozen");
  await expect(r.getByTestId("color")).toHaveValue("phase");
  await expect(r.getByTestId("freeze")).toHaveCount(0);
  // Passing the frozen view on keeps the snapshot and the token; the way back to live keeps the token.
  await r.getByTestId("copy-link").click();
  await expect(r.getByTestId("toolbar-note")).toHaveText("Link copied");
  expect(await r.evaluate(() => navigator.clipboard.readText())).toBe(reopened);
  await expect(r.getByTestId("open-live")).toHaveAttribute("href", `/?token=${TOKEN}#color=phase`);
  await expectTooltip(r, hostilePodKey);
  expect(streamRequests).toEqual([]);
  expect(await injected(r)).toEqual([]);
  expect(dialogs).toEqual([]);

  // A bad or unknown id: a clear message, not a blank page.
  // The HTTP status says so too (404), for link checkers and curl.
  const dead = await r.goto(`${server.url}/?snapshot=AAAAAAAAAAAAAAAAAAAAAA&token=${TOKEN}`);
  expect(dead?.status()).toBe(404);
  await expect(r.getByTestId("snapshot-missing")).toContainText("not found or has expired");
  await r.goto(`${server.url}/?snapshot=${encodeURIComponent("<b>x</b>")}&token=${TOKEN}`);
  await expect(r.getByTestId("snapshot-missing")).toContainText("not found or has expired");
  expect(await injected(r)).toEqual([]);
  await reviewer.close();
});

test("with --no-snapshots, Freeze says it is not available instead of failing silently", async ({
  browser,
}) => {
  const plain = await startCli(["--dump", join(dir, "capture"), "--no-snapshots"]);
  try {
    const context = await browser.newContext();
    const { page } = await newPage(context);
    await page.goto(`${plain.url}/`);
    await waitDrawn(page);
    await page.getByTestId("freeze").click();
    await expect(page.getByTestId("freeze-error")).toHaveText(
      "Freeze is not available: this server runs without a snapshot store",
    );
    await expect(page.getByTestId("freeze-link")).toHaveCount(0);
    await context.close();
  } finally {
    await plain.stop();
  }
});

test("quotes and very long names from the simulated cluster stay text and stay on screen", async ({
  browser,
}) => {
  // The simulator, like a cluster, sends whatever names its objects have; this scenario's are quoted,
  // marked up and very long (see e2e/fixtures/hostile-sim.json).
  const scenario = new URL("../fixtures/hostile-sim.json", import.meta.url).pathname;
  const sim = await startCli([
    "--source",
    "sim",
    "--scenario",
    scenario,
    "--speed",
    "10",
    "--state-dir",
    join(dir, "sim"),
    "--snapshot-db",
    join(dir, "sim-db", "snapshots.db"),
  ]);
  try {
    const declared = JSON.parse(readFileSync(scenario, "utf8")) as {
      clusterName: string;
      deployments: { namespace: string; name: string }[];
    };
    const [quoted, long] = declared.deployments;
    const context = await browser.newContext();
    const { page, dialogs } = await newPage(context);
    await page.goto(`${sim.url}/#group=nodeGroup`);
    await waitDrawn(page);
    await expect(page.locator(".cluster-name")).toHaveText(declared.clusterName);

    // Both pods get an IP (the simulated IPAMD runs 10x fast); find their keys as the page has them.
    let keys: string[] = [];
    await expect(async () => {
      const t = (await (await page.request.get(`${sim.url}/api/topology`)).json()) as {
        pods: { namespace: string; name: string; ip: string | null }[];
      };
      keys = t.pods
        .filter((p) => p.ip && (p.namespace === quoted!.namespace || p.name.startsWith(long!.name)))
        .map((p) => `${p.namespace}/${p.name}`);
      expect(keys).toHaveLength(2);
    }).toPass({ timeout: 30_000 });

    for (const key of keys) {
      await expectTooltip(page, key);
      // A 244-character pod name must not push the tooltip off the window.
      const box = await page.getByTestId("tooltip").boundingBox();
      const viewport = page.viewportSize()!;
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width);
    }
    await page.mouse.move(5, 500);

    // Searching by the quoted namespace finds exactly its pod.
    await page.locator("body").press("/");
    await page.getByTestId("search").fill(`namespace=${quoted!.namespace}`);
    await expect(page.getByTestId("match-count")).toHaveText("1 match");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("export-svg").click(),
    ]);
    const svg = readFileSync((await download.path())!, "utf8");
    expect(svg).not.toContain("<b>");
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, "image/svg+xml");
      return {
        title: doc.querySelector("title")?.textContent ?? "",
        texts: [...doc.querySelectorAll("text")].map((t) => t.textContent ?? ""),
      };
    }, svg);
    expect(parsed.title.startsWith(declared.clusterName)).toBe(true);
    // Grouped by node group: the quoted group name heads its group, as characters.
    expect(parsed.texts.some((t) => t.startsWith(`ng-"1" `))).toBe(true);
    expect(await injected(page)).toEqual([]);
    expect(dialogs).toEqual([]);
    await context.close();
  } finally {
    await sim.stop();
  }
});

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
