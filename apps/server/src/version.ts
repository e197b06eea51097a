// What `eni-view --version` reports: the version, the commit it was built from, and the Node.js running it.
// The npm package's build stamps the commit into the bundle (scripts/package/build.ts defines
// process.env.ENI_VIEW_BUILD_COMMIT); a clone asks git. The version is the package's own.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export interface BuildInfo {
  version: string;
  /** The commit, 12 hex digits, "-dirty" when a clone has uncommitted changes; null when unknown. */
  commit: string | null;
  node: string;
  platform: string;
}

type Json = Record<string, unknown>;

async function readJson(url: URL): Promise<Json | null> {
  try {
    return JSON.parse(await readFile(url, "utf8")) as Json;
  } catch {
    return null;
  }
}

/** The nearest package.json above this file: apps/server's in a clone (src/ is one below it), the
 * package's own when bundled (lib/cli/ is two below it). */
async function ownPackage(from: URL): Promise<{ url: URL; json: Json } | null> {
  for (const up of ["../", "../../"]) {
    const url = new URL(`${up}package.json`, from);
    const json = await readJson(url);
    if (typeof json?.name === "string") return { url, json };
  }
  return null;
}

function git(args: string[], cwd: string): Promise<string | null> {
  return new Promise((resolve) => {
    execFile("git", args, { cwd, timeout: 5_000 }, (err, stdout) => resolve(err ? null : stdout.trim()));
  });
}

const HEX_COMMIT = /^[0-9a-f]{7,40}$/;

/** The clone's commit and version, only when the git work tree around `dir` is eni-view's own repository
 * (an installed package can sit inside someone else's repository). */
async function fromGit(dir: string): Promise<{ commit: string; version: string | null } | null> {
  const top = await git(["rev-parse", "--show-toplevel"], dir);
  if (top === null) return null;
  const rootPkg = await readJson(pathToFileURL(join(top, "package.json")));
  if (rootPkg?.name !== "eni-view" || !Array.isArray(rootPkg.workspaces)) return null;
  const head = await git(["rev-parse", "--short=12", "HEAD"], dir);
  if (head === null || !HEX_COMMIT.test(head)) return null;
  const changed = await git(["status", "--porcelain", "--untracked-files=no"], dir);
  return {
    commit: changed ? `${head}-dirty` : head,
    version: typeof rootPkg.version === "string" ? rootPkg.version : null,
  };
}

/** `from` and `stamp` are for tests: another place to look from, another build stamp. */
export async function buildInfo(
  from: URL = new URL(import.meta.url),
  stamp: string | undefined = process.env.ENI_VIEW_BUILD_COMMIT,
): Promise<BuildInfo> {
  const runtime = { node: process.version, platform: `${process.platform}/${process.arch}` };
  const pkg = await ownPackage(from);
  const pkgVersion = typeof pkg?.json.version === "string" ? pkg.json.version : "unknown";
  if (stamp !== undefined && HEX_COMMIT.test(stamp)) {
    return { version: pkgVersion, commit: stamp.slice(0, 12), ...runtime };
  }
  const clone = await fromGit(dirname(fileURLToPath(pkg?.url ?? from)));
  return { version: clone?.version ?? pkgVersion, commit: clone?.commit ?? null, ...runtime };
}
