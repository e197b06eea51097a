// Plain JavaScript that any Node.js since 14 can load, run before the CLI's TypeScript is imported: an
// older Node.js gets one line saying which version eni-view needs and how to get it, instead of
// ERR_UNKNOWN_FILE_EXTENSION or a syntax error from deep inside a dependency.
import { existsSync, readFileSync } from "node:fs";

/** @param {string} v "24.11.0" or "v24.11.0" @returns {number[]} */
function parts(v) {
  const nums = v
    .replace(/^[v=]/, "")
    .split(".")
    .map((p) => (/^\d+$/.test(p) ? Number(p) : Number.NaN));
  return [nums[0] ?? Number.NaN, nums[1] ?? 0, nums[2] ?? 0];
}

/** @param {number[]} a @param {number[]} b */
function compare(a, b) {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] ?? 0) < (b[i] ?? 0) ? -1 : 1;
  return 0;
}

/** One comparator of a range (">=22.18.0", "^24", "24.x", "<25"): does `version` satisfy it?
 * @param {number[]} version @param {string} comparator */
function satisfiesOne(version, comparator) {
  const m = /^(>=|<=|>|<|=|\^|~)?\s*v?(\d+|x|\*)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?$/.exec(comparator);
  if (!m) return false;
  const [, op = "", major = "", minor, patch] = m;
  if (major === "x" || major === "*") return true;
  const wild = (/** @type {string | undefined} */ p) => p === undefined || p === "x" || p === "*";
  const base = [Number(major), wild(minor) ? 0 : Number(minor), wild(patch) ? 0 : Number(patch)];
  const c = compare(version, base);
  switch (op) {
    case ">=":
      return c >= 0;
    case ">":
      return c > 0;
    case "<":
      return c < 0;
    case "<=":
      return c <= 0;
    case "^":
      return c >= 0 && version[0] === base[0];
    case "~":
      return c >= 0 && version[0] === base[0] && version[1] === base[1];
    default:
      // "24", "24.x", "=24.1.0": the parts given must match.
      if (version[0] !== base[0]) return false;
      if (!wild(minor) && version[1] !== base[1]) return false;
      return wild(patch) || version[2] === base[2];
  }
}

/** Does Node.js `version` satisfy the engines range (comparators joined by spaces, alternatives by ||)?
 * @param {string} version @param {string} range */
export function satisfies(version, range) {
  const v = parts(version);
  if (v.some((n) => Number.isNaN(n))) return false;
  return range.split("||").some((alt) => {
    const comparators = alt
      .trim()
      .replace(/(>=|<=|>|<|=|\^|~)\s+/g, "$1")
      .split(/\s+/)
      .filter(Boolean);
    return comparators.length === 0 || comparators.every((c) => satisfiesOne(v, c));
  });
}

/** The line for an unsupported Node.js, or null when this one will do.
 * @param {{ version: string, range: string, checkout: string | null }} at
 * `checkout`: the repository root when running from a clone (its `npm install` fetched a Node.js that
 * fits), else null (an installed package: the user installs Node.js themselves). */
export function nodeVersionProblem({ version, range, checkout }) {
  if (satisfies(version, range)) return null;
  const how = checkout
    ? `run it through npm from the repository (npx eni-view ..., npm start), which uses the Node.js that npm install fetched, or put that one first on PATH: export PATH="${checkout}/node_modules/.bin:$PATH"`
    : "install a Node.js that fits (https://nodejs.org) or run it with npx from one";
  return `eni-view needs Node.js ${range}, this is ${version.startsWith("v") ? version : `v${version}`}: ${how}`;
}

/** The nearest package.json above this file with engines.node: apps/server's in a clone (bin/ is one
 * below it), the package's own when bundled (lib/cli/ is two below it). */
function ownPackage() {
  for (const up of ["../", "../../"]) {
    const url = new URL(`${up}package.json`, import.meta.url);
    if (!existsSync(url)) continue;
    const json = JSON.parse(readFileSync(url, "utf8"));
    if (typeof json?.engines?.node === "string") return { url, range: json.engines.node };
  }
  return null;
}

/** A clone of the repository: the workspace root eni-view, whose devDependency "node" npm install
 * fetched. Its path, or null (an image or an installed package, where the user brings Node.js). */
function checkoutRoot(/** @type {URL} */ packageJson) {
  for (const up of ["../../", "../"]) {
    const root = new URL(up, packageJson);
    const manifest = new URL("package.json", root);
    if (!existsSync(manifest) || !existsSync(new URL("node_modules/node/package.json", root))) continue;
    const json = JSON.parse(readFileSync(manifest, "utf8"));
    if (json?.name === "eni-view" && Array.isArray(json.workspaces))
      return decodeURIComponent(root.pathname).replace(/\/$/, "");
  }
  return null;
}

/** Whether this process's Node.js fits the package's engines.node; the line to print when it does not.
 * For bin/eni-view.js, before anything else is loaded. */
export function checkThisNode() {
  const own = ownPackage();
  if (own === null) return null;
  return nodeVersionProblem({
    version: process.versions.node,
    range: own.range,
    checkout: checkoutRoot(own.url),
  });
}
