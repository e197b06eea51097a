// A plan agrees with what then happens: each test plans a change on the simulator (read as a server reads
// a cluster), makes the same change for real with kubectl or the node-group endpoint, lets the simulator
// settle on its manual clock, and compares node by node. Exact where upstream is deterministic, within
// the seeds' range where it is not.

import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type PlanChange, type PlanResult, planCluster } from "@eni-view/model";
import { type Sim, type StartSimOptions, startSim } from "@eni-view/sim";

import { assertAgrees } from "../testing/planAgreement.ts";
import { simKubectl as kubectl, readSimInput, simRunFor as runFor, simAdmin } from "../testing/simInput.ts";

const nginx = { kind: "Deployment", namespace: "default", name: "nginx-deployment" } as const;

function onScenario(
  scenario: string,
  body: (sim: () => Sim) => void,
  options: Partial<StartSimOptions> = {},
): void {
  describe(scenario, () => {
    let sim: Sim | undefined;
    before(async () => {
      sim = await startSim({
        scenario,
        clock: "manual",
        stateDir: mkdtempSync(join(tmpdir(), `plan-${scenario}-`)),
        ...options,
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
): Promise<PlanResult> {
  const before = await readSimInput(sim);
  const plan = planCluster({ cluster: before, changes });
  await act();
  await runFor(sim, settleMs);
  assertAgrees(plan, before, await readSimInput(sim));
  return plan;
}

onScenario("scale-lab", (sim) => {
  test("scaling nginx 2 -> 50 fills every t3.medium to 17 pods on 3 ENIs and leaves 7 Too many pods", async () => {
    const plan = await planThenDo(sim(), [{ kind: "scale", workload: nginx, replicas: 50 }], async () => {
      await kubectl(sim(), "scale", "deployment", "nginx-deployment", "--replicas=50");
    });
    assert.equal(
      plan.firstLimit,
      "at 43 replicas of Deployment/nginx-deployment every node is at max pods 17 (3 ENIs x 5 IPs + 2)",
    );
    assert.equal(plan.pending.length, 7);
    assert.ok(plan.nodes.every((n) => n.enis.min === 3 && n.enis.max === 3));
  });
});

const setEnv = (sim: Sim, ...pairs: string[]) =>
  kubectl(sim, "set", "env", "daemonset/aws-node", "-n", "kube-system", ...pairs);

onScenario("scale-lab", (sim) => {
  test("prefix delegation, then a roll-over, then 50 nginx: 110 max pods, /28 prefixes on the new nodes", async () => {
    const s = sim();
    const before = await readSimInput(s);
    const plan = planCluster({
      cluster: before,
      changes: [
        { kind: "set", settings: { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1" } },
        { kind: "roll-nodes" },
        { kind: "scale", workload: nginx, replicas: 50 },
      ],
    });
    assert.equal(plan.nodesToReplace.length, 3);
    for (const n of plan.nodes.filter((x) => x.fate === "new")) {
      assert.equal(n.maxPods, 110);
      assert.equal(n.unit, "prefix");
    }
    await setEnv(s, "ENABLE_PREFIX_DELEGATION=true", "WARM_PREFIX_TARGET=1");
    await runFor(s, 60_000);
    await simAdmin(s, "POST", "/nodegroups/ng1/rolling-update?force=true");
    await runFor(s, 1_200_000);
    await kubectl(s, "scale", "deployment", "nginx-deployment", "--replicas=50");
    await runFor(s, 300_000);
    assertAgrees(plan, before, await readSimInput(s));
  });
});

onScenario("scale-lab", (sim) => {
  test("WARM_IP_TARGET=2 and MINIMUM_IP_TARGET=10 with 20 nginx: the pools shrink to the targets", async () => {
    const s = sim();
    await planThenDo(
      s,
      [
        { kind: "set", settings: { WARM_IP_TARGET: "2", MINIMUM_IP_TARGET: "10" } },
        { kind: "scale", workload: nginx, replicas: 20 },
      ],
      async () => {
        // aws-node restarts with the new targets before the pods come, as the plan takes settings first.
        await setEnv(s, "WARM_IP_TARGET=2", "MINIMUM_IP_TARGET=10");
        await runFor(s, 180_000);
        await kubectl(s, "scale", "deployment", "nginx-deployment", "--replicas=20");
      },
      600_000,
    );
  });
});

onScenario("c5d-lab", (sim) => {
  test("50 nginx on c5d.large (max pods 29): every pod fits on 3 ENIs of 9 IPs", async () => {
    await planThenDo(sim(), [{ kind: "scale", workload: nginx, replicas: 50 }], async () => {
      await kubectl(sim(), "scale", "deployment", "nginx-deployment", "--replicas=50");
    });
  });
});

onScenario("c5d-lab", (sim) => {
  test("ENABLE_POD_ENI then 60 nginx: a trunk ENI takes each node's free slot, IPAMD keeps 2 ENIs of 9 IPs", async () => {
    const s = sim();
    const plan = await planThenDo(
      s,
      [
        { kind: "set", settings: { ENABLE_POD_ENI: "true" } },
        { kind: "scale", workload: nginx, replicas: 60 },
      ],
      async () => {
        await setEnv(s, "ENABLE_POD_ENI=true");
        await runFor(s, 60_000);
        await kubectl(s, "scale", "deployment", "nginx-deployment", "--replicas=60");
      },
    );
    for (const n of plan.report.nodes) {
      assert.deepEqual(
        n.enis.map((e) => e.interfaceType === "trunk").sort(),
        [false, false, true],
        `${n.name}: 2 ENIs of IPAMD's and the trunk`,
      );
    }
    assert.ok(plan.pending.some((p) => p.reason === "ip-exhausted"));
  });
});

onScenario("custom-networking-lab", (sim) => {
  test("30 nginx under custom networking: pod ENIs in the ENIConfig subnets, none on the primary", async () => {
    const plan = await planThenDo(sim(), [{ kind: "scale", workload: nginx, replicas: 30 }], async () => {
      await kubectl(sim(), "scale", "deployment", "nginx-deployment", "--replicas=30");
    });
    const podSubnets = new Set(plan.report.nodes.map((n) => n.eniConfig?.subnetId));
    for (const n of plan.report.nodes) {
      for (const e of n.enis)
        if (e.deviceIndex > 0) assert.ok(podSubnets.has(e.subnetId), `${e.id} in ${e.subnetId}`);
      assert.equal(n.enis.find((e) => e.deviceIndex === 0)?.ipsUsed, 0, "no pod on the primary ENI");
    }
  });
});

onScenario("fragmented-lab", (sim) => {
  test("30 nginx where one subnet has no free /28: that node's pods wait for an IP (InsufficientCidrBlocks)", async () => {
    const plan = await planThenDo(sim(), [{ kind: "scale", workload: nginx, replicas: 30 }], async () => {
      await kubectl(sim(), "scale", "deployment", "nginx-deployment", "--replicas=30");
    });
    const dry = plan.subnets.filter((s) => s.runsOut);
    assert.deepEqual(
      dry.map((s) => [s.zone, s.error, s.freeBlocks28After.max]),
      [["ap-northeast-2c", "InsufficientCidrBlocks", 0]],
    );
    assert.ok(plan.pending.some((p) => p.reason === "ip-exhausted"));
    assert.match(plan.firstLimit ?? "", /runs out \(InsufficientCidrBlocks\)/);
  });
});

onScenario(
  "large",
  (sim) => {
    test("the large scenario: its biggest Deployment scaled up by 200 pods", async () => {
      const s = sim();
      const before = await readSimInput(s);
      const counts = new Map<string, number>();
      for (const p of before.pods)
        if (p.owner?.startsWith("Deployment/"))
          counts.set(`${p.namespace}/${p.owner}`, (counts.get(`${p.namespace}/${p.owner}`) ?? 0) + 1);
      const [key, n] = [...counts].sort((a, b) => b[1] - a[1])[0] as [string, number];
      const [namespace, , name] = key.split("/") as [string, string, string];
      const plan = planCluster({
        cluster: before,
        changes: [{ kind: "scale", workload: { kind: "Deployment", namespace, name }, replicas: n + 200 }],
      });
      await kubectl(s, "scale", "deployment", name, "-n", namespace, `--replicas=${n + 200}`);
      await runFor(s, 300_000);
      assertAgrees(plan, before, await readSimInput(s), { byNode: false });
    });
  },
  { nodes: 500 },
);
