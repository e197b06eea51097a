// Workloads from YAML, as the labs type them: kubectl apply (client-side and server-side), create, run,
// patch, edit, set env, rollout, delete, against the simulator on a manual clock, and the API server's own
// answers to bad input.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  awsEc2,
  enisByNode,
  kubectl,
  kubectlEnv,
  kubectlError,
  kubectlJson,
  labSim,
  manifestFile,
  type PodJson,
  runFor,
  whileRunning,
} from "./clientsForTests.ts";

const sim = labSim("scale-lab");

// The labs' own Deployment: netshoot kept alive with command/args, no grace period.
const netshoot = (replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: netshoot-pod
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: netshoot-pod
  template:
    metadata:
      labels:
        app: netshoot-pod
    spec:
      containers:
      - name: netshoot-pod
        image: nicolaka/netshoot
        command: ["tail"]
        args: ["-f", "/dev/null"]
      terminationGracePeriodSeconds: 0
`;

async function podsOf(app: string, namespace = "default"): Promise<PodJson[]> {
  const list = await kubectlJson<{ items: PodJson[] }>(
    sim(),
    "get",
    "pods",
    "-n",
    namespace,
    "-l",
    `app=${app}`,
  );
  return list.items;
}

test("kubectl apply -f of the labs' netshoot Deployment runs 3 pods on VPC IPs of their nodes' ENIs", async () => {
  const { stdout } = await kubectl(sim(), "apply", "-f", manifestFile(netshoot(3)));
  assert.equal(stdout.trim(), "deployment.apps/netshoot-pod created");
  await runFor(sim(), 60_000);
  const pods = await podsOf("netshoot-pod");
  assert.equal(pods.filter((p) => p.status.phase === "Running").length, 3);
  const enis = await enisByNode(sim());
  for (const p of pods) {
    const held = (enis.get(p.spec.nodeName as string) ?? []).some((e) =>
      e.PrivateIpAddresses.some((a) => !a.Primary && a.PrivateIpAddress === p.status.podIP),
    );
    assert.ok(held, `${p.metadata.name}'s IP ${p.status.podIP} is a secondary IP on its node`);
  }
  const d = await kubectlJson<{
    spec: { template: { spec: { containers: { command: string[]; args: string[] }[] } } };
  }>(sim(), "get", "deployment", "netshoot-pod");
  assert.deepEqual(d.spec.template.spec.containers[0]?.command, ["tail"]);
  assert.deepEqual(d.spec.template.spec.containers[0]?.args, ["-f", "/dev/null"]);
});

test("apply again with more replicas (client-side, then --server-side) scales the same Deployment", async () => {
  assert.match(
    (await kubectl(sim(), "apply", "-f", manifestFile(netshoot(5)))).stdout,
    /netshoot-pod configured/,
  );
  assert.match(
    (await kubectl(sim(), "apply", "--server-side", "-f", manifestFile(netshoot(6)))).stdout,
    /netshoot-pod serverside-applied/,
  );
  await runFor(sim(), 60_000);
  assert.equal((await podsOf("netshoot-pod")).filter((p) => p.status.phase === "Running").length, 6);
});

test("create deployment, run, create ns: objects made from flags, pods Running", async () => {
  await kubectl(sim(), "create", "ns", "lab");
  await kubectl(sim(), "create", "deployment", "web", "--image=nginx:alpine", "--replicas=2", "-n", "lab");
  await kubectl(sim(), "run", "tmp", "--image=busybox", "-n", "lab", "--", "sleep", "3600");
  await runFor(sim(), 60_000);
  assert.equal((await podsOf("web", "lab")).filter((p) => p.status.phase === "Running").length, 2);
  const tmp = await kubectlJson<PodJson>(sim(), "get", "pod", "tmp", "-n", "lab");
  assert.equal(tmp.status.phase, "Running");
  assert.match(tmp.status.podIP ?? "", /^192\.168\.[123]\./);
  assert.match((await kubectl(sim(), "get", "ns", "lab")).stdout, /lab\s+Active/);
});

