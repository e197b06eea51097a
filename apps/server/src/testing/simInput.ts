// The simulator read once as a server reads a cluster (the Kubernetes and EC2 adapters of ClusterSource),
// for tests that plan on what a user's server would see. The simulator's clock is manual in those tests, so
// nothing moves while it is read.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { ClusterInput } from "@eni-view/model";
import type { Sim } from "@eni-view/sim";
import { ClusterSource } from "../sources/clusterSource.ts";

export async function readSimInput(sim: Sim, timeoutMs = 30_000): Promise<ClusterInput> {
  const source = new ClusterSource({
    kind: "sim",
    kubeconfigPath: sim.kubeconfigPath,
    region: sim.region,
    ec2Endpoint: sim.ec2Url,
    ec2Credentials: { accessKeyId: "sim", secretAccessKey: "sim" },
    ec2IntervalMs: 60_000,
    kubeBackoffBaseMs: 50,
    kubeBackoffMaxMs: 500,
  });
  await source.start(() => {});
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = source.snapshot();
      if (s.ready && s.loaded && s.input !== null) return s.input;
      if (Date.now() > deadline) throw new Error("the simulator was not read in time");
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await source.stop();
  }
}

const run = promisify(execFile);

/** kubectl against the simulator, as a user would type it. */
export async function simKubectl(sim: Sim, ...args: string[]): Promise<string> {
  return (await run("kubectl", ["--kubeconfig", sim.kubeconfigPath, ...args], { maxBuffer: 64 << 20 }))
    .stdout;
}

/** The simulator's admin endpoint (node groups: `eksctl scale nodegroup` and `eksctl upgrade nodegroup`). */
export async function simAdmin(
  sim: Sim,
  method: "PUT" | "POST",
  path: string,
  body?: unknown,
): Promise<void> {
  const res = await fetch(`${sim.adminUrl}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
}

/** Advances the manual clock in 1 s steps, letting the servers answer between them. */
export async function simRunFor(sim: Sim, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 1_000) {
    sim.clock.advance(Math.min(1_000, ms - t));
    await new Promise((resolve) => setImmediate(resolve));
  }
}
