// The simulated cluster as the tests drive it: the real kubectl, and the simulator's fault switches.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export function env(name: "E2E_BASE_URL" | "E2E_KUBECONFIG" | "E2E_ADMIN_URL"): string {
  const v = process.env[name];
  if (!v)
    throw new Error(
      `${name} is not set: run the tests through playwright.config.ts (its globalSetup starts the server)`,
    );
  return v;
}

export async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await run("kubectl", ["--kubeconfig", env("E2E_KUBECONFIG"), ...args], {
    timeout: 30_000,
  });
  return stdout;
}

export async function scaleNginx(replicas: number): Promise<void> {
  const out = await kubectl("scale", "deployment", "nginx-deployment", `--replicas=${replicas}`);
  if (!out.includes("scaled")) throw new Error(`kubectl scale said: ${out}`);
}

export async function setFaults(faults: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${env("E2E_ADMIN_URL")}/faults`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(faults),
  });
  if (!res.ok) throw new Error(`PUT /faults answered ${res.status}: ${await res.text()}`);
}
