// The npm package as a user gets it: `npm pack` of dist/package, installed into an empty folder outside
// the repository with a fresh npm cache (so nothing comes from the workspace or its links), then run
// through `npx eni-view` on a chosen Node.js. Used by e2e/tests/package.spec.ts and `npm run bench`.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";

const repoRoot = new URL("../../", import.meta.url).pathname;

const run = promisify(execFile);

/** npm's environment for a user's shell: no npm_* variables from the `npm test` around us (they
 * would point npm at the workspace), Node first on PATH. */
function userEnv(nodeBin: string, cache: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  // The package's English is what its tests and the benchmark read, whatever the machine's locale.
  for (const [k, v] of Object.entries(process.env))
    if (!/^npm_/i.test(k) && k !== "LANG" && k !== "LANGUAGE" && !k.startsWith("LC_")) env[k] = v;
  env.LANG = "C.UTF-8";
  env.PATH = `${nodeBin}:/usr/local/bin:/usr/bin:/bin`;
  env.npm_config_cache = cache;
  env.npm_config_update_notifier = "false";
  return env;
}

/** Builds the package (the web app must be built) and packs it: the tarball's path and its files. */
export async function packPackage(
  dir: string,
  webDist?: string,
): Promise<{ tarball: string; files: string[] }> {
  const args = webDist ? ["--web-dist", webDist] : [];
  await run(process.execPath, [`${repoRoot}scripts/package/build.ts`, ...args], { cwd: repoRoot });
  const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", dir], {
    cwd: `${repoRoot}dist/package`,
    env: userEnv(join(process.execPath, ".."), join(dir, "npm-cache")),
  });
  const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  return { tarball: join(dir, packed!.filename), files: packed!.files.map((f) => f.path).sort() };
}

export interface InstalledPackage {
  dir: string;
  env: NodeJS.ProcessEnv;
  /** `npx eni-view ARGS` to the end: its exit code, stdout and stderr. */
  npx(args: string[], nodeBin?: string): Promise<{ code: number; stdout: string; stderr: string }>;
  /** `npx eni-view ARGS` left running until it prints a line matching `ready`. */
  spawn(args: string[], ready: RegExp): Promise<RunningCommand>;
}

export interface RunningCommand {
  match: RegExpExecArray;
  /** npx's process id, which is also the id of the process group it leads (eni-view runs in it). */
  pid: number;
  output: () => string;
  stop(): Promise<void>;
}

/** A Node.js other than the one running the tests, from the npm registry's `node` package. */
export async function installNode(range: string, dir: string): Promise<string> {
  const folder = join(dir, `node-${range}`);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, "package.json"), '{ "private": true }\n');
  const env = userEnv(join(process.execPath, ".."), join(dir, "npm-cache"));
  await run("npm", ["install", "--no-audit", "--no-fund", `node@${range}`], { cwd: folder, env });
  return join(folder, "node_modules", "node", "bin");
}

/** Installs the tarball as `npm install eni-view-X.tgz` in an empty folder, on the Node in `nodeBin`. */
export async function installPackage(
  tarball: string,
  nodeBin: string,
  dir: string,
): Promise<InstalledPackage> {
  const folder = mkdtempSync(join(dir, "user-"));
  writeFileSync(join(folder, "package.json"), '{ "private": true }\n');
  const env = userEnv(nodeBin, mkdtempSync(join(tmpdir(), "eni-view-npm-cache-")));
  await run("npm", ["install", "--no-audit", "--no-fund", tarball], { cwd: folder, env });
  return {
    dir: folder,
    env,
    async npx(args, otherNode) {
      // Another Node.js first on PATH: what a user with that one on their machine runs.
      const withNode = otherNode ? { ...env, PATH: `${otherNode}:${env.PATH}` } : env;
      return new Promise((resolve) => {
        execFile("npx", ["eni-view", ...args], { cwd: folder, env: withNode }, (err, stdout, stderr) =>
          resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      });
    },
    async spawn(args, ready) {
      const child: ChildProcess = spawn("npx", ["eni-view", ...args], {
        cwd: folder,
        env,
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      });
      let output = "";
      child.stderr!.on("data", (d: Buffer) => {
        output += d.toString();
      });
      const match = await new Promise<RegExpExecArray>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`npx eni-view did not start in 60 s:\n${output}`)),
          60_000,
        );
        child.once("exit", (code) => {
          clearTimeout(timer);
          reject(new Error(`npx eni-view exited early (code ${code}):\n${output}`));
        });
        createInterface({ input: child.stdout! }).on("line", (line) => {
          output += `${line}\n`;
          const m = ready.exec(line);
          if (m) {
            clearTimeout(timer);
            resolve(m);
          }
        });
      });
      return { match, pid: child.pid as number, output: () => output, stop: () => stopGroup(child) };
    },
  };
}

/** npx runs eni-view in a child of its own: SIGTERM (Ctrl-C's effect) goes to the whole group it leads,
 * SIGKILL when it has not ended in 5 s. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise((r) => child.once("exit", r));
  process.kill(-child.pid, "SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null) process.kill(-child.pid, "SIGKILL");
}
