// A subnet too small for the pods (domain section 0, subnet planning): the pods that get no IP stay
// ContainerCreating with the kubelet's real FailedCreatePodSandBox event, seen through kubectl.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { kubectl, kubectlJson, runFor } from "./clientsForTests.ts";
import { type Sim, startSim } from "./index.ts";

let sim: Sim;
before(async () => {
  const dir = mkdtempSync(join(tmpdir(), "tiny-subnet-"));
  const scenario = join(dir, "tiny-subnet.json");
  writeFileSync(
    scenario,
    JSON.stringify({
      name: "tiny-subnet",
      description: "One t3.medium in a /28 subnet: 11 usable addresses.",
      region: "ap-northeast-2",
      clusterName: "tiny",
      vpcCidr: "192.168.0.0/16",
      subnets: [{ zone: "ap-northeast-2a", zoneId: "apne2-az1", cidr: "192.168.9.0/28", name: "tiny-a" }],
      cni: { version: "v1.19.2-eksbuild.1", env: {} },
      nodeGroups: [{ name: "ng1", instanceType: "t3.medium", perSubnet: 1 }],
      system: { awsNode: true, kubeProxy: true, corednsReplicas: 0 },
      deployments: [
        {
          namespace: "default",
          name: "web",
          replicas: 8,
          labels: { app: "web" },
          containers: [{ name: "web", image: "nginx:alpine" }],
        },
      ],
    }),
  );
  sim = await startSim({ scenario, clock: "manual", stateDir: dir });
});
after(() => sim.stop());

test("pods beyond the subnet's free IPs stay ContainerCreating with FailedCreatePodSandBox", async () => {
  await runFor(sim, 60_000);
  const pods = (
    await kubectlJson<{
      items: {
        metadata: { name: string };
        status: {
          phase: string;
          podIP?: string;
          containerStatuses?: { state: { waiting?: { reason: string } } }[];
        };
      }[];
    }>(sim, "get", "pods", "-l", "app=web")
  ).items;
  const running = pods.filter((p) => p.status.phase === "Running");
  const creating = pods.filter(
    (p) => p.status.containerStatuses?.[0]?.state.waiting?.reason === "ContainerCreating",
  );
  // /28 = 16 - 5 reserved by AWS = 11: the node's IP and its 2nd ENI (primary + 5) leave too few for a 3rd ENI.
  assert.ok(running.length > 0 && running.length < 8, `${running.length} running`);
  assert.equal(creating.length, 8 - running.length);
  const { stdout } = await kubectl(sim, "get", "pods", "-l", "app=web");
  assert.match(stdout, /ContainerCreating/);
  const events = await kubectl(
    sim,
    "get",
    "events",
    "--field-selector",
    "reason=FailedCreatePodSandBox",
    "-o",
    "jsonpath={.items[*].message}",
  );
  assert.match(
    events.stdout,
    /Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "[0-9a-f]{64}": plugin type="aws-cni" name="aws-cni" failed \(add\): add cmd: failed to assign an IP address to container/,
  );
  const subnets = await kubectl(sim, "describe", "pod", creating[0]?.metadata.name as string);
  assert.match(subnets.stdout, /Warning\s+FailedCreatePodSandBox/);
});

test("with every EC2 call throttled, new pods wait in ContainerCreating until the throttling stops", async () => {
  const throttled = await startSim({
    scenario: "scale-lab",
    clock: "manual",
    stateDir: mkdtempSync(join(tmpdir(), "throttled-")),
  });
  try {
    throttled.faults.update({ ec2ThrottleRate: 1 });
    // 33 nginx + 2 CoreDNS: 11 or 12 IP-using pods per node, more than the 10 IPs of 2 ENIs; the 3rd ENI
    // is an EC2 call IPAMD cannot make while EC2 refuses.
    await kubectl(throttled, "scale", "deployment", "nginx-deployment", "--replicas=33");
    await runFor(throttled, 60_000);
    const waiting = async () =>
      (
        await kubectlJson<{
          items: { status: { containerStatuses?: { state: { waiting?: { reason: string } } }[] } }[];
        }>(throttled, "get", "pods", "-l", "app=nginx")
      ).items.filter((p) => p.status.containerStatuses?.[0]?.state.waiting?.reason === "ContainerCreating")
        .length;
    assert.ok((await waiting()) > 0, "some pods wait for an IP while EC2 throttles");
    throttled.faults.update({ ec2ThrottleRate: 0 });
    await runFor(throttled, 3 * 60_000);
    assert.equal(await waiting(), 0, "all pods get an IP once EC2 answers again");
  } finally {
    await throttled.stop();
  }
});