test("patch as merge, JSON patch and strategic merge; set env; edit: each changes the Deployment", async () => {
  await kubectl(
    sim(),
    "patch",
    "deployment",
    "web",
    "-n",
    "lab",
    "--type=merge",
    "-p",
    '{"spec":{"replicas":3}}',
  );
  await kubectl(
    sim(),
    "patch",
    "deployment",
    "web",
    "-n",
    "lab",
    "--type=json",
    "-p",
    '[{"op":"replace","path":"/spec/replicas","value":4}]',
  );
  await kubectl(
    sim(),
    "patch",
    "deployment",
    "web",
    "-n",
    "lab",
    "-p",
    '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","env":[{"name":"A","value":"1"}]}]}}}}',
  );
  await kubectl(sim(), "set", "env", "deployment/web", "-n", "lab", "B=2");
  const editor = join(mkdtempSync(join(tmpdir(), "editor-")), "edit.sh");
  writeFileSync(editor, "#!/bin/sh\nsed -i 's/replicas: 4/replicas: 2/' \"$1\"\n", { mode: 0o755 });
  kubectlEnv.EDITOR = editor;
  assert.match(
    (await kubectl(sim(), "edit", "deployment", "web", "-n", "lab")).stdout,
    /deployment.apps\/web edited/,
  );
  const d = await kubectlJson<{
    spec: { replicas: number; template: { spec: { containers: { env: unknown }[] } } };
  }>(sim(), "get", "deployment", "web", "-n", "lab");
  assert.equal(d.spec.replicas, 2);
  assert.deepEqual(d.spec.template.spec.containers[0]?.env, [
    { name: "A", value: "1" },
    { name: "B", value: "2" },
  ]);
});

test("rollout restart makes a new ReplicaSet; rollout status waits until every pod is new", async () => {
  await runFor(sim(), 30_000);
  await kubectl(sim(), "rollout", "restart", "deployment/web", "-n", "lab");
  const { stdout } = await whileRunning(
    sim(),
    kubectl(sim(), "rollout", "status", "deployment/web", "-n", "lab", "--timeout=120s"),
  );
  assert.match(stdout, /deployment "web" successfully rolled out/);
  const rs = await kubectlJson<{ items: { spec: { replicas: number } }[] }>(
    sim(),
    "get",
    "rs",
    "-n",
    "lab",
    "-l",
    "app=web",
  );
  assert.deepEqual(
    rs.items.map((r) => r.spec.replicas).sort(),
    [0, 0, 2],
    "the first two templates scaled to 0",
  );
});

test("bad input gets the API server's answers", async () => {
  const bad = manifestFile(
    netshoot(3).replace(
      "        image: nicolaka/netshoot",
      "        imagee: x\n        image: nicolaka/netshoot",
    ),
  );
  assert.match(
    await kubectlError(sim(), "create", "-f", bad, "--validate=strict"),
    /Error from server \(BadRequest\): error when creating ".*": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec.containers\[0\].imagee"/,
  );
  const mergePatch = (body: string) =>
    kubectlError(sim(), "patch", "deployment", "web", "-n", "lab", "--type=merge", "-p", body);
  assert.match(
    await mergePatch('{"spec":{"replicas":-1}}'),
    /The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0/,
  );
  assert.match(
    await mergePatch('{"spec":{"selector":{"matchLabels":{"app":"other"}}}}'),
    /spec.selector: Invalid value: v1.LabelSelector\{MatchLabels:map\[string\]string\{"app":"other"\}, MatchExpressions:\[\]v1.LabelSelectorRequirement\(nil\)\}: field is immutable/,
  );
  const ingress = manifestFile("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: x\n");
  assert.match(
    await kubectlError(sim(), "apply", "-f", ingress),
    /no matches for kind "Ingress" in version "networking.k8s.io\/v1"/,
  );
  assert.match(
    await kubectlError(sim(), "get", "--raw", "/apis/networking.k8s.io/v1/ingresses"),
    /NotFound.*the server could not find the requested resource/,
  );
  const yaml = manifestFile(
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: a\n   image: b\n",
  );
  assert.match(await kubectlError(sim(), "apply", "-f", yaml), /error converting YAML to JSON/);
  assert.match(
    await kubectlError(sim(), "create", "deployment", "web", "--image=nginx", "-n", "lab"),
    /failed to create deployment: deployments.apps "web" already exists/,
  );
  assert.match(
    await kubectlError(sim(), "delete", "ns", "kube-system"),
    /Forbidden.*namespaces "kube-system" is forbidden: this namespace may not be deleted/,
  );
});

test("kubectl explain reads the served OpenAPI (v3 and v2)", async () => {
  assert.match(
    (await kubectl(sim(), "explain", "deployment.spec.replicas")).stdout,
    /FIELD: replicas <integer>/,
  );
  assert.match(
    (await kubectl(sim(), "explain", "pods.spec.containers", "--output=plaintext-openapiv2")).stdout,
    /RESOURCE: containers <\[\]Object>/,
  );
});

