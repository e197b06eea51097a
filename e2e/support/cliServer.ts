// Runs the real `eni-view serve` command line (as an operator would) in its own Node process and waits
// for the address it prints. Used by specs that need their own server: a capture folder, a token, a
// snapshot database that must survive a restart.
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { repoRoot, stopChild } from "./system.ts";

export interface CliServer {
  url: string;
  /** Everything the command printed (stdout and stderr). */
  output: () => string;
  stop(): Promise<void>;
}

/** The environment with the CLI's language set to English (its banner is read below), whatever the
 * machine's locale. */
function englishLocale(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (k !== "LANG" && k !== "LANGUAGE" && !k.startsWith("LC_")) env[k] = v;
  return { ...env, LANG: "C.UTF-8" };
}

/** `startupMs`: how long to wait for the address (a simulator of thousands of nodes starts first). */
export async function startCli(
  args: string[],
  env: Record<string, string> = {},
  startupMs = 30_000,
): Promise<CliServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    [`${repoRoot}apps/server/bin/eni-view.js`, "serve", "--port", "0", ...args],
    { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"], env: { ...englishLocale(), ...env } },
  );
  let output = "";
  child.stderr!.on("data", (d: Buffer) => {
    output += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`eni-view serve did not start in ${startupMs / 1000} s:\n${output}`)),
      startupMs,
    );
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`eni-view serve exited early (code ${code}):\n${output}`));
    });
    createInterface({ input: child.stdout! }).on("line", (line) => {
      output += `${line}\n`;
      const m = /serving \w+ at (http:\/\/127\.0\.0\.1:\d+)\//.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });
  return {
    url,
    output: () => output,
    stop: () => stopChild(child),
  };
}
