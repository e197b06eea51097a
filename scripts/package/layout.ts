// Where things sit in the npm package `eni-view` (dist/package), shared by the build, the tests and the
// benchmark.
//
// Sources find their files from their own URL (`new URL("../../scenarios/", import.meta.url)`), relative
// to where they sit in the repository. Bundled, every module lives in `lib/`, so the build resolves each
// such URL against the module's repository path and points it at the package's copy below; a URL to a
// file this table does not name, or any other use of import.meta outside `selfLocating`, fails the build.
export const packageLayout = {
  code: "lib",
  /** Repository path -> package path, for every file or folder the bundled code finds by URL. */
  files: {
    "apps/server/package.json": "package.json",
    "apps/web/dist": "web/dist",
    "packages/sim/scenarios": "scenarios",
    "apps/server/src/sources/ec2/ec2Worker.ts": "lib/ec2Worker.js",
    "apps/server/src/plan/planThread.ts": "lib/planThread.js",
  } as Record<string, string>,
  /** Modules that look for their package.json themselves, one or two folders up (apps/server/src/ in
   * the repository, lib/ in the package): their import.meta.url is left as the bundle's. */
  selfLocating: ["apps/server/bin/nodeCheck.js", "apps/server/src/version.ts"],
} as const;

/** Node.js LTS lines the package supports (`engines`; bin/nodeCheck.js refuses others in one line). */
export const supportedNode = "^22.12.0 || ^24.0.0";
