// The built dashboard against a synthetic cluster of any size (apps/web/scripts/synthetic-server.ts), in a
// process of its own: for checks at 5,000 nodes that the simulator would take minutes to reach.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { repoRoot } from "./system.ts";

export interface SyntheticServer {
  url: string;
  stop(): void;
}

/** Starts the server with its command-line options (`--nodes 5000 --pods 30` …) and waits for its URL. */
export async function startSynthetic(options: string[]): Promise<SyntheticServer> {
  const child = spawn(process.execPath, [`${repoRoot}apps/web/scripts/synthetic-server.ts`, ...options], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const stop = () => {
    child.kill("SIGTERM");
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.once("exit", (code) => reject(new Error(`the synthetic server exited (${code})`)));
      createInterface({ input: child.stdout! }).on("line", (line) => {
        if (line.startsWith("http")) resolve(line.trim());
      });
    });
    return { url, stop };
  } catch (e) {
    stop();
    throw e;
  }
}
