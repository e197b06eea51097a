// Runs the real command-line clients against a started simulator, for tests: Debian's kubectl and aws.
// Asynchronous on purpose: the simulator serves from this same process, so a blocking call would hang it.
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { promisify } from "node:util";
import { type Sim, type StartSimOptions, startSim } from "./index.ts";

const run = promisify(execFile);
const cacheDir = mkdtempSync(join(tmpdir(), "eni-view-kubectl-cache-"));

export async function kubectl(sim: Sim, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run("kubectl", ["--kubeconfig", sim.kubeconfigPath, "--cache-dir", cacheDir, ...args], {
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, ...kubectlEnv },
  });
}

/** Extra environment for kubectl (EDITOR for `kubectl edit`). */
export const kubectlEnv: Record<string, string> = {};

/** A kubectl command that must fail: its stderr (the error kubectl prints). */
export async function kubectlError(sim: Sim, ...args: string[]): Promise<string> {
  try {
    await kubectl(sim, ...args);
  } catch (err) {
    return String((err as { stderr?: string }).stderr);
  }
  throw new Error(`kubectl ${args.join(" ")} succeeded; it should have failed`);
}

/** Writes a manifest to a temporary file for `kubectl apply -f`. */
export function manifestFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "eni-view-manifest-")), "manifest.yaml");
  writeFileSync(path, text);
  return path;
}

export async function kubectlJson<T = { items: Record<string, unknown>[] }>(
  sim: Sim,
  ...args: string[]
): Promise<T> {
  const { stdout } = await kubectl(sim, ...args, "-o", "json");
  return JSON.parse(stdout) as T;
}

const awsEnv = {
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  HOME: tmpdir(),
  AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
  AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  AWS_CONFIG_FILE: "/dev/null",
  AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
  AWS_EC2_METADATA_DISABLED: "true",
  AWS_PAGER: "",
};

/** Debian's aws CLI (the awscli package) at /usr/bin/aws, pointed at the simulator's EC2 endpoint. */
export async function awsEc2<T>(sim: Sim, ...args: string[]): Promise<T> {
  const { stdout } = await run(
    "/usr/bin/aws",
    ["ec2", ...args, "--endpoint-url", sim.ec2Url, "--region", sim.region, "--output", "json"],
    { env: awsEnv, maxBuffer: 256 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as T;
}

/** Advances a manual clock in steps, yielding to the event loop between them so servers keep answering. */
export async function runFor(sim: Sim, ms: number, stepMs = 1_000): Promise<void> {
  for (let t = 0; t < ms; t += stepMs) {
    sim.clock.advance(Math.min(stepMs, ms - t));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Keeps the manual clock moving while a client command that waits (drain, rollout status, delete of a
 * namespace) runs: kubectl polls on the wall clock while the cluster needs simulated time. */
export async function whileRunning<T>(sim: Sim, command: Promise<T>, maxSimMs = 1_500_000): Promise<T> {
  let finished = false;
  const watched = command.finally(() => {
    finished = true;
  });
  for (let t = 0; t < maxSimMs && !finished; t += 1_000) {
    await runFor(sim, 1_000);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return watched;
}

/** The fields the lab tests read from `aws ec2 describe-network-interfaces` and `kubectl get -o json`. */
export interface EniJson {
  NetworkInterfaceId: string;
  Attachment?: { InstanceId: string; DeviceIndex: number };
  PrivateIpAddresses: { PrivateIpAddress: string; Primary: boolean }[];
  Ipv4Prefixes?: { Ipv4Prefix: string }[];
}

export interface PodJson {
  metadata: { name: string; namespace: string; labels?: Record<string, string> };
  spec: { nodeName?: string; hostNetwork?: boolean };
  status: {
    phase: string;
    podIP?: string;
    conditions?: { type: string; status: string; message?: string }[];
  };
}

export interface NodeJson {
  metadata: { name: string; labels: Record<string, string> };
  spec: { providerID: string };
  status: { allocatable: Record<string, string> };
}

/** ENIs per node name, matched through the node's providerID (aws:///<az>/<instance-id>). */
export async function enisByNode(sim: Sim): Promise<Map<string, EniJson[]>> {
  const { NetworkInterfaces } = await awsEc2<{ NetworkInterfaces: EniJson[] }>(
    sim,
    "describe-network-interfaces",
  );
  const nodes = (await kubectlJson<{ items: NodeJson[] }>(sim, "get", "nodes")).items;
  const byInstance = new Map<string, EniJson[]>();
  for (const eni of NetworkInterfaces) {
    const id = eni.Attachment?.InstanceId;
    if (id) byInstance.set(id, [...(byInstance.get(id) ?? []), eni]);
  }
  return new Map(
    nodes.map((n) => [n.metadata.name, byInstance.get(n.spec.providerID.split("/").pop() as string) ?? []]),
  );
}

/** Each kube-system DaemonSet's name and the nodes it wants a pod on, as `kubectl get ds` columns say. */
export async function daemonSetsDesired(sim: Sim): Promise<string[][]> {
  const { stdout } = await kubectl(
    sim,
    "get",
    "ds",
    "-n",
    "kube-system",
    "-o",
    "custom-columns=N:.metadata.name,D:.status.desiredNumberScheduled",
  );
  return stdout
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => l.split(/\s+/));
}

/** One simulator for a test file on a manual clock, started before its tests and stopped after them. */
export function labSim(scenario: string, options: Partial<StartSimOptions> = {}): () => Sim {
  let sim: Sim | undefined;
  before(async () => {
    sim = await startSim({
      scenario,
      clock: "manual",
      stateDir: mkdtempSync(join(tmpdir(), `${scenario}-`)),
      ...options,
    });
  });
  after(() => sim?.stop());
  return () => {
    if (!sim) throw new Error("the simulator is not started yet");
    return sim;
  };
}
