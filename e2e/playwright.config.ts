import { defineConfig } from "@playwright/test";

// One simulated cluster is shared by every test and the scale lab changes it, so tests run in one worker,
// in file order. Debian's Chromium, headless, no GPU: the same browser the benchmark uses.
export default defineConfig({
  testDir: "tests",
  globalSetup: "./support/globalSetup.ts",
  fullyParallel: false,
  workers: 1,
  // The specs drive a live simulator on wall time. On CI's shared cores one retry keeps a slow moment from
  // failing the whole run; a spec that passes only on its retry is listed as "flaky" in the output, and a
  // spec that fails twice still fails the run. Locally a failure is a failure at once.
  retries: process.env.CI ? 1 : 0,
  timeout: 90_000,
  expect: { timeout: 20_000 },
  reporter: [["list"]],
  outputDir: "../test-results/e2e",
  use: {
    viewport: { width: 1600, height: 1000 },
    // The page follows the browser's language; these specs read its English (i18n.spec.ts reads Korean).
    locale: "en-US",
    acceptDownloads: true,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
      ],
    },
  },
});
