// A server that has not read the whole cluster yet shows how far it got and never an empty picture: a
// second `eni-view serve` on the shared simulator, started while the simulator refuses to list pods
// (RBAC without pods, or a first list that takes minutes on a big cluster), as a restarted server would
// be. The page says "loading" with the server's words; once pods can be listed, the cluster appears
// and the badge turns live.
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { DashboardPage } from "../pages/DashboardPage.ts";
import { englishOnPage } from "../pages/englishLeft.ts";
import { type CliServer, startCli } from "../support/cliServer.ts";
import { env, setFaults } from "../support/cluster.ts";

let server: CliServer | null = null;

test.describe.configure({ mode: "serial" });

test.afterAll(async () => {
  await setFaults({ forbidden: [] });
  await server?.stop();
});

/** `eni-view serve` reading the shared simulator as a cluster, the way it reads a real one. */
function serveCluster(extra: string[] = []): Promise<CliServer> {
  const endpoints = JSON.parse(readFileSync(join(process.env.E2E_STATE_DIR!, "endpoints.json"), "utf8")) as {
    ec2: string;
    region: string;
  };
  return startCli(
    [
      "--kubeconfig",
      env("E2E_KUBECONFIG"),
      "--ec2-endpoint",
      endpoints.ec2,
      "--region",
      endpoints.region,
      ...extra,
    ],
    {
      AWS_ACCESS_KEY_ID: "AKIAENIVIEWE2E000000",
      AWS_SECRET_ACCESS_KEY: "e2e",
      AWS_EC2_METADATA_DISABLED: "true",
    },
  );
}

/** A port free now, so a restarted server can come back where the page looks for it. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

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
  // The same state in Korean: the server's steps said by the page, the API server's words verbatim.
  await page.getByTestId("language").selectOption("ko");
  await expect(page.getByTestId("loading")).toContainText(
    "파드 목록 읽기 실패: Forbidden: pods (다시 시도하는 중)",
  );
  expect(await englishOnPage(page, ["Forbidden", "pods"])).toEqual([]);
  await page.getByTestId("language").selectOption("auto");

  await setFaults({ forbidden: [] });
  await dash.waitDrawn();
  await expect(dash.stat("nodes")).toHaveText("3");
  await expect(page.getByTestId("live-state")).toHaveText("live");
  await expect(page.getByTestId("loading")).toHaveCount(0);
});

test("a page whose server restarts keeps its last picture until the new server has read everything", async ({
  page,
}) => {
  await server?.stop();
  const port = String(await freePort());
  server = await serveCluster(["--port", port]);
  const dash = new DashboardPage(page, server.url);
  await dash.open();
  await expect(dash.stat("nodes")).toHaveText("3");
  await expect(page.getByTestId("live-state")).toHaveText("live");

  await setFaults({ forbidden: ["pods"] });
  await server.stop();
  // While it is away the page says so, in Korean too.
  await page.getByTestId("language").selectOption("ko");
  await expect(page.getByTestId("banner-stream")).toContainText(
    /서버의 이벤트 스트림과 연결이 끊겼습니다|서버가 이벤트 스트림을 닫았습니다/,
  );
  // A request made while the server is gone (the timeline's, when it comes round) fails with the browser's
  // own words, which the page shows verbatim beside its Korean, as it does the API server's.
  expect(await englishOnPage(page, ["Failed", "to", "fetch"])).toEqual([]);
  await page.getByTestId("language").selectOption("auto");
  server = await serveCluster(["--port", port]);
  await expect(page.getByTestId("banner-loading")).toContainText(
    "The server is reading the cluster again (listing pods failed: Forbidden: pods (retrying))",
  );
  await expect(page.getByTestId("live-state")).toHaveText("loading");
  // The picture from before the restart stays: its nodes, no "No nodes yet".
  await expect(dash.stat("nodes")).toHaveText("3");
  await expect(page.getByTestId("empty")).toHaveCount(0);
  await expect(dash.canvas).toBeVisible();

  await setFaults({ forbidden: [] });
  await expect(page.getByTestId("live-state")).toHaveText("live", { timeout: 30_000 });
  await expect(page.getByTestId("banner-loading")).toHaveCount(0);
  await expect(dash.stat("nodes")).toHaveText("3");
});
