// Where things sit in the npm package `eni-view` (dist/package), shared by the build, the Dockerfile
// check and the tests.
//
// The bundled code sits two folders below the package root, as every source file that finds a data
// folder from its own URL does in the repository: packages/sim/src/scenarios/scenario.ts reads
// `../../scenarios/` and apps/server/src/server.ts serves `../../web/dist`. Bundled into lib/cli/, the
// same relative URLs reach the package's scenarios/ and web/dist/ with no path rewritten.
export const packageLayout = {
  code: "lib/cli",
  scenarios: "scenarios",
  web: "web/dist",
} as const;

/** Node.js LTS lines the package supports (`engines`); the CLI says so in one line on any other. */
export const supportedNode = "^22.12.0 || ^24.0.0";
