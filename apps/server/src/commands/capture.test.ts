// `capture` through the real CLI against a simulator started in this process: its output formats, and
// missing credentials failing at once in the credential chain's own words.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type Sim, startSim } from "@eni-view/sim";
import { load } from "js-yaml";
import { captureSimArgs, runCli } from "../testing/cli.ts";

let sim: Sim;
let dir = "";

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "eni-view-capture-"));
  sim = await startSim({ stateDir: join(dir, "sim") });
});
after(async () => {
  await sim.stop();
  await rm(dir, { recursive: true, force: true });
});

/** The environment of a machine with no AWS credentials anywhere: no keys, no profile, an empty home,
 * and no instance metadata (as on a laptop). */
function noCredentials(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("AWS_")) env[k] = v;
  return { ...env, HOME: join(dir, "home"), AWS_EC2_METADATA_DISABLED: "true", ...extra };
}

// A timeout far longer than the test may take: only failing at once passes.
const captureArgs = (out: string) => [...captureSimArgs(sim, out), "--timeout", "3600"];

describe("capture without AWS credentials", () => {
  test("fails at once, exit 2, with the chain's message and what to set", { timeout: 60_000 }, async () => {
    await mkdir(join(dir, "home"), { recursive: true });
    const out = join(dir, "none");
    const { code, stdout, stderr } = await runCli(captureArgs(out), { env: noCredentials() });
    assert.equal(code, 2, stderr);
    assert.equal(stdout, "");
    assert.match(
      stderr,
      /^eni-view capture: no AWS credentials for EC2: Could not load credentials from any providers; set AWS_PROFILE .* IAM role \(IRSA or EKS Pod Identity\)\n$/,
    );
    assert.ok(!existsSync(join(out, "nodes.json")), "nothing written");
  });

  test("an SSO profile without a session says to run aws sso login, as the chain does", {
    timeout: 60_000,
  }, async () => {
    const home = join(dir, "sso-home");
    await mkdir(join(home, ".aws"), { recursive: true });
    await writeFile(
      join(home, ".aws", "config"),
      [
        "[profile lab]",
        "sso_session = corp",
        "sso_account_id = 111122223333",
        "sso_role_name = ReadOnly",
        "region = ap-northeast-2",
        "[sso-session corp]",
        "sso_start_url = https://example.awsapps.com/start",
        "sso_region = ap-northeast-2",
        "",
      ].join("\n"),
    );
    const { code, stderr } = await runCli(captureArgs(join(dir, "sso")), {
      env: noCredentials({ HOME: home, AWS_PROFILE: "lab" }),
    });
    assert.equal(code, 2, stderr);
    assert.match(stderr, /^eni-view capture: no AWS credentials for EC2: .*profile=lab.*aws sso login/);
  });
});

describe("capture -o", () => {
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: "AKIATEST",
    AWS_SECRET_ACCESS_KEY: "x",
    AWS_EC2_METADATA_DISABLED: "true",
  };

  test("-o json and -o yaml list the folder and each file with its objects and bytes", {
    timeout: 60_000,
  }, async () => {
    const out = join(dir, "json");
    const json = await runCli([...captureArgs(out), "-o", "json"], { env });
    assert.equal(json.code, 0, json.stderr);
    const written = JSON.parse(json.stdout) as {
      out: string;
      files: { file: string; items: number; bytes: number }[];
    };
    assert.equal(written.out, out);
    const nodes = written.files.find((f) => f.file === "nodes.json")!;
    assert.equal(nodes.items, 3, "the scale lab's 3 nodes");
    assert.equal(nodes.bytes, (await readFile(join(out, "nodes.json"))).length);
    const yaml = await runCli([...captureArgs(join(dir, "yaml")), "-o", "yaml"], { env });
    const fromYaml = load(yaml.stdout) as typeof written;
    assert.deepEqual(
      fromYaml.files.map((f) => [f.file, f.items]),
      written.files.map((f) => [f.file, f.items]),
    );
  });

  test("-o name prints each file's path, -o wide a table of them", { timeout: 60_000 }, async () => {
    const out = join(dir, "name");
    const names = await runCli([...captureArgs(out), "-o", "name"], { env });
    assert.equal(names.code, 0, names.stderr);
    const paths = names.stdout.trimEnd().split("\n");
    assert.ok(paths.includes(join(out, "pods.json")));
    for (const p of paths) assert.ok(existsSync(p), p);
    const wide = await runCli([...captureArgs(join(dir, "wide")), "-o", "wide"], { env });
    assert.match(wide.stdout, /^FILE\s+OBJECTS\s+BYTES$/m);
    assert.match(wide.stdout, new RegExp(`^${join(dir, "wide", "nodes.json")}\\s+3\\s+\\d+$`, "m"));
  });
});
