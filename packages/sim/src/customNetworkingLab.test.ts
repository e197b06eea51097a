// The custom-networking lab: ENIConfig and CNINode served as CRDs (discovery, list, get, watch), nodes
// labelled with their ENIConfig, and IPAMD honouring custom networking: the primary ENI holds no pod IPs,
// every other ENI is in the node's ENIConfig subnet. Driven with the real kubectl and aws CLI.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  awsEc2,
  enisByNode,
  kubectl,
  kubectlJson,
  type NodeJson,
  type PodJson,
  runFor,
} from "./clientsForTests.ts";
import { type Sim, startSim } from "./index.ts";

interface EniConfigJson {
  metadata: { name: string };
  spec: { subnet: string; securityGroups: string[] };
}
interface CniNodeJson {
  metadata: { name: string };
  spec: { features: { name: string; value?: string }[] };
}
interface SubnetJson {
  SubnetId: string;
  CidrBlock: string;
  AvailabilityZone: string;
}

let sim: Sim;
let plain: Sim;
before(async () => {
  [sim, plain] = await Promise.all([
    startSim({
      scenario: "custom-networking-lab",
      clock: "manual",
      stateDir: mkdtempSync(join(tmpdir(), "cn-lab-")),
    }),
    startSim({ scenario: "scale-lab", clock: "manual", stateDir: mkdtempSync(join(tmpdir(), "cn-plain-")) }),
  ]);
});
after(() => Promise.all([sim.stop(), plain.stop()]));

test("kubectl get eniconfigs / cnd list one ENIConfig per AZ and one CNINode per node", async () => {
  const { stdout } = await kubectl(sim, "get", "eniconfigs");
  assert.match(stdout, /^NAME\s+AGE\n/);
  for (const az of ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"])
    assert.match(stdout, new RegExp(`^${az}\\s`, "m"));
  const configs = (await kubectlJson<{ items: EniConfigJson[] }>(sim, "get", "eniconfigs")).items;
  const subnets = (await awsEc2<{ Subnets: SubnetJson[] }>(sim, "describe-subnets")).Subnets;
  for (const c of configs) {
    const subnet = subnets.find((s) => s.SubnetId === c.spec.subnet);
    assert.equal(subnet?.AvailabilityZone, c.metadata.name, `${c.metadata.name}'s subnet is in its AZ`);
    assert.match(subnet?.CidrBlock ?? "", /^100\.64\.\d+\.0\/19$/);
    assert.equal(c.spec.securityGroups.length, 1);
  }
  const one = await kubectlJson<EniConfigJson>(sim, "get", "eniconfig", "ap-northeast-2b");
  assert.equal(one.metadata.name, "ap-northeast-2b");

  const nodes = (await kubectlJson<{ items: NodeJson[] }>(sim, "get", "nodes")).items;
  const cnds = (await kubectlJson<{ items: CniNodeJson[] }>(sim, "get", "cnd")).items;
  assert.deepEqual(cnds.map((c) => c.metadata.name).sort(), nodes.map((n) => n.metadata.name).sort());
  for (const n of nodes) {
    const zone = n.metadata.labels["topology.kubernetes.io/zone"];
    assert.equal(n.metadata.labels["k8s.amazonaws.com/eniConfig"], zone);
    const cnd = cnds.find((c) => c.metadata.name === n.metadata.name);
    // aws-node adds CustomNetworking only with security groups for pods (ENABLE_POD_ENI in this lab).
    assert.deepEqual(cnd?.spec.features, [
      { name: "CustomNetworking", value: zone },
      { name: "SecurityGroupsForPods" },
    ]);
  }
  const { stdout: resources } = await kubectl(sim, "api-resources", "--api-group", "vpcresources.k8s.aws");
  assert.match(resources, /^cninodes\s+cnd\s+vpcresources\.k8s\.aws\/v1alpha1\s+false\s+CNINode$/m);
});

test("custom networking: the primary ENI holds no pod IPs; pod ENIs and pod IPs are in the ENIConfig subnet", async () => {
  await kubectl(sim, "scale", "deployment", "nginx-deployment", "--replicas=12");
  await runFor(sim, 90_000);
  const configs = (await kubectlJson<{ items: EniConfigJson[] }>(sim, "get", "eniconfigs")).items;
  const nodes = (await kubectlJson<{ items: NodeJson[] }>(sim, "get", "nodes")).items;
  const { NetworkInterfaces } = await awsEc2<{
    NetworkInterfaces: {
      NetworkInterfaceId: string;
      SubnetId: string;
      Attachment?: { DeviceIndex: number };
    }[];
  }>(sim, "describe-network-interfaces");
  const subnetOf = new Map(NetworkInterfaces.map((e) => [e.NetworkInterfaceId, e.SubnetId]));
  const pods = (await kubectlJson<{ items: PodJson[] }>(sim, "get", "pods", "-A")).items;
  for (const [nodeName, enis] of await enisByNode(sim)) {
    const node = nodes.find((n) => n.metadata.name === nodeName);
    const want = configs.find(
      (c) => c.metadata.name === node?.metadata.labels["k8s.amazonaws.com/eniConfig"],
    );
    const primary = enis.find((e) => e.Attachment?.DeviceIndex === 0);
    assert.equal(
      primary?.PrivateIpAddresses.length,
      1,
      `${nodeName}: the primary ENI keeps only the node IP`,
    );
    const podEnis = enis.filter((e) => e.Attachment?.DeviceIndex !== 0);
    assert.ok(podEnis.length >= 1, `${nodeName} has a pod ENI`);
    for (const e of podEnis) assert.equal(subnetOf.get(e.NetworkInterfaceId), want?.spec.subnet);
    const podIps = new Set(
      podEnis.flatMap((e) => e.PrivateIpAddresses.filter((a) => !a.Primary).map((a) => a.PrivateIpAddress)),
    );
    const running = pods.filter((p) => p.spec.nodeName === nodeName && !p.spec.hostNetwork && p.status.podIP);
    assert.ok(running.length > 0);
    for (const p of running) {
      assert.match(p.status.podIP ?? "", /^100\.64\./);
      assert.ok(podIps.has(p.status.podIP ?? ""), `${p.metadata.name} holds an IP of a pod ENI`);
    }
  }
});

test("a scenario without the CRDs serves neither ENIConfig nor CNINode (EKS's SecurityGroupPolicy is there)", async () => {
  await assert.rejects(
    kubectl(plain, "get", "eniconfigs"),
    /the server doesn't have a resource type "eniconfigs"/,
  );
  const { stdout } = await kubectl(plain, "get", "--raw", "/apis");
  assert.doesNotMatch(stdout, /crd\.k8s\.amazonaws\.com|vpcresources\.k8s\.aws\/v1alpha1/);
  // EKS installs the SecurityGroupPolicy CRD on every cluster.
  assert.match(stdout, /vpcresources\.k8s\.aws\/v1beta1/);
  await assert.rejects(
    kubectl(plain, "get", "--raw", "/apis/vpcresources.k8s.aws/v1alpha1/cninodes"),
    /NotFound|not found/i,
  );
});
