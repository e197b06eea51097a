// The system under test, in its own Node process (Node runs this TypeScript natively): the simulated
// cluster (scale lab) and the real eni-view server reading it over the real Kubernetes and EC2 APIs,
// both on 127.0.0.1 with free ports. Prints one JSON line with the addresses, then runs until SIGTERM.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "../../apps/server/src/server.ts";
import { SimSource } from "../../apps/server/src/sources/simSource.ts";

const webDist = new URL("../../apps/web/dist/", import.meta.url).pathname;
const source = new SimSource({
  scenario: process.env.E2E_SCENARIO ?? "scale-lab",
  // Simulated time 10x the wall clock: an IPAMD cycle (5 s) takes half a second.
  speed: Number(process.env.E2E_SPEED ?? 10),
  seed: 7,
  stateDir: mkdtempSync(join(tmpdir(), "eni-view-e2e-")),
  // EC2 read every 2 s so ENI changes show within a test step; retries kept short so a throttle shows quickly.
  ec2IntervalMs: 2000,
  ec2Retries: 1,
  ec2BackoffBaseMs: 100,
});
const server = await startServer(source, {
  host: "127.0.0.1",
  port: 0,
  webDist,
  feed: { coalesceMs: 100, historyStepMs: 2000, statusCheckMs: 500 },
});
const sim = source.endpoints;
if (!sim) throw new Error("the simulator did not start");
console.log(
  JSON.stringify({
    url: server.url,
    kubeconfig: sim.kubeconfigPath,
    adminUrl: sim.adminUrl,
    stateDir: sim.stateDir,
  }),
);

const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
