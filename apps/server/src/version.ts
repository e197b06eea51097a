// What `eni-view --version` reports: the version, the commit it was built from, and the Node.js running it.
// A packaged eni-view carries both in build-info.json beside its package.json, written by the package
// build ({"version": "1.2.0", "commit": "<40 hex>"}); a clone asks git.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export interface BuildInfo {
  version: string;
  /** The commit, 12 hex digits, "-dirty" when a clone has uncommitted changes; null when unknown. */
  commit: string | null;
  node: string;
  platform: string;
}

/** The package root (apps/server in a clone, the installed package's folder when packaged), found from
 * its package.json; build-info.json beside it is optional (only a package build writes it). */
const packageRoot = new URL("./", new URL("../package.json", import.meta.url));

async function readJson(url: URL): Promise<Record<string, unknown> | null> {
  try {
    return JSON.parse(await readFile(url, "utf8")) as Record<string, unknown>;
  } catch {
    return null;
  }
}

function git(args: string[], cwd: string): Promise<string | null> {
  return new Promise((resolve) => {
    execFile("git", args, { cwd, timeout: 5_000 }, (err, stdout) => resolve(err ? null : stdout.trim()));
  });
}

const HEX_COMMIT = /^[0-9a-f]{7,40}$/;

/** The clone's commit, only when the git work tree around this file is eni-view's own repository (an
 * installed package can sit inside someone else's repository). */
async function commitFromGit(root: URL): Promise<{ commit: string; version: string | null } | null> {
  const cwd = fileURLToPath(root);
  const top = await git(["rev-parse", "--show-toplevel"], cwd);
  if (top === null) return null;
  const rootPkg = await readJson(pathToFileURL(join(top, "package.json")));
  if (rootPkg?.name !== "eni-view" || !Array.isArray(rootPkg.workspaces)) return null;
  const head = await git(["rev-parse", "--short=12", "HEAD"], cwd);
  if (head === null || !HEX_COMMIT.test(head)) return null;
  const changed = await git(["status", "--porcelain", "--untracked-files=no"], cwd);
  return {
    commit: changed ? `${head}-dirty` : head,
    version: typeof rootPkg.version === "string" ? rootPkg.version : null,
  };
}

/** `root`: the package root to read (a test gives another). */
export async function buildInfo(root: URL = packageRoot): Promise<BuildInfo> {
  const runtime = { node: process.version, platform: `${process.platform}/${process.arch}` };
  const stamped = await readJson(new URL("build-info.json", root));
  if (typeof stamped?.version === "string") {
    const commit =
      typeof stamped.commit === "string" && HEX_COMMIT.test(stamped.commit) ? stamped.commit : null;
    return { version: stamped.version, commit: commit?.slice(0, 12) ?? null, ...runtime };
  }
  const fromGit = await commitFromGit(root);
  const pkg = await readJson(new URL("package.json", root));
  const version = fromGit?.version ?? (typeof pkg?.version === "string" ? pkg.version : "unknown");
  return { version, commit: fromGit?.commit ?? null, ...runtime };
}

/** One line, as `aws --version` prints it: "eni-view 0.1.0 (commit 4cb088b1c2d3, Node.js v24.11.0, linux/x64)". */
export function versionLine(info: BuildInfo): string {
  return `eni-view ${info.version} (commit ${info.commit ?? "unknown"}, Node.js ${info.node}, ${info.platform})`;
}
