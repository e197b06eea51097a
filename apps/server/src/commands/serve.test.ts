import assert from "node:assert/strict";
import { once } from "node:events";
import { describe, it } from "node:test";
import type { Topology } from "@eni-view/model";
import { main } from "../cli.ts";
import { serveCli } from "../testing/cli.ts";
import { SseClient } from "../testing/sseClient.ts";

const lab = new URL("../fixtures/lab-2-replicas", import.meta.url).pathname;

/** Runs the CLI in this process (as bin/eni-view.js does), capturing what it prints to stderr. */
async function fails(args: string[]): Promise<{ code: number; stderr: string }> {
  const saved = { error: console.error, kubeconfig: process.env.KUBECONFIG };
  let stderr = "";
  console.error = (...parts: unknown[]) => {
    stderr += `${parts.map(String).join(" ")}\n`;
  };
  process.env.KUBECONFIG = "/nonexistent/kubeconfig";
  try {
    return { code: await main(args, { LANG: "C.UTF-8" }), stderr };
  } finally {
    console.error = saved.error;
    if (saved.kubeconfig === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved.kubeconfig;
  }
}

describe("eni-view serve", () => {
  it("serves a capture folder until Ctrl-C, printing where", async () => {
    const served = await serveCli(
      ["serve", "--dump", lab, "--port", "0"],
      /serving dump at (http:\/\/127\.0\.0\.1:\d+)\//,
    );
    const { child, url } = served;
    try {
      const t = (await (await fetch(`${url}/api/topology?token=not-for-the-log-0123`)).json()) as Topology;
      assert.equal((t as unknown as { error: string }).error, "bad-request");
      const topology = (await (await fetch(`${url}/api/topology`)).json()) as Topology;
      assert.equal(topology.nodes.length, 3);
      // An open event stream must not keep the server from stopping.
      const viewer = new SseClient();
      await viewer.connect(`${url}/api/stream`);
      await viewer.waitFor((e) => e.event === "snapshot");
      child.kill("SIGINT");
      const [code] = await once(child, "exit");
      assert.equal(code, 0);
      // The log: JSON lines on stderr at info, a line per request by path, never the query string.
      const lines = served
        .log()
        .split("\n")
        // (Node's own warnings, such as node:sqlite's, are plain lines beside them.)
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const requests = lines.filter((l) => l.msg === "request").map((l) => [l.path, l.status]);
      assert.deepEqual(requests.slice(0, 2), [
        ["/api/topology", 400],
        ["/api/topology", 200],
      ]);
      assert.ok(!served.log().includes("not-for-the-log"));
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });

  it("answers the liveness probe on --probe-port, printing where", async () => {
    const served = await serveCli(
      ["serve", "--dump", lab, "--port", "0", "--probe-port", "0"],
      /liveness probe: (http:\/\/127\.0\.0\.1:\d+)\/livez/,
    );
    try {
      const res = await fetch(`${served.url}/livez`);
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { status: "ok" });
      served.child.kill("SIGINT");
      const [code] = await once(served.child, "exit");
      assert.equal(code, 0);
    } finally {
      if (served.child.exitCode === null) served.child.kill("SIGKILL");
    }
  });

  it("refuses bad options with one clear line and exit code 2", async () => {
    const cases: [string[], RegExp][] = [
      [["serve", "--port", "99999"], /--port must be a port number from 0 to 65535/],
      [["serve", "--probe-port", "http"], /--probe-port must be a port number from 0 to 65535/],
      [["serve", "--source", "aws"], /--source must be cluster or sim or dump, got "aws"/],
      [["serve", "--source", "dump"], /--source dump needs --dump DIR/],
      [["serve", "--dump", "/nonexistent/capture"], /capture folder \/nonexistent\/capture does not exist/],
      [["serve", "--speed", "5"], /--speed applies only to --source sim/],
      [["serve", "--source", "sim", "--context", "prod"], /--context applies only to --source cluster/],
      [["serve", "--region", "mars-1"], /--region must be an AWS region/],
      [["serve", "--cluster-name", "<b>x</b>"], /--cluster-name must be 1 to 100 letters/],
      [["serve", "--dump", lab, "--cluster-name", "prod"], /--cluster-name applies only to --source cluster/],
      [
        ["serve", "--source", "sim", "--cluster-name", "prod"],
        /--cluster-name applies only to --source cluster/,
      ],
      [["serve", "--ec2-interval", "0"], /--ec2-interval must be a number from 1 to 3600/],
      [["serve", "--frame-ancestors", "'self'; script-src *"], /--frame-ancestors must be CSP sources/],
      [["serve"], /cannot read the kubeconfig/],
      [["serve", "--source", "sim", "--scenario", "nope"], /unknown scenario "nope"/],
      [["start", "--speed", "0"], /--speed must be a number from 0.01 to 1000, got "0"/],
      [["capture"], /--out DIR is required/],
      [["capture", "--out", "/tmp/x", "--source", "dump"], /--source must be cluster or sim, got "dump"/],
      [["capture", "--out", "/tmp/x", "--timeout", "abc"], /--timeout must be a number/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await fails(args);
      assert.equal(code, 2, `${args.join(" ")}: ${stderr}`);
      assert.match(stderr, message);
      assert.doesNotMatch(stderr, /\n\s+at /, "no stack trace");
    }
  });
});
