import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { nodeVersionProblem, satisfies } from "../../bin/nodeCheck.js";
import { runCli } from "../testing/cli.ts";
import { buildInfo } from "../version.ts";

const repo = new URL("../../../../", import.meta.url).pathname;

test("--version and version print the version, the commit git has checked out and the Node.js", async () => {
  const head = execFileSync("git", ["rev-parse", "--short=12", "HEAD"], {
    cwd: repo,
    encoding: "utf8",
  }).trim();
  const { version } = JSON.parse(
    execFileSync("git", ["show", "HEAD:package.json"], { cwd: repo, encoding: "utf8" }),
  );
  for (const args of [["--version"], ["version"]]) {
    const { code, stdout } = await runCli(args);
    assert.equal(code, 0);
    assert.equal(
      stdout.replace("-dirty", ""),
      `eni-view ${version} (commit ${head}, Node.js ${process.version}, ${process.platform}/${process.arch})\n`,
    );
  }
  const json = JSON.parse((await runCli(["version", "-o", "json"])).stdout);
  assert.deepEqual(
    { ...json, commit: json.commit.replace("-dirty", "") },
    {
      version,
      commit: head,
      node: process.version,
      platform: `${process.platform}/${process.arch}`,
    },
  );
  assert.equal((await runCli(["version", "-o", "wide"])).code, 2);
});

test("a packaged eni-view takes its version from its package.json and the commit from the build stamp", async () => {
  // The package layout: package.json at the root, the bundle two folders below it.
  const dir = await mkdtemp(join(tmpdir(), "eni-view-package-"));
  try {
    await writeFile(join(dir, "package.json"), JSON.stringify({ name: "eni-view", version: "1.4.0" }));
    const bundle = pathToFileURL(join(dir, "lib/cli/eni-view.js"));
    const runtime = { node: process.version, platform: `${process.platform}/${process.arch}` };
    const commit = "0123456789abcdef0123456789abcdef01234567";
    assert.deepEqual(await buildInfo(bundle, commit), {
      version: "1.4.0",
      commit: "0123456789ab",
      ...runtime,
    });
    assert.deepEqual(await buildInfo(bundle, undefined), { version: "1.4.0", commit: null, ...runtime });
    // scripts/package/build.ts stamps "unknown" when it has no git: no commit is printed, not that word.
    assert.equal((await buildInfo(bundle, "unknown")).commit, null);
    assert.equal((await buildInfo(bundle, "\u001b]0;x\u0007")).commit, null);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("engines ranges: >=, ^, ~, x-ranges, spaces and ||", () => {
  assert.ok(satisfies("24.11.0", ">=24"));
  assert.ok(!satisfies("20.20.2", ">=24"));
  assert.ok(!satisfies("v23.9.0", ">=24"));
  assert.ok(satisfies("22.18.0", "^22.18.0 || >=24"));
  assert.ok(!satisfies("22.17.1", "^22.18.0 || >=24"));
  assert.ok(!satisfies("23.1.0", "^22.18.0 || >=24"));
  assert.ok(satisfies("24.0.0", "^22.18.0 || >=24"));
  assert.ok(satisfies("22.20.0", ">= 22.18 < 23"));
  assert.ok(!satisfies("23.0.0", ">= 22.18 < 23"));
  assert.ok(satisfies("24.3.1", "24.x"));
  assert.ok(satisfies("22.18.5", "~22.18"));
  assert.ok(!satisfies("22.19.0", "~22.18"));
  assert.ok(!satisfies("24.0.0", "nonsense"));
});

test("an old Node.js gets one line naming the range and how to get a Node.js that fits", () => {
  assert.equal(nodeVersionProblem({ version: "24.11.0", range: ">=24", checkout: "/src/eni-view" }), null);
  assert.equal(
    nodeVersionProblem({ version: "20.20.2", range: ">=24", checkout: "/src/eni-view" }),
    'eni-view needs Node.js >=24, this is v20.20.2: run it through npm from the repository (npx eni-view ..., npm start), which uses the Node.js that npm install fetched, or put that one first on PATH: export PATH="/src/eni-view/node_modules/.bin:$PATH"',
  );
  assert.match(
    nodeVersionProblem({ version: "18.0.0", range: "^22.18.0 || >=24", checkout: null }) ?? "",
    /^eni-view needs Node\.js \^22\.18\.0 \|\| >=24, this is v18\.0\.0: install a Node\.js that fits/,
  );
});

// The machine's own node (Debian's, older than the project's) running the bin script, as
// `node_modules/.bin/eni-view` does outside npm.
const systemNode = ["/usr/bin/node", "/usr/local/bin/node"].find((p) => {
  if (!existsSync(p)) return false;
  const major = Number(execFileSync(p, ["-p", "process.versions.node.split('.')[0]"], { encoding: "utf8" }));
  return major < 24;
});

test("the bin script under an older Node.js: one line on stderr, exit 1, no stack trace", {
  skip: systemNode === undefined && "no Node.js older than 24 on this machine",
}, async () => {
  for (const args of [["report", "--dump", "x"], ["--version"], []]) {
    const { code, stdout, stderr } = await runCli(args, { node: systemNode! });
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.equal(stderr.split("\n").length, 2, stderr);
    assert.match(
      stderr,
      /^eni-view needs Node\.js >=24, this is v\d+\.\d+\.\d+: run it through npm from the repository/,
    );
    assert.match(stderr, /export PATH="\/.*\/node_modules\/\.bin:\$PATH"\n$/);
  }
});
