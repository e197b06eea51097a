// The official Python clients (Debian's python3-kubernetes and python3-boto3): a watch from a
// resourceVersion with timeout_seconds (the client sends watch=True) and a paginated describe.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { tmpdir } from "node:os";
import { test } from "node:test";
import { promisify } from "node:util";
import { awsEc2, kubectl, labSim, runFor } from "../clientsForTests.ts";

const run = promisify(execFile);
const sim = labSim("scale-lab");

test("the Python kubernetes client's watch replays changes since its resourceVersion; boto3 pages ENIs", async () => {
  // The PodList's own resourceVersion (`kubectl get -o json` prints a List without one).
  const list = await kubectl(sim(), "get", "--raw", "/api/v1/namespaces/default/pods");
  const { metadata } = JSON.parse(list.stdout) as { metadata: { resourceVersion: string } };
  await kubectl(sim(), "scale", "deployment", "nginx-deployment", "--replicas=4");
  await runFor(sim(), 30_000);
  const script = new URL("./pythonClients.py", import.meta.url).pathname;
  const { stdout } = await run(
    "/usr/bin/python3",
    [script, sim().kubeconfigPath, sim().ec2Url, sim().region, metadata.resourceVersion],
    { env: { PATH: "/usr/bin:/bin", HOME: tmpdir(), AWS_EC2_METADATA_DISABLED: "true" } },
  );
  const out = JSON.parse(stdout) as {
    events: { type: string; name: string }[];
    pages: number;
    enis: string[];
  };
  const added = out.events.filter((e) => e.type === "ADDED" && e.name.startsWith("nginx-deployment-"));
  assert.equal(
    added.length,
    2,
    `the two new nginx pods, from the history after the resourceVersion: ${JSON.stringify(out.events)}`,
  );
  assert.ok(
    out.events.some((e) => e.type === "MODIFIED"),
    "then their status changes",
  );
  const { NetworkInterfaces } = await awsEc2<{ NetworkInterfaces: { NetworkInterfaceId: string }[] }>(
    sim(),
    "describe-network-interfaces",
  );
  assert.deepEqual([...out.enis].sort(), NetworkInterfaces.map((e) => e.NetworkInterfaceId).sort());
  assert.equal(out.pages, Math.ceil(NetworkInterfaces.length / 5));
});
