// CNI settings changed on the live cluster the EKS way: `kubectl set env ds/aws-node`. aws-node rolls node
// by node; each node's IPAMD carries on with the new settings (pods keep their IPs); a value aws-node
// refuses makes the new pod crash-loop and stops the rollout, as on a real cluster.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  awsEc2,
  enisByNode,
  kubectl,
  kubectlJson,
  labSim,
  type PodJson,
  runFor,
  whileRunning,
} from "./clientsForTests.ts";

const sim = labSim("scale-lab");

interface AwsNodePod extends PodJson {
  status: PodJson["status"] & {
    containerStatuses: {
      name: string;
      ready: boolean;
      restartCount: number;
      state: { waiting?: { reason: string } };
      lastState: { terminated?: { message: string } };
    }[];
  };
}

async function awsNodePods(): Promise<AwsNodePod[]> {
  return (
    await kubectlJson<{ items: AwsNodePod[] }>(
      sim(),
      "get",
      "pods",
      "-n",
      "kube-system",
      "-l",
      "k8s-app=aws-node",
    )
  ).items;
}

test("set env WARM_IP_TARGET rolls aws-node one node at a time and each IPAMD keeps its pods' IPs", async () => {
  await kubectl(sim(), "scale", "deployment", "nginx-deployment", "--replicas=12");
  await runFor(sim(), 60_000);
  const before = (await kubectlJson<{ items: PodJson[] }>(sim(), "get", "pods", "-l", "app=nginx")).items;
  const ips = new Map(before.map((p) => [p.metadata.name, p.status.podIP]));

  assert.match(
    (
      await kubectl(
        sim(),
        "set",
        "env",
        "ds/aws-node",
        "-n",
        "kube-system",
        "WARM_IP_TARGET=2",
        "MINIMUM_IP_TARGET=4",
      )
    ).stdout,
    /daemonset.apps\/aws-node env updated/,
  );
  // One node at a time (maxUnavailable 10% of 3, rounded up): never two aws-node pods down together.
  let mostDown = 0;
  const rollout = whileRunning(
    sim(),
    kubectl(sim(), "rollout", "status", "ds/aws-node", "-n", "kube-system", "--timeout=300s"),
  );
  let done = false;
  rollout.finally(() => {
    done = true;
  });
  while (!done) {
    const pods = await awsNodePods();
    const ready = pods.filter(
      (p) => p.status.phase === "Running" && p.status.containerStatuses?.every((c) => c.ready),
    ).length;
    mostDown = Math.max(mostDown, 3 - ready);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.match((await rollout).stdout, /daemon set "aws-node" successfully rolled out/);
  assert.ok(mostDown <= 1, `at most one node without a ready aws-node, saw ${mostDown}`);

  await runFor(sim(), 120_000);
  const afterRoll = (await kubectlJson<{ items: PodJson[] }>(sim(), "get", "pods", "-l", "app=nginx")).items;
  for (const p of afterRoll)
    assert.equal(p.status.podIP, ips.get(p.metadata.name), `${p.metadata.name} kept its IP`);
  // WARM_IP_TARGET=2: each node gives back free IPs down to 2 spare (WARM_ENI_TARGET kept 5 or more).
  for (const [node, enis] of await enisByNode(sim())) {
    const held = afterRoll.filter((p) => p.spec.nodeName === node).length;
    const secondary = enis.reduce((n, e) => n + e.PrivateIpAddresses.filter((a) => !a.Primary).length, 0);
    const coredns = (
      await kubectlJson<{ items: PodJson[] }>(
        sim(),
        "get",
        "pods",
        "-n",
        "kube-system",
        "-l",
        "k8s-app=kube-dns",
      )
    ).items.filter((p) => p.spec.nodeName === node).length;
    assert.equal(
      secondary,
      Math.max(held + coredns + 2, 4),
      `${node}: pods + WARM_IP_TARGET, at least MINIMUM_IP_TARGET`,
    );
  }
});

test("a value aws-node refuses (IP_COOLDOWN_PERIOD=abc) crash-loops the first new pod and stops the rollout", async () => {
  await kubectl(sim(), "set", "env", "ds/aws-node", "-n", "kube-system", "IP_COOLDOWN_PERIOD=abc");
  await runFor(sim(), 60_000);
  const pods = await awsNodePods();
  const crashing = pods.filter((p) =>
    p.status.containerStatuses?.some((c) => c.state.waiting?.reason === "CrashLoopBackOff"),
  );
  assert.equal(crashing.length, 1, "the rollout stops at the first node");
  const status = crashing[0]?.status.containerStatuses.find((c) => c.name === "aws-node");
  assert.ok((status?.restartCount ?? 0) >= 1);
  assert.equal(
    status?.lastState.terminated?.message,
    "IP_COOLDOWN_PERIOD MUST be a valid positive integer. abc is invalid",
  );
  assert.match(
    (await kubectl(sim(), "get", "pods", "-n", "kube-system", "-l", "k8s-app=aws-node")).stdout,
    /CrashLoopBackOff/,
  );
  // The node without IPAMD gives new pods no IP; the others still do.
  const node = crashing[0]?.spec.nodeName as string;
  assert.equal(sim().network.assign(node, { namespace: "default", name: "probe" }), null);

  // Taking the bad value out rolls again, starting with the broken node.
  await kubectl(sim(), "set", "env", "ds/aws-node", "-n", "kube-system", "IP_COOLDOWN_PERIOD-");
  const { stdout } = await whileRunning(
    sim(),
    kubectl(sim(), "rollout", "status", "ds/aws-node", "-n", "kube-system", "--timeout=300s"),
  );
  assert.match(stdout, /successfully rolled out/);
  assert.notEqual(sim().network.assign(node, { namespace: "default", name: "probe" }), null);
  sim().network.release(node, { namespace: "default", name: "probe" });
});

test("a value upstream only logs and ignores (WARM_ENI_TARGET=many) rolls out with the default target", async () => {
  await kubectl(
    sim(),
    "set",
    "env",
    "ds/aws-node",
    "-n",
    "kube-system",
    "WARM_IP_TARGET-",
    "MINIMUM_IP_TARGET-",
    "WARM_ENI_TARGET=many",
  );
  const { stdout } = await whileRunning(
    sim(),
    kubectl(sim(), "rollout", "status", "ds/aws-node", "-n", "kube-system", "--timeout=300s"),
  );
  assert.match(stdout, /successfully rolled out/);
  await runFor(sim(), 120_000);
  const pods = (await kubectlJson<{ items: PodJson[] }>(sim(), "get", "pods", "-A")).items.filter(
    (p) => !p.spec.hostNetwork,
  );
  // WARM_ENI_TARGET=1 again: a whole ENI's worth (5) of free IPs, unless every ENI is attached.
  for (const [node, enis] of await enisByNode(sim())) {
    const secondary = enis.reduce((n, e) => n + e.PrivateIpAddresses.filter((a) => !a.Primary).length, 0);
    const free = secondary - pods.filter((p) => p.spec.nodeName === node).length;
    assert.ok(free >= 5 || enis.length === 3, `${node}: ${free} free IPs on ${enis.length} ENIs`);
  }
});

test("with CLUSTER_NAME set, IPAMD tags the ENIs it manages with the cluster and eks:eni:owner", async () => {
  await kubectl(sim(), "set", "env", "ds/aws-node", "-n", "kube-system", "CLUSTER_NAME=myeks");
  await whileRunning(
    sim(),
    kubectl(sim(), "rollout", "status", "ds/aws-node", "-n", "kube-system", "--timeout=300s"),
  );
  const { NetworkInterfaces } = await awsEc2<{
    NetworkInterfaces: { TagSet?: { Key: string; Value: string }[] }[];
  }>(sim(), "describe-network-interfaces");
  for (const eni of NetworkInterfaces) {
    const tags = Object.fromEntries((eni.TagSet ?? []).map((t) => [t.Key, t.Value]));
    assert.equal(tags["cluster.k8s.amazonaws.com/name"], "myeks");
    assert.equal(tags["eks:eni:owner"], "amazon-vpc-cni");
  }
});
