// The real CLI (bin/eni-view.js) as a child process, for tests that check what a user would type.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);
const bin = new URL("../../bin/eni-view.js", import.meta.url).pathname;

/** `env` with the CLI's language set to English whatever the machine's locale is (the CLI reads LC_ALL,
 * LC_MESSAGES and LANG): tests that read the CLI's English pass under LANG=ko_KR.UTF-8 too. Tests of
 * the Korean text set their own locale (lang.test.ts). */
export function englishEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env))
    if (k !== "LANG" && k !== "LANGUAGE" && !k.startsWith("LC_")) out[k] = v;
  return { ...out, LANG: "C.UTF-8" };
}

/** Runs `eni-view ...args` in English; rejects on a non-zero exit, like a shell with `set -e`. */
export function eniView(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return execFileAsync(process.execPath, [bin, ...args], { maxBuffer: 64 << 20, env: englishEnv() });
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `eni-view ...args` and resolves with its exit code and output, whatever the code. `node` runs
 * the bin script with another Node.js (the version check's test). Always in English
 * (lang.test.ts runs the Korean). */
export function runCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; node?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      options.node ?? process.execPath,
      [bin, ...args],
      { maxBuffer: 64 << 20, env: englishEnv(options.env ?? process.env) },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

type SimEndpoints = { kubeconfigPath: string; ec2Url: string; region: string };

/** The source options that point a command at a running simulator as at a live cluster: its kubeconfig
 * and EC2 endpoint. */
export function simClusterArgs(sim: SimEndpoints): string[] {
  return ["--kubeconfig", sim.kubeconfigPath, "--ec2-endpoint", sim.ec2Url, "--region", sim.region];
}

/** Dummy AWS credentials (the simulator takes any) and no instance metadata lookup. */
export const simAwsEnv: NodeJS.ProcessEnv = {
  ...englishEnv(),
  AWS_ACCESS_KEY_ID: "AKIATEST",
  AWS_SECRET_ACCESS_KEY: "x",
  AWS_EC2_METADATA_DISABLED: "true",
};

/** `capture --out DIR` pointed at a running simulator through its kubeconfig and EC2 endpoint, the way a
 * user captures a real cluster. */
export function captureSimArgs(sim: SimEndpoints, dir: string): string[] {
  return ["capture", "--out", dir, ...simClusterArgs(sim)];
}

/** Runs captureSimArgs with dummy AWS credentials and no instance metadata lookup. */
export function captureSim(sim: SimEndpoints, dir: string): Promise<{ stdout: string; stderr: string }> {
  return execFileAsync(process.execPath, [bin, ...captureSimArgs(sim, dir)], {
    maxBuffer: 64 << 20,
    env: simAwsEnv,
  });
}

export interface ServingCli {
  child: ChildProcess;
  /** The server's base URL as the banner printed it. */
  url: string;
  /** Everything printed to stdout so far. */
  output(): string;
  /** Everything printed to stderr so far (the log's JSON lines). */
  log(): string;
}

/** Starts `eni-view serve|start ...` as a child process and resolves once stdout matches `banner`, whose
 * first group is the URL (the banner is one print, but may arrive in pieces: match all of what you read). */
export function serveCli(
  args: string[],
  banner: RegExp,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ServingCli> {
  const child = spawn(process.execPath, [bin, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: englishEnv(env),
  });
  let out = "";
  let err = "";
  child.stdout.setEncoding("utf8");
  // Read, or a server that logs much would block on a full pipe (stderr writes to a pipe are synchronous).
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    err += chunk;
  });
  return new Promise<ServingCli>((resolve, reject) => {
    child.stdout.on("data", (chunk: string) => {
      out += chunk;
      const m = banner.exec(out);
      if (m) resolve({ child, url: m[1]!, output: () => out, log: () => err });
    });
    child.once("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}
