import assert from "node:assert/strict";
import { test } from "node:test";
import { labFit, suggestedLabs } from "./labChoice.ts";
import { labById, labs } from "./labs.ts";
import type { SimulatorInfo } from "./labTypes.ts";

const simOn = (scenario: string): SimulatorInfo => ({
  kubeconfig: "/tmp/eni-view-sim-x/kubeconfig",
  ec2Url: "http://127.0.0.1:4566",
  adminUrl: "http://127.0.0.1:4567",
  region: "ap-northeast-2",
  scenario,
});
const ids = (l: { id: string }[]) => l.map((x) => x.id);

test("the simulator's running scenario suggests the labs written for it", () => {
  assert.deepEqual(ids(suggestedLabs(labs, simOn("custom-networking-lab"))), ["custom-networking"]);
  assert.deepEqual(ids(suggestedLabs(labs, simOn("kops-lab"))), ["raise-limit-kops"]);
  assert.deepEqual(ids(suggestedLabs(labs, simOn("fragmented-lab"))), ["subnet-exhaustion"]);
  assert.deepEqual(ids(suggestedLabs(labs, simOn("scale-lab"))), [
    "max-pods",
    "warm-pool",
    "scale",
    "raise-limit",
  ]);
  // A scenario no lab is written for, a real cluster, or not known yet: no suggestion.
  assert.deepEqual(suggestedLabs(labs, simOn("efa-lab")), []);
  assert.deepEqual(suggestedLabs(labs, null), []);
  assert.deepEqual(suggestedLabs(labs, undefined), []);
});

test("a lab for another scenario names it and the exact command that starts it", () => {
  const custom = labById("custom-networking")!;
  assert.deepEqual(labFit(custom, simOn("scale-lab")), {
    kind: "switch",
    scenario: "custom-networking-lab",
    running: "scale-lab",
    command: "npx eni-view start --scenario custom-networking-lab",
  });
  assert.deepEqual(labFit(custom, simOn("custom-networking-lab")), { kind: "fits" });
  // On a real cluster the lab only watches; the command is for trying it on the simulator.
  assert.deepEqual(labFit(labById("raise-limit-kops")!, null), {
    kind: "watch",
    scenario: "kops-lab",
    command: "npx eni-view start --scenario kops-lab",
  });
  assert.deepEqual(labFit(custom, undefined), { kind: "unknown" });
});

test("every lab's scenario is one the simulator ships", async () => {
  const { readdir } = await import("node:fs/promises");
  const shipped = (await readdir(new URL("../../../../packages/sim/scenarios/", import.meta.url)))
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.replace(/\.json$/, ""));
  for (const l of labs) assert.ok(shipped.includes(l.scenario), `${l.id}: ${l.scenario}`);
});
