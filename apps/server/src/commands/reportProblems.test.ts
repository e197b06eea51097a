// The problems summary at the top of `report`, `--problems`, and Pending grouping on a big capture,
// through the real CLI.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Report } from "@eni-view/model";
import { runCli } from "../testing/cli.ts";

const fixture = (name: string) => new URL(`../sources/dump/fixtures/${name}`, import.meta.url).pathname;
const report = (...args: string[]) => runCli(["report", ...args]);

describe("report's problems summary on the edge-cases capture", () => {
  test("comes right after the header, each kind with its nodes, then the Pending groups", async () => {
    const { code, stdout } = await report("--dump", fixture("edge-cases"));
    assert.equal(code, 0);
    const lines = stdout.split("\n");
    const at = lines.indexOf("Problems");
    assert.equal(at, 5, "after the capture, cluster, totals and pods lines and a blank");
    const block = lines.slice(at, lines.indexOf("", at)).join("\n");
    // 2-188: busy is bound there without an IP; kubelet max 110 > 17 by ENI; its 3 ENIs all attached.
    assert.match(block, /pods waiting for an IP \(1\): ip-192-168-2-188 \(1 bound pod without an IP\)/);
    assert.match(
      block,
      /max pods above what the ENIs hold \(2\): ip-192-168-2-188 \(max pods 110 > 17 by ENIs\),\s+ip-192-168-3-52 \(max pods 29 > 20 by ENIs\)/,
    );
    assert.match(block, /every ENI the type allows attached \(1\): ip-192-168-2-188/);
    assert.match(block, /Pending pods \(3\): 1 × default\/Deployment\/bigjob insufficient-resources/);
    assert.ok(
      lines.indexOf("Warnings (4)") < lines.findIndex((l) => l.startsWith("NODE ")),
      "warnings before the node table",
    );
  });

  test("a capture with nothing wrong says Problems: none", async () => {
    const { stdout } = await report("--dump", fixture("scale-lab-2"));
    assert.match(stdout, /\nProblems: none\n/);
  });

  test("--problems keeps only the nodes with a problem, and all the Pending pods", async () => {
    const { stdout } = await report("--dump", fixture("edge-cases"), "--problems", "-o", "json");
    const r = JSON.parse(stdout) as Report;
    // 1-167 (5/29, 2 of 3 ENIs) and 1-78 (type unknown) have none.
    assert.deepEqual(
      r.nodes.map((n) => n.name.split(".")[0]),
      ["ip-192-168-2-188", "ip-192-168-3-52"],
    );
    assert.equal(r.pending.length, 3);
    const both = await report(
      "--dump",
      fixture("edge-cases"),
      "--problems",
      "--node",
      "ip-192-168-1-167",
      "-o",
      "name",
    );
    assert.equal(both.code, 0);
    assert.equal(both.stdout, "", "a node without problems is not shown by --problems");
  });
});

describe("report on a 60-node capture of the large scenario", () => {
  let dir = "";
  let text = "";
  let json: Report;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "eni-view-large-"));
    const taken = await runCli([
      "capture",
      "--source",
      "sim",
      "--scenario",
      "large",
      "--nodes",
      "60",
      "--out",
      dir,
    ]);
    assert.equal(taken.code, 0, taken.stderr);
    text = (await report("--dump", dir)).stdout;
    json = JSON.parse((await report("--dump", dir, "-o", "json")).stdout) as Report;
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test("one Pending line per owner and reason: the sandbox ids do not split them", () => {
    const owners = new Set(json.pending.map((p) => `${p.namespace}/${p.owner} · ${p.reason}`));
    assert.ok(json.pending.length > owners.size, "the scenario leaves several pods of one owner Pending");
    const groupLines = text.split("\n").filter((l) => /^ {2}\d+ × \S+ · [a-z-]+:/.test(l));
    assert.equal(groupLines.length, owners.size);
    assert.match(text, new RegExp(`Pending pods: ${json.pending.length} in ${owners.size} groups?`));
  });

  test("the problems and the warning are on the first screen, not after the tables", () => {
    const lines = text.split("\n");
    assert.equal(lines.indexOf("Problems"), 5);
    const warnings = lines.findIndex((l) => l.startsWith("Warnings ("));
    assert.ok(warnings > 5 && warnings < 30, `warnings at line ${warnings + 1}`);
    assert.ok(warnings < lines.findIndex((l) => l.startsWith("NODE ")));
    // The overcommitted node group (kubelet max 110 on secondary IPs) is named in the summary.
    const over = json.nodes.filter((n) => n.overcommitted);
    assert.ok(over.length > 0);
    assert.match(text, new RegExp(`max pods above what the ENIs hold \\(${over.length}\\)`));
  });
});
