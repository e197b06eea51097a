// A plan never changes the cluster: `eni-view plan` pointed at the simulator as at a live cluster (its
// kubeconfig and EC2 endpoint) reads it through the same read-only sources as the server, plans, and
// leaves every Kubernetes object and every ENI as it found them. The simulator's clock stands still, so
// any change seen here would be the plan's.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type Sim, startSim } from "@eni-view/sim";
import { runCli, simAwsEnv, simClusterArgs } from "../testing/cli.ts";
import { readSimInput } from "../testing/simInput.ts";

let sim: Sim;
before(async () => {
  sim = await startSim({
    scenario: "scale-lab",
    clock: "manual",
    stateDir: mkdtempSync(join(tmpdir(), "plan-ro-")),
  });
});
after(() => sim.stop());

test("eni-view plan on a live cluster writes nothing to Kubernetes or EC2", async () => {
  const enisBefore = (await readSimInput(sim)).enis;
  const writes: string[] = [];
  const stop = sim.store.subscribe((c) => writes.push(`${c.type} ${c.resource} ${c.object.metadata.name}`));
  try {
    const { code, stdout, stderr } = await runCli(
      [
        "plan",
        ...simClusterArgs(sim),
        "--scale",
        "default/nginx-deployment=50",
        "--set",
        "ENABLE_PREFIX_DELEGATION=true",
        "--roll-nodes",
      ],
      { env: simAwsEnv },
    );
    assert.equal(code, 0, stderr);
    assert.match(stdout, /Nodes to replace \(3\)/);
  } finally {
    stop();
  }
  assert.deepEqual(writes, []);
  assert.deepEqual((await readSimInput(sim)).enis, enisBefore);
});
