// A server that has not read the whole cluster yet shows how far it got and never an empty picture: a
// second `eni-view serve` on the shared simulator, started while the simulator refuses to list pods
// (RBAC without pods, or a first list that takes minutes on a big cluster), as a restarted server would
// be. The page says "loading" with the server's words; once pods can be listed, the cluster appears
// and the badge turns live.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { DashboardPage } from "../pages/DashboardPage.ts";
import { type CliServer, startCli } from "../support/cliServer.ts";
import { env, setFaults } from "../support/cluster.ts";

let server: CliServer | null = null;

test.afterAll(async () => {
  await setFaults({ forbidden: [] });
  await server?.stop();
});

test("until the server has listed everything, the page shows its progress, not 0 nodes and not live", async ({
  page,
}) => {
  const stateDir = process.env.E2E_STATE_DIR!;
  const endpoints = JSON.parse(readFileSync(join(stateDir, "endpoints.json"), "utf8")) as {
    ec2: string;
    region: string;
  };
  await setFaults({ forbidden: ["pods"] });
  server = await startCli(
    ["--kubeconfig", env("E2E_KUBECONFIG"), "--ec2-endpoint", endpoints.ec2, "--region", endpoints.region],
    {
      AWS_ACCESS_KEY_ID: "AKIAENIVIEWE2E000000",
      AWS_SECRET_ACCESS_KEY: "e2e",
      AWS_EC2_METADATA_DISABLED: "true",
    },
  );
  const dash = new DashboardPage(page, server.url);
  await page.goto(`${server.url}/`);
  await expect(page.getByTestId("loading")).toContainText(
    "Loading the cluster topology: listing pods failed: Forbidden: pods (retrying)",
  );
  await expect(page.getByTestId("live-state")).toHaveText("loading");
  await expect(page.getByTestId("live-state")).toHaveAttribute("title", /the server is reading the cluster/);
  // Nothing of a half-read cluster: no empty map, no summary of zeros, no empty Pending tray.
  await expect(page.getByTestId("empty")).toHaveCount(0);
  await expect(page.getByTestId("summary")).toHaveCount(0);
  await expect(page.getByTestId("pending-tray")).toHaveCount(0);
  const res = await page.request.get(`${server.url}/api/topology`);
  expect(res.status()).toBe(503);
  expect(((await res.json()) as { error: string }).error).toBe("loading");

  await setFaults({ forbidden: [] });
  await dash.waitDrawn();
  await expect(dash.stat("nodes")).toHaveText("3");
  await expect(page.getByTestId("live-state")).toHaveText("live");
  await expect(page.getByTestId("loading")).toHaveCount(0);
});
