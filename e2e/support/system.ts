// Starts e2e/support/simServer.ts (the simulator + the real server) as a child process and waits for its
// addresses. Used by the Playwright global setup and by the README screenshot script.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";

export const repoRoot = new URL("../../", import.meta.url).pathname;

export interface RunningSystem {
  url: string;
  kubeconfig: string;
  adminUrl: string;
  stateDir: string;
  stop(): Promise<void>;
}

export async function startSystem(extraEnv: Record<string, string> = {}): Promise<RunningSystem> {
  if (!existsSync(`${repoRoot}apps/web/dist/index.html`))
    throw new Error(
      'apps/web/dist is missing: run "npm run build -w @eni-view/web" first (npm run test:e2e does)',
    );
  // process.execPath is the Node running us: from npm scripts that is the repo's Node 24.
  const child: ChildProcess = spawn(process.execPath, [`${repoRoot}e2e/support/simServer.ts`], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, ...extraEnv },
  });
  const info = await new Promise<Record<string, string>>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error("the simulator and server did not start within 60 s")),
      60_000,
    );
    child.once("exit", (code) =>
      reject(new Error(`the simulator/server process exited early (code ${code})`)),
    );
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (!line.startsWith("{")) return;
      clearTimeout(timer);
      resolve(JSON.parse(line) as Record<string, string>);
    });
  });
  return {
    url: info.url!,
    kubeconfig: info.kubeconfig!,
    adminUrl: info.adminUrl!,
    stateDir: info.stateDir!,
    stop: () => stopChild(child),
  };
}

/** SIGTERM, as Ctrl-C or a container stop sends; SIGKILL when the process has not gone in 5 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null) child.kill("SIGKILL");
}
