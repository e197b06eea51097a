// The CLI's `main` run in the test's own process with what it prints captured: for tests of what a command
// says (its text, its language, its errors) rather than of how the process starts, each run then costs
// no Node.js start (about a second on a loaded machine). The bin script's own path keeps a few real
// spawns (testing/cli.ts).
import { AsyncLocalStorage } from "node:async_hooks";
import { main } from "../cli.ts";
import type { CliResult } from "./cli.ts";

type Write = typeof process.stdout.write;
interface Captured {
  stdout: string;
  stderr: string;
}

// Only writes made inside a run are captured: the test runner reports on the same stdout (under
// `node --test`), from outside any run, and those must pass through untouched.
const running = new AsyncLocalStorage<Captured>();
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  for (const name of ["stdout", "stderr"] as const) {
    const stream = process[name];
    const original = stream.write.bind(stream) as Write;
    stream.write = ((chunk: Uint8Array | string, ...rest: unknown[]) => {
      const into = running.getStore();
      if (!into) return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
      into[name] += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      (rest.find((r) => typeof r === "function") as (() => void) | undefined)?.();
      return true;
    }) as Write;
  }
}

let queue: Promise<unknown> = Promise.resolve();

/** `eni-view ...args` with `env` as its locale variables (by default English: LANG=C.UTF-8). Runs one
 * at a time, as the CLI's language is the process's. */
export function runInProcess(
  args: string[],
  env: NodeJS.ProcessEnv = { LANG: "C.UTF-8" },
): Promise<CliResult> {
  install();
  const run = queue.then(async () => {
    const captured: Captured = { stdout: "", stderr: "" };
    const code = await running.run(captured, () => main(args, env));
    return { code, ...captured };
  });
  queue = run.catch(() => {});
  return run;
}
