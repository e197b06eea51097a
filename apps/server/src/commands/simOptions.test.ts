// `start` and `serve --source sim` take every simulator option, and the kubectl lines their banner prints
// work on the scenario started: run through the real CLI and the real kubectl.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import type { Topology } from "@eni-view/model";
import { runCli, type ServingCli, serveCli } from "../testing/cli.ts";

const run = promisify(execFile);

async function stop(cli: ServingCli): Promise<void> {
  if (cli.child.exitCode !== null) return;
  cli.child.kill("SIGINT");
  await once(cli.child, "exit");
}

/** The topology once the server has read the cluster (it answers 503 "loading" until then). */
async function topology(url: string): Promise<Topology> {
  for (;;) {
    const res = await fetch(`${url}/api/topology`);
    if (res.status === 200) return (await res.json()) as Topology;
    await res.body?.cancel();
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The banner's kubectl lines, without their comments: what a user would copy. */
function kubectlLines(banner: string): { kubeconfig: string; commands: string[][] } {
  const kubeconfig = /export KUBECONFIG=(\S+)/.exec(banner)![1]!;
  const commands = banner
    .split("\n")
    .filter((l) => l.startsWith("  kubectl "))
    .map((l) => l.replace(/#.*$/, "").trim().split(/\s+/).slice(1));
  return { kubeconfig, commands };
}

describe("start on the scale lab", () => {
  let dir = "";
  let cli: ServingCli;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "eni-view-start-"));
    cli = await serveCli(
      ["start", "--port", "0", "--speed", "20", "--seed", "5", "--state-dir", dir],
      /Open (http:\/\/127\.0\.0\.1:\d+)\/[\s\S]*Ctrl-C to stop\./,
    );
  });
  after(async () => {
    await stop(cli);
    await rm(dir, { recursive: true, force: true });
  });

  test("--port, --seed and --state-dir are taken; the banner's scale lines are the scale lab's 43 and 50", async () => {
    assert.match(cli.output(), new RegExp(`export KUBECONFIG=${join(dir, "kubeconfig")}`));
    const { commands } = kubectlLines(cli.output());
    assert.deepEqual(commands, [
      ["get", "nodes", "-o", "wide"],
      // 3 t3.medium x 17 max pods = 51, less 3 aws-node, 3 kube-proxy and 2 coredns: 43 nginx fit.
      ["scale", "deployment", "nginx-deployment", "--replicas=43"],
      ["scale", "deployment", "nginx-deployment", "--replicas=50"],
    ]);
  });

  test("running the banner's last line leaves 43 nginx pods running and 7 Pending", {
    timeout: 120_000,
  }, async () => {
    const { kubeconfig, commands } = kubectlLines(cli.output());
    await run("kubectl", [
      "--kubeconfig",
      kubeconfig,
      "--cache-dir",
      join(dir, "cache"),
      ...commands.at(-1)!,
    ]);
    for (;;) {
      const t = await topology(cli.url);
      const nginx = t.pods.filter((p) => p.owner === "Deployment/nginx-deployment").length;
      const pending = t.pending.filter((p) => p.owner === "Deployment/nginx-deployment").length;
      if (nginx === 43 && pending === 7) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  });
});

test("serve --source sim takes --scenario, --nodes, --pods-per-node and --seed; its kubectl lines name a deployment that exists", {
  timeout: 120_000,
}, async () => {
  const dir = await mkdtemp(join(tmpdir(), "eni-view-serve-large-"));
  const cli = await serveCli(
    [
      "serve",
      "--source",
      "sim",
      "--scenario",
      "large",
      "--nodes",
      "24",
      "--pods-per-node",
      "12",
      "--seed",
      "9",
      "--state-dir",
      dir,
      "--port",
      "0",
    ],
    /serving sim at (http:\/\/127\.0\.0\.1:\d+)\/[\s\S]*faults -d/,
  );
  try {
    const t = await topology(cli.url);
    assert.equal(t.nodes.length, 24);
    assert.equal(t.cluster.name, "big-cluster");
    const { kubeconfig, commands } = kubectlLines(cli.output());
    const scale = commands.find((c) => c[0] === "scale")!;
    assert.ok(scale, cli.output());
    assert.notEqual(scale[2], "nginx-deployment", "the large scenario has no nginx-deployment");
    const ns = scale.includes("-n") ? scale[scale.indexOf("-n") + 1]! : "default";
    const { stdout } = await run("kubectl", [
      "--kubeconfig",
      kubeconfig,
      "--cache-dir",
      join(dir, "cache"),
      "get",
      "deployment",
      scale[2]!,
      "-n",
      ns,
      "-o",
      "name",
    ]);
    assert.equal(stdout.trim(), `deployment.apps/${scale[2]}`);
  } finally {
    await stop(cli);
    await rm(dir, { recursive: true, force: true });
  }
});

test("simulator options are refused with a clear line where they do not apply or are out of range", async () => {
  const cases: [string[], RegExp][] = [
    [["serve", "--nodes", "10"], /--nodes applies only to --source sim/],
    [["serve", "--source", "sim", "--nodes", "10", "--port", "0"], /scenario "scale-lab" has a fixed size/],
    [["start", "--nodes", "0"], /--nodes must be a whole number from 1 to 20000, got "0"/],
    [["start", "--faults", "{}x"], /--faults is not JSON/],
    [["start", "--port", "http"], /--port must be a port number/],
  ];
  const results = await Promise.all(cases.map(([args]) => runCli(args)));
  cases.forEach(([args, message], i) => {
    const { code, stderr } = results[i]!;
    assert.equal(code, 2, `${args.join(" ")}: ${stderr}`);
    assert.match(stderr, message);
  });
});
