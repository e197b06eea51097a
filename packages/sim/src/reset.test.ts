// "Reset the lab": the simulator starts its scenario again (or another one) on the same URLs, so the
// KUBECONFIG a learner exported keeps working, and a client watching from before is told to list again.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { kubectl, kubectlJson } from "./clientsForTests.ts";
import { startSim } from "./index.ts";

const sim = await startSim({ clock: "manual", stateDir: mkdtempSync(join(tmpdir(), "reset-")) });
after(() => sim.stop());

type Named = { items: { metadata: { name: string; labels?: Record<string, string> } }[] };

test("a reset brings the scale lab back to 2 replicas on the same URLs, and can switch to kOps", async () => {
  const urls = [sim.kubernetesUrl, sim.ec2Url, sim.adminUrl];
  await kubectl(sim, "scale", "deployment", "nginx-deployment", "--replicas=8");
  const before = Number(sim.store.resourceVersion());
  const res = await fetch(`${sim.adminUrl}/reset`, { method: "POST" });
  assert.deepEqual(await res.json(), { scenario: "scale-lab" });
  const deploy = await kubectlJson<{ spec: { replicas: number } }>(
    sim,
    "get",
    "deployment",
    "nginx-deployment",
  );
  assert.equal(deploy.spec.replicas, 2);
  assert.deepEqual([sim.kubernetesUrl, sim.ec2Url, sim.adminUrl], urls);
  // Past the old store's versions: a watch resuming from one of them gets 410 Gone and lists again.
  assert.ok(sim.store.oldestResourceVersion() > before);

  const kops = await fetch(`${sim.adminUrl}/reset`, { method: "POST", body: '{"scenario": "kops-lab"}' });
  assert.deepEqual(await kops.json(), { scenario: "kops-lab" });
  const nodes = await kubectlJson<Named>(sim, "get", "nodes");
  assert.equal(nodes.items.length, 3);
  for (const n of nodes.items) assert.equal(n.metadata.labels?.["kops.k8s.io/instancegroup"], "nodes");
  const endpoints = JSON.parse(readFileSync(sim.endpointsPath, "utf8")) as { scenario: string };
  assert.equal(endpoints.scenario, "kops-lab");
  assert.equal(sim.scenario.name, "kops-lab");

  // A scenario that does not load leaves the running one alone.
  const bad = await fetch(`${sim.adminUrl}/reset`, { method: "POST", body: '{"scenario": "no-such-lab"}' });
  assert.equal(bad.status, 400);
  assert.equal(sim.scenario.name, "kops-lab");
  assert.equal((await kubectlJson<Named>(sim, "get", "nodes")).items.length, 3);
});
