// `eni-view sim` through the real CLI (bin/eni-view.js): it starts, prints how to reach it, writes
// kubeconfig and endpoints.json, serves kubectl, and stops cleanly on SIGTERM; bad flags exit 2.
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { englishEnv } from "../testing/cli.ts";
import { runInProcess } from "../testing/inProcessCli.ts";

const bin = new URL("../../bin/eni-view.js", import.meta.url).pathname;

// Bad flags stop before anything starts: checked in this process, without a Node.js start each.
const cli = (...args: string[]) => runInProcess(args);

test("bad flags exit 2 with one line naming the problem", async () => {
  const cases: [string[], RegExp][] = [
    [["--speed", "0"], /--speed must be a number from 0.01 to 1000, got "0"/],
    [["--speed", "fast"], /--speed must be a number from 0.01 to 1000, got "fast"/],
    [["--nodes=-3"], /--nodes must be a whole number from 1 to 20000, got "-3"/],
    [
      ["--scenario", "large", "--pods-per-node", "2.5"],
      /--pods-per-node must be a whole number from 0 to 1514/,
    ],
    [["--scenario", "nope"], /unknown scenario "nope"/],
    [["--nodes", "10"], /fixed size; --nodes and --pods-per-node apply to generated scenarios/],
    [["--faults", '{"dropWatch":true}'], /--faults: unknown fault setting "dropWatch"/],
    [["--faults", "{"], /--faults is not JSON/],
    [["--colour"], /unknown option '--colour'/],
  ];
  for (const [args, message] of cases) {
    const { code, stderr } = await cli("sim", ...args);
    assert.equal(code, 2, args.join(" "));
    assert.match(stderr, message);
    assert.doesNotMatch(stderr, /\n\s+at /, "no stack trace");
  }
});

test("starts, prints how to point kubectl and aws at it, serves kubectl, stops on SIGTERM", async () => {
  const dir = mkdtempSync(join(tmpdir(), "eni-view-sim-cli-"));
  const child = spawn(process.execPath, [bin, "sim", "--state-dir", dir, "--speed", "20"], {
    env: englishEnv(),
  });
  let out = "";
  child.stdout.on("data", (c) => {
    out += c;
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", () => {
      if (out.includes("Stop with Ctrl-C.")) resolve();
    });
    child.on("exit", (code) => reject(new Error(`exited early with ${code}`)));
  });
  try {
    assert.match(out, new RegExp(`export KUBECONFIG=${join(dir, "kubeconfig")}`));
    assert.match(
      out,
      /aws ec2 describe-network-interfaces --endpoint-url http:\/\/127\.0\.0\.1:\d+ --region ap-northeast-2/,
    );
    const endpoints = JSON.parse(readFileSync(join(dir, "endpoints.json"), "utf8"));
    assert.match(endpoints.kubernetes, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match(endpoints.ec2, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(endpoints.region, "ap-northeast-2");
    const nodes = await new Promise<string>((resolve, reject) =>
      execFile(
        "kubectl",
        [
          "--kubeconfig",
          join(dir, "kubeconfig"),
          "--cache-dir",
          join(dir, "cache"),
          "get",
          "nodes",
          "--no-headers",
        ],
        (err, stdout) => (err ? reject(err) : resolve(stdout)),
      ),
    );
    assert.equal(nodes.trim().split("\n").length, 3);
  } finally {
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    child.kill("SIGTERM");
    assert.equal(await exited, 0, "exits 0 after closing its servers");
  }
});
