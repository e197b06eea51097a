import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { startSim } from "./index.ts";

const dir = () => mkdtempSync(join(tmpdir(), "sim-start-"));

function handles(): string[] {
  return process.getActiveResourcesInfo().filter((r) => r !== "TTYWrap" && r !== "PipeWrap");
}

test("stop() closes every server and timer: nothing started by the simulator stays alive", async () => {
  const baseline = handles().length;
  const sim = await startSim({ stateDir: dir() });
  const res = await fetch(`${sim.adminUrl}/faults`);
  assert.equal(res.status, 200);
  assert.ok(handles().length > baseline);
  await sim.stop();
  // Sockets finish closing on the next turns of the event loop.
  for (let i = 0; i < 100 && handles().length > baseline; i++) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(handles().slice(baseline), [], "handles left after stop()");
});

test("the same seed builds the same cluster; another seed a different one", async () => {
  const names = async (seed: number) => {
    const sim = await startSim({ seed, clock: "manual", stateDir: dir() });
    const out = [...sim.store.all("nodes")].map((n) => `${n.metadata.name} ${n.spec.providerID}`).sort();
    const pods = [...sim.store.all("pods")].map((p) => `${p.metadata.name} ${p.status.podIP}`).sort();
    await sim.stop();
    return [...out, ...pods];
  };
  assert.deepEqual(await names(7), await names(7));
  assert.notDeepEqual(await names(7), await names(8));
});

test("bad options and scenario files are refused with messages naming the problem", async () => {
  await assert.rejects(
    startSim({ scenario: "scale-labs" }),
    /unknown scenario "scale-labs" \(built in: scale-lab, c5d-lab, custom-networking-lab, efa-lab, fargate-lab, fragmented-lab, ipv6-lab, kops-lab, large, prefix-lab, windows-lab;/,
  );
  await assert.rejects(
    startSim({ scenario: "scale-lab", nodes: 10 }),
    /has a fixed size; --nodes and --pods-per-node apply to generated scenarios/,
  );
  await assert.rejects(startSim({ scenario: "large", nodes: 0 }), /nodes must be a whole number >= 1/);
  await assert.rejects(
    startSim({ faults: { ec2ThrottleRate: 3 } }),
    /ec2ThrottleRate must be a number from 0 to 1/,
  );
  const d = dir();
  const broken = join(d, "broken.json");
  writeFileSync(broken, '{"name": "x"');
  await assert.rejects(startSim({ scenario: broken }), /broken.json is not JSON/);
  const wrong = join(d, "wrong.json");
  writeFileSync(
    wrong,
    JSON.stringify({
      name: "wrong",
      description: "a node group of an unknown type",
      region: "ap-northeast-2",
      clusterName: "c",
      vpcCidr: "10.0.0.0/16",
      subnets: [{ zone: "ap-northeast-2a", zoneId: "apne2-az1", cidr: "10.0.1.0/24", name: "a" }],
      cni: { version: "v1.19.2-eksbuild.1" },
      nodeGroups: [{ name: "ng", instanceType: "t3.medium", perSubnet: 0 }],
    }),
  );
  await assert.rejects(
    startSim({ scenario: wrong }),
    /nodeGroups\[0\]\.perSubnet: must be a whole number >= 1/,
  );
  await assert.rejects(
    startSim({ scenario: join(d, "missing.json") }),
    /cannot read scenario file .*missing.json: ENOENT/,
  );
});

test("c5d-lab nodes allow 29 pods: 3 x (10 - 1) + 2", async () => {
  const sim = await startSim({ scenario: "c5d-lab", clock: "manual", stateDir: dir() });
  const pods = [...sim.store.all("nodes")].map((n) => n.status.allocatable.pods);
  await sim.stop();
  assert.deepEqual(pods, ["29", "29", "29"]);
});
