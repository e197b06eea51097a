// A plan agrees with what then happens: each test plans a change on the simulator (read as a server reads
// a cluster), makes the same change for real with kubectl or the node-group endpoint, lets the simulator
// settle on its manual clock, and compares node by node. Exact where upstream is deterministic, within
// the seeds' range where it is not.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type PlanChange, planCluster } from "@eni-view/model";
import { type Sim, startSim } from "@eni-view/sim";

import { assertAgrees } from "../testing/planAgreement.ts";
import { simKubectl as kubectl, readSimInput, simRunFor as runFor } from "../testing/simInput.ts";

const nginx = { kind: "Deployment", namespace: "default", name: "nginx-deployment" } as const;

function onScenario(scenario: string, body: (sim: () => Sim) => void): void {
  describe(scenario, () => {
    let sim: Sim | undefined;
    before(async () => {
      sim = await startSim({
        scenario,
        clock: "manual",
        stateDir: mkdtempSync(join(tmpdir(), `plan-${scenario}-`)),
      });
    });
    after(() => sim?.stop());
    body(() => sim as Sim);
  });
}

async function planThenDo(
  sim: Sim,
  changes: PlanChange[],
  act: () => Promise<void>,
  settleMs = 300_000,
): Promise<void> {
  const before = await readSimInput(sim);
  const plan = planCluster({ cluster: before, changes });
  await act();
  await runFor(sim, settleMs);
  assertAgrees(plan, before, await readSimInput(sim));
}

onScenario("scale-lab", (sim) => {
  test("scaling nginx 2 -> 50 fills every t3.medium to 17 pods on 3 ENIs and leaves 7 Too many pods", async () => {
    await planThenDo(sim(), [{ kind: "scale", workload: nginx, replicas: 50 }], async () => {
      await kubectl(sim(), "scale", "deployment", "nginx-deployment", "--replicas=50");
    });
  });
});
