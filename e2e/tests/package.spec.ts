// The published package, as a user meets it: `npm pack`, then `npm install eni-view-X.tgz` in an empty
// folder with a fresh npm cache (no repository, no workspace links), then `npx eni-view` on Node.js 24
// and on Node.js 22 (the `node` package from the npm registry): --version, a capacity query, a report on
// a capture folder, capture and sim, and `start`, whose dashboard must draw the simulated cluster's nodes
// in Chromium. Node.js 20 gets the one line that names the supported versions.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import {
  type InstalledPackage,
  installNode,
  installPackage,
  packPackage,
} from "../../scripts/package/install.ts";
import { DashboardPage } from "../pages/DashboardPage.ts";
import { repoRoot } from "../support/system.ts";

const version = (JSON.parse(readFileSync(`${repoRoot}package.json`, "utf8")) as { version: string }).version;
/** The commit the package is built from, as --version and the page's footer print it. */
const headCommit = () =>
  execFileSync("git", ["rev-parse", "--short=12", "HEAD"], { cwd: repoRoot, encoding: "utf8" }).trim();
let dir: string;
let tarball: string;
let packed: string[];

/** Everything the tarball may hold: the bundled code, the web app, the scenarios, the manifests and the
 * user-facing documents. A new kind of file must be added here on purpose. */
const allowed = [
  /^(package\.json|npm-shrinkwrap\.json|README\.md|CHANGELOG\.md|LICENSE)$/,
  /^lib\/[\w-]+\.js$/,
  /^scenarios\/[\w-]+\.json$/,
  /^web\/dist\/index\.html$/,
  /^web\/dist\/assets\/[\w-]+\.(js|css|js\.map)$/,
];

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  dir = mkdtempSync(join(tmpdir(), "eni-view-e2e-package-"));
  ({ tarball, files: packed } = await packPackage(dir));
});

test("the tarball holds the CLI, the web app and the scenarios, and no tests, fixtures, e2e or bench code", () => {
  expect(packed.filter((f) => !allowed.some((re) => re.test(f)))).toEqual([]);
  expect(packed.filter((f) => /test|spec|fixture|e2e|bench/i.test(f))).toEqual([]);
  for (const must of [
    "lib/eni-view.js",
    "lib/ec2Worker.js",
    "lib/planThread.js",
    "web/dist/index.html",
    "scenarios/scale-lab.json",
  ])
    expect(packed).toContain(must);
  // A bundled test helper would show as an import of the test runner or of Playwright.
  const code = packed.filter((f) => f.startsWith("lib/"));
  const pkgDir = `${repoRoot}dist/package/`;
  for (const f of code)
    expect(readFileSync(pkgDir + f, "utf8")).not.toMatch(/from "(node:test|@playwright\/test)"/);
});

test.afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

for (const node of ["24", "22"] as const) {
  test.describe(`npx eni-view on Node.js ${node}`, () => {
    let pkg: InstalledPackage;

    test.beforeAll(async () => {
      test.setTimeout(180_000);
      const nodeBin = node === "24" ? join(process.execPath, "..") : await installNode(node, dir);
      pkg = await installPackage(tarball, nodeBin, dir);
    });

    test("--version names the version, the commit and the Node.js it runs on", async () => {
      const r = await pkg.npx(["--version"]);
      expect(r.code).toBe(0);

      expect(r.stdout.trim()).toMatch(
        new RegExp(
          `^eni-view ${version} \\(commit ${headCommit()}, Node\\.js v${node}\\.\\d+\\.\\d+, linux/`,
        ),
      );
    });

    if (node === "22") {
      test("an older Node.js gets one line naming the supported ones, not a stack trace", async () => {
        const r = await pkg.npx(["--version"], await installNode("20", dir));
        expect(r.code).toBe(1);
        expect(r.stdout).toBe("");
        expect(r.stderr.trim()).toMatch(
          /^eni-view needs Node\.js \^22\.12\.0 \|\| \^24\.0\.0, this is v20\.\d+\.\d+: [^\n]+$/,
        );
      });
    }

    test("capacity -o json", async () => {
      const r = await pkg.npx(["capacity", "t3.medium", "-o", "json"]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const [t3] = JSON.parse(r.stdout) as { instanceType: string; maxEnis: number; maxPods: number }[];
      expect(t3).toMatchObject({ instanceType: "t3.medium", maxEnis: 3, maxPods: 17 });
    });

    test("reports on a capture folder outside the repository", async () => {
      const capture = join(pkg.dir, "my-capture");
      cpSync(`${repoRoot}apps/server/src/sources/dump/fixtures/scale-lab-2`, capture, { recursive: true });
      const r = await pkg.npx(["report", "--dump", capture]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("3 nodes · ENIs 5 of 9");
    });

    test("capture --source sim writes a folder that report reads; sim serves the Kubernetes and EC2 APIs", async () => {
      const capture = join(pkg.dir, "sim-capture");
      const c = await pkg.npx(["capture", "--source", "sim", "--out", capture]);
      expect(c.code).toBe(0);
      const r = await pkg.npx(["report", "--dump", capture]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^3 nodes · ENIs \d+ of 9/m);
      const sim = await pkg.spawn(["sim"], /^\s+EC2 API\s+(http:\/\/127\.0\.0\.1:\d+)/);
      try {
        expect(sim.output()).toMatch(/Kubernetes API\s+https:\/\/127\.0\.0\.1:\d+/);
      } finally {
        await sim.stop();
      }
    });

    test("start: the simulator and the dashboard, drawn in Chromium", async ({ page }) => {
      const running = await pkg.spawn(
        ["start", "--port", "0"],
        /eni-view is running\. Open (http:\/\/\S+?)\/?$/,
      );
      try {
        const dashboard = new DashboardPage(page, running.match[1]!);
        await dashboard.open();
        await expect(dashboard.stat("nodes")).toHaveText("3");
        const topology = await dashboard.topology();
        expect(topology.nodes).toHaveLength(3);
        // The ENIs come from the simulator's EC2 API through the package's worker thread (lib/ec2Worker.js).
        expect(topology.summary.enisAttached).toBeGreaterThan(0);
        for (const n of topology.nodes) expect(await dashboard.pointAt(n.name)).toBeTruthy();
        await expect(page.getByTestId("version")).toHaveText(`eni-view ${version} (commit ${headCommit()})`);
        if (node === "24") await page.screenshot({ path: `${repoRoot}test-results/package-start.png` });
      } finally {
        await running.stop();
      }
    });
  });
}