test("a LimitRange's default CPU request lands on new pods; kubectl delete limitranges removes it", async () => {
  const limits = manifestFile(`apiVersion: v1
kind: LimitRange
metadata:
  name: limits
spec:
  limits:
  - type: Container
    defaultRequest:
      cpu: 100m
`);
  await kubectl(sim(), "apply", "-f", limits);
  await kubectl(sim(), "run", "with-default", "--image=nginx:alpine");
  const pod = await kubectlJson<{
    metadata: { annotations: Record<string, string> };
    spec: { containers: { resources: { requests: Record<string, string> } }[] };
  }>(sim(), "get", "pod", "with-default");
  assert.deepEqual(pod.spec.containers[0]?.resources.requests, { cpu: "100m" });
  assert.equal(
    pod.metadata.annotations["kubernetes.io/limit-ranger"],
    "LimitRanger plugin set: cpu request for container with-default",
  );
  assert.match(
    (await kubectl(sim(), "delete", "limitranges", "limits")).stdout,
    /limitrange "limits" deleted/,
  );
  assert.match((await kubectl(sim(), "get", "limitranges")).stderr, /No resources found/);
});

test("delete: a Deployment takes its ReplicaSets and pods; a namespace empties and goes", async () => {
  await kubectl(sim(), "delete", "deployment", "netshoot-pod");
  await runFor(sim(), 10_000);
  assert.equal((await podsOf("netshoot-pod")).length, 0);
  const { stdout } = await whileRunning(sim(), kubectl(sim(), "delete", "ns", "lab", "--timeout=120s"));
  assert.match(stdout, /namespace "lab" deleted/);
  assert.match(await kubectlError(sim(), "get", "ns", "lab"), /namespaces "lab" not found/);
  const cm = manifestFile("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n");
  await kubectl(sim(), "create", "-f", cm);
  assert.match((await kubectl(sim(), "get", "configmap", "settings")).stdout, /settings\s+1\s+/);
});

test("a LoadBalancer Service with the NLB IP-target annotations gets an NLB ENI in each public subnet", async () => {
  const before = await awsEc2<{ NetworkInterfaces: { InterfaceType: string }[] }>(
    sim(),
    "describe-network-interfaces",
  );
  const service = manifestFile(`apiVersion: v1
kind: Service
metadata:
  name: svc-nlb-ip-type
  annotations:
    service.beta.kubernetes.io/aws-load-balancer-type: external
    service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip
    service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing
spec:
  type: LoadBalancer
  selector:
    app: nginx
  ports:
  - port: 80
    targetPort: 80
    protocol: TCP
`);
  await kubectl(sim(), "apply", "-f", service);
  assert.match(
    (await kubectl(sim(), "get", "svc", "svc-nlb-ip-type")).stdout,
    /LoadBalancer\s+10\.100\.\d+\.\d+\s+<pending>\s+80:3\d{4}\/TCP/,
  );
  await runFor(sim(), 60_000);
  assert.match(
    (await kubectl(sim(), "get", "svc", "svc-nlb-ip-type")).stdout,
    /k8s-default-svcnlbip-[0-9a-f]{10}-[0-9a-f]{16}\.elb\.ap-northeast-2\.amazonaws\.com/,
  );
  const { NetworkInterfaces } = await awsEc2<{
    NetworkInterfaces: {
      InterfaceType: string;
      SubnetId: string;
      Description: string;
      RequesterId?: string;
      PrivateIpAddress: string;
    }[];
  }>(sim(), "describe-network-interfaces", "--filters", "Name=interface-type,Values=network_load_balancer");
  assert.equal(NetworkInterfaces.length, 3, "one ENI per AZ's public subnet");
  assert.equal(new Set(NetworkInterfaces.map((e) => e.SubnetId)).size, 3);
  for (const e of NetworkInterfaces) {
    assert.match(e.Description, /^ELB net\/k8s-default-svcnlbip-[0-9a-f]{10}\/[0-9a-f]{16}$/);
    assert.match(e.PrivateIpAddress, /^192\.168\.[123]\./);
  }
  await kubectl(sim(), "delete", "svc", "svc-nlb-ip-type");
  const after = await awsEc2<{ NetworkInterfaces: { InterfaceType: string }[] }>(
    sim(),
    "describe-network-interfaces",
  );
  assert.equal(
    after.NetworkInterfaces.filter((e) => e.InterfaceType === "network_load_balancer").length,
    before.NetworkInterfaces.filter((e) => e.InterfaceType === "network_load_balancer").length,
  );
});
