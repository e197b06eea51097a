// Starts the simulator + server process once for the whole run and hands its addresses to the tests
// through the environment (Playwright passes globalSetup's process.env on to the workers).
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";

const root = new URL("../../", import.meta.url).pathname;
let child: ChildProcess | null = null;

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(`${root}apps/web/dist/index.html`))
    throw new Error(
      'apps/web/dist is missing: run "npm run build -w @eni-view/web" first (npm run test:e2e does)',
    );
  // process.execPath is the Node that runs Playwright: from npm scripts that is the repo's Node 24.
  child = spawn(process.execPath, [`${root}e2e/support/simServer.ts`], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env },
  });
  const proc = child;
  const info = await new Promise<Record<string, string>>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error("the simulator and server did not start within 60 s")),
      60_000,
    );
    proc.once("exit", (code) =>
      reject(new Error(`the simulator/server process exited early (code ${code})`)),
    );
    createInterface({ input: proc.stdout! }).on("line", (line) => {
      if (!line.startsWith("{")) return;
      clearTimeout(timer);
      resolve(JSON.parse(line) as Record<string, string>);
    });
  });
  process.env.E2E_BASE_URL = info.url;
  process.env.E2E_KUBECONFIG = info.kubeconfig;
  process.env.E2E_ADMIN_URL = info.adminUrl;
  process.env.E2E_STATE_DIR = info.stateDir;
  return async () => {
    if (!proc.killed && proc.exitCode === null) {
      const exited = new Promise((r) => proc.once("exit", r));
      proc.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (proc.exitCode === null) proc.kill("SIGKILL");
    }
  };
}
