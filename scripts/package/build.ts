// `npm run build` (after the web app): writes the npm package `eni-view` into dist/package.
//
// The repository runs its TypeScript directly; a published package cannot (Node refuses type stripping
// under node_modules, and Node 22 before 22.18 strips no types by default), so the CLI, server, simulator and model are
// bundled into ES modules by rolldown. Only the server's npm dependencies stay outside the bundle; they
// are the package's `dependencies`, locked by an npm-shrinkwrap.json taken from the repository's own
// lockfile, so `npx eni-view` runs the same dependency versions the tests ran.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative } from "node:path";
import { build, type Plugin } from "rolldown";
import { packageLayout, supportedNode } from "./layout.ts";
import { type Lockfile, lockedSubtree } from "./lockfile.ts";

const root = new URL("../../", import.meta.url).pathname;
const out = join(root, "dist/package");

interface Manifest {
  name: string;
  version: string;
  description?: string;
  license?: string;
  repository?: { type: string; url: string };
  dependencies?: Record<string, string>;
}
const readJson = <T>(path: string): T => JSON.parse(readFileSync(join(root, path), "utf8")) as T;

const rootManifest = readJson<Manifest>("package.json");
const lockfile = readJson<Lockfile>("package-lock.json");
const workspaces = ["apps/server", "packages/sim", "packages/model"];
/** What the bundle leaves to npm: the server's, the simulator's and the model's registry dependencies. */
const runtimeDependencies = new Set(
  workspaces.flatMap((w) =>
    Object.keys(readJson<Manifest>(`${w}/package.json`).dependencies ?? {}).filter(
      (name) => !name.startsWith("@eni-view/"),
    ),
  ),
);

// --web-dist DIR: the web app built elsewhere (the benchmark builds its own copy).
const webArg = process.argv.indexOf("--web-dist");
const webDist = webArg > 0 ? (process.argv[webArg + 1] ?? "") : join(root, "apps/web/dist");
if (!existsSync(join(webDist, "index.html")))
  throw new Error(`${webDist}/index.html is missing: run \`npm run build -w @eni-view/web\` first`);

/** Points each `new URL("<relative>", import.meta.url)` of a bundled module at the package's copy of what
 * it names in the repository (packageLayout.files); any other use of import.meta fails the build. */
function packagePaths(): Plugin {
  const urlPattern = /new URL\(\s*(["'])([^"'`]+)\1\s*,\s*import\.meta\.url\s*\)/g;
  return {
    name: "eni-view-package-paths",
    transform(code, id) {
      if (!id.startsWith(root) || id.includes("/node_modules/")) return null;
      const from = relative(root, id);
      const rewritten = code.replace(urlPattern, (_all, quote: string, target: string) => {
        const inRepo = join(dirname(from), target).replace(/\/$/, "");
        const inPackage = packageLayout.files[inRepo];
        if (inPackage === undefined)
          throw new Error(
            `${from} finds ${inRepo} by URL: add it to packageLayout.files (scripts/package/layout.ts)`,
          );
        const path = relative(packageLayout.code, inPackage) + (target.endsWith("/") ? "/" : "");
        return `new URL(${quote}${path.startsWith(".") ? path : `./${path}`}${quote}, import.meta.url)`;
      });
      const left =
        !(packageLayout.selfLocating as readonly string[]).includes(from) &&
        rewritten.replace(urlPattern, "").match(/import\.meta\.\w+/);
      if (left) throw new Error(`${from} uses ${left[0]} in a way the package build cannot place`);
      return rewritten === code ? null : { code: rewritten };
    },
  };
}

/** The commit the package is built from: CI passes it (a Docker build context has no .git). */
function buildCommit(): string {
  if (process.env.ENI_VIEW_COMMIT) return process.env.ENI_VIEW_COMMIT;
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

const isBuiltin = (id: string) => id.startsWith("node:") || builtinModules.includes(id);
const packageName = (id: string) => id.split("/", id.startsWith("@") ? 2 : 1).join("/");

rmSync(out, { recursive: true, force: true });
const result = await build({
  input: {
    "eni-view": join(root, "apps/server/bin/eni-view.js"),
    // Its own entry: WorkerTransport starts it as a thread from the file beside its chunk.
    ec2Worker: join(root, "apps/server/src/sources/ec2/ec2Worker.ts"),
    // The same for the planner's thread (apps/server/src/plan/planWorker.ts starts it).
    planThread: join(root, "apps/server/src/plan/planThread.ts"),
  },
  platform: "node",
  // Workspace packages and relative files are bundled; every other bare import is a dependency.
  external: (id) =>
    isBuiltin(id) || !(id.startsWith(".") || id.startsWith("/") || id.startsWith("@eni-view/")),
  plugins: [packagePaths()],
  // `eni-view --version` names this commit (apps/server/src/version.ts; a clone asks git instead).
  transform: { define: { "process.env.ENI_VIEW_BUILD_COMMIT": JSON.stringify(buildCommit()) } },
  output: {
    dir: join(out, packageLayout.code),
    format: "esm",
    entryFileNames: "[name].js",
    chunkFileNames: "[name]-[hash].js",
  },
});

// Chunks import each other by file name; anything else a chunk imports is left to Node or npm.
const chunkFiles = new Set(result.output.map((o) => o.fileName));
const undeclared = result.output
  .flatMap((o) => (o.type === "chunk" ? [...o.imports, ...o.dynamicImports] : []))
  .filter((id) => !chunkFiles.has(id) && !isBuiltin(id))
  .map(packageName)
  .filter((name) => !runtimeDependencies.has(name));
if (undeclared.length > 0)
  throw new Error(
    `the bundle imports packages no workspace declares: ${[...new Set(undeclared)].join(", ")}`,
  );

// The repository files the bundle holds, for the Dockerfile check (.dockerignore must keep every one).
const bundled = result.output
  .flatMap((o) => (o.type === "chunk" ? o.moduleIds : []))
  .filter((id) => id.startsWith(root) && !id.includes("/node_modules/"))
  .map((id) => relative(root, id))
  .sort();
writeFileSync(join(root, "dist/package-sources.json"), `${JSON.stringify([...new Set(bundled)], null, 2)}\n`);

const { files } = packageLayout;
cpSync(webDist, join(out, files["apps/web/dist"] as string), { recursive: true });
cpSync(join(root, "packages/sim/scenarios"), join(out, files["packages/sim/scenarios"] as string), {
  recursive: true,
});
for (const doc of ["CHANGELOG.md", "LICENSE"])
  if (existsSync(join(root, doc))) cpSync(join(root, doc), join(out, doc));
cpSync(join(root, "scripts/package/README.md"), join(out, "README.md"));

const locked = lockedSubtree(lockfile, [...runtimeDependencies].sort());
const manifest = {
  name: "eni-view",
  version: rootManifest.version,
  description: rootManifest.description,
  license: rootManifest.license,
  repository: rootManifest.repository,
  keywords: ["eks", "kubernetes", "aws", "vpc-cni", "eni", "dashboard"],
  type: "module",
  bin: { "eni-view": `${packageLayout.code}/eni-view.js` },
  engines: { node: supportedNode },
  // Exact versions, the ones the lockfile and the tests used.
  dependencies: Object.fromEntries(
    [...runtimeDependencies].sort().map((name) => [name, locked.version(name)]),
  ),
};
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);

writeFileSync(join(out, "npm-shrinkwrap.json"), `${JSON.stringify(locked.shrinkwrap(manifest), null, 2)}\n`);
console.log(`eni-view ${manifest.version}: ${out}`);
