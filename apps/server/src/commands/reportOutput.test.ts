// `report`'s output formats, node selection and terminal safety, through the real CLI.
import assert from "node:assert/strict";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Report } from "@eni-view/model";
import { load } from "js-yaml";
import { runCli } from "../testing/cli.ts";

const fixture = (name: string) => new URL(`../sources/dump/fixtures/${name}`, import.meta.url).pathname;
const report = (...args: string[]) => runCli(["report", ...args]);
const nodeRows = (stdout: string) =>
  stdout
    .split("\n")
    .filter((l) => /^ip-192-168-\d-\d+ /.test(l))
    .map((l) => l.split(/ +/)[0]);

describe("report -o", () => {
  test("-o json, --json and -o yaml carry the same report", async () => {
    const json = await report("--dump", fixture("edge-cases"), "-o", "json");
    const alias = await report("--dump", fixture("edge-cases"), "--json");
    const yaml = await report("--dump", fixture("edge-cases"), "-o", "yaml");
    assert.equal(json.code + alias.code + yaml.code, 0, json.stderr + yaml.stderr);
    assert.equal(json.stdout, alias.stdout);
    const parsed = JSON.parse(json.stdout) as Report;
    assert.deepEqual(load(yaml.stdout), parsed);
    assert.equal(parsed.nodes.length, 4);
  });

  test("-o name prints node/NAME for each node, as kubectl does", async () => {
    const { code, stdout } = await report("--dump", fixture("scale-lab-50"), "-o", "name");
    assert.equal(code, 0);
    const lines = stdout.trimEnd().split("\n");
    assert.equal(lines.length, 3);
    for (const l of lines) assert.match(l, /^node\/ip-192-168-\d-\d+\.ap-northeast-2\.compute\.internal$/);
  });

  test("-o wide adds the instance, IP and node group columns, every ENI and every Pending pod", async () => {
    const { code, stdout } = await report("--dump", fixture("scale-lab-50"), "-o", "wide");
    assert.equal(code, 0);
    assert.match(stdout, /^NODE\s+INSTANCE\s+INTERNAL-IP\s+NODE GROUP\s+CAPACITY\s+TYPE\s/m);
    assert.match(stdout, /^ip-192-168-\d-\d+ +i-[0-9a-f]+ +192\.168\.\d+\.\d+ /m);
    assert.match(stdout, /^ENIs$/m);
    assert.match(stdout, /Pending pods: 7 in 1 group\n/);
    const podRows = stdout
      .split("\n")
      .filter((l) =>
        /^default +nginx-deployment-\S+ +Deployment\/nginx-deployment +- +too-many-pods +Pending$/.test(l),
      );
    assert.equal(podRows.length, 7);
  });

  test("a format the command does not print is exit 2 with the choices", async () => {
    const { code, stdout, stderr } = await report(
      "--dump",
      fixture("scale-lab-2"),
      "-o",
      "jsonpath={.nodes}",
    );
    assert.equal(code, 2);
    assert.equal(stdout, "");
    assert.match(
      stderr,
      /^eni-view report: -o must be one of json, yaml, wide, name, got "jsonpath=\{\.nodes\}"\n$/,
    );
  });
});

describe("report --node and --sort", () => {
  test("--node by short name keeps that node, its pods and Pending pods; the summary stays the cluster's", async () => {
    const { code, stdout } = await report(
      "--dump",
      fixture("edge-cases"),
      "--node",
      "ip-192-168-2-188",
      "--json",
    );
    assert.equal(code, 0);
    const r = JSON.parse(stdout) as Report;
    assert.deepEqual(
      r.nodes.map((n) => n.name),
      ["ip-192-168-2-188.ap-northeast-2.compute.internal"],
    );
    assert.ok(r.pods.length > 0 && r.pods.every((p) => p.node === r.nodes[0]!.name));
    // busy is bound there waiting for an IP; bigjob and gpu-trainer were never scheduled.
    assert.deepEqual(
      r.pending.map((p) => p.owner),
      ["Deployment/busy"],
    );
    assert.equal(r.summary.nodes, 4);
    const text = await report(
      "--dump",
      fixture("edge-cases"),
      "--node",
      "ip-192-168-2-188",
      "--node",
      "ip-192-168-1-78.ap-northeast-2.compute.internal",
    );
    assert.deepEqual(nodeRows(text.stdout.split("\nPending")[0]!), ["ip-192-168-2-188", "ip-192-168-1-78"]);
  });

  test("an unknown --node is exit 2 naming it", async () => {
    const { code, stderr } = await report("--dump", fixture("edge-cases"), "--node", "ip-192-168-9-9");
    assert.equal(code, 2);
    assert.match(stderr, /--node "ip-192-168-9-9" is not a node of this capture \(4 nodes\)/);
  });

  test("--sort utilisation puts the fullest node first, --sort warm the one with fewest warm IPs", async () => {
    // pods/max: 1-167 5/29 = .17, 2-188 18/110 = .16, 3-52 4/29 = .14, 1-78 3/29 = .10.
    const util = await report("--dump", fixture("edge-cases"), "--sort", "utilisation", "-o", "name");
    assert.deepEqual(
      util.stdout
        .trimEnd()
        .split("\n")
        .map((l) => l.replace(/^node\/|\..*$/g, "")),
      ["ip-192-168-1-167", "ip-192-168-2-188", "ip-192-168-3-52", "ip-192-168-1-78"],
    );
    // warm: 2-188 0, 1-78 4, then 1-167 and 3-52 with 8 each, by name.
    const warm = await report("--dump", fixture("edge-cases"), "--sort", "warm");
    assert.deepEqual(nodeRows(warm.stdout.split("\nPending")[0]!), [
      "ip-192-168-2-188",
      "ip-192-168-1-78",
      "ip-192-168-1-167",
      "ip-192-168-3-52",
    ]);
    const bad = await report("--dump", fixture("edge-cases"), "--sort", "age");
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--sort must be one of name, utilisation, pending, ips, warm, zone, got "age"/);
  });
});

describe("report on hostile names: text is terminal-safe, JSON and YAML exact", () => {
  // What a node name, an event message, a subnet tag and CLUSTER_NAME can carry: clear screen, a
  // window title ended by BEL, an OSC 8 hyperlink, a CR that overwrites the line, a right-to-left override.
  const NODE = "ip-192-168-1-78.ap-northeast-2.compute.internal";
  const EVIL_NODE = "ip-10\u202eexe.txt\x1b[2J";
  const EVIL_CLUSTER = "prod\x1b]0;owned\x07";
  const EVIL_SUBNET = "\x1b]8;;https://evil.example/\x1b\\subnet\x1b]8;;\x1b\\";
  const EVIL_MESSAGE = "Insufficient cpu.\rall nodes healthy";
  let dir = "";

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "eni-view-hostile-names-"));
    await cp(fixture("edge-cases"), dir, { recursive: true });
    const json = (s: string) => JSON.stringify(s).slice(1, -1);
    for (const file of await readdir(dir)) {
      const path = join(dir, file);
      const text = (await readFile(path, "utf8"))
        .replaceAll(NODE, json(EVIL_NODE))
        .replace('"value": "myeks"', `"value": "${json(EVIL_CLUSTER)}"`)
        .replace('"Value": "myeks-Vpc1PublicSubnet1"', `"Value": "${json(EVIL_SUBNET)}"`)
        .replace("4 Insufficient cpu.", json(EVIL_MESSAGE));
      await writeFile(path, text);
    }
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const raw = (text: string) =>
    [...text].filter((c) => {
      const n = c.codePointAt(0)!;
      return (
        (n < 0x20 && n !== 0x0a) ||
        (n >= 0x7f && n <= 0x9f) ||
        (n >= 0x202a && n <= 0x202e) ||
        (n >= 0x2066 && n <= 0x2069)
      );
    });

  for (const format of [[], ["-o", "wide"], ["-o", "name"]]) {
    test(`report ${format.join(" ") || "(table)"} prints no control or bidi character`, async () => {
      const { code, stdout, stderr } = await report("--dump", dir, ...format);
      assert.equal(code, 0, stderr);
      assert.deepEqual(raw(stdout), []);
      assert.ok(stdout.includes("ip-10\\u202eexe.txt\\x1b[2J"), "the node name, escaped");
      if (format.length === 0) {
        assert.ok(stdout.includes("prod\\x1b]0;owned\\x07 · region"), "CLUSTER_NAME, escaped");
        assert.ok(stdout.includes("cpu.\\rall nodes"), "the event message, escaped");
      }
    });
  }

  test("the subnet's Name tag in report --subnets is escaped", async () => {
    const { code, stdout } = await report("--dump", dir, "--subnets", "subnet-000fb86738b42c835");
    assert.equal(code, 0);
    assert.deepEqual(raw(stdout), []);
    assert.ok(stdout.includes("\\x1b]8;;https://evil.example/\\x1b\\subnet"), "the subnet tag, escaped");
  });

  test("errors, with or without --debug's stack, are escaped too", async () => {
    for (const extra of [[], ["--debug"]]) {
      const { code, stderr } = await report("--dump", join(dir, "gone\x1b]0;owned\x07"), ...extra);
      assert.equal(code, 2);
      assert.deepEqual(raw(stderr), []);
      assert.ok(stderr.includes("gone\\x1b]0;owned\\x07"));
    }
  });

  test("JSON and YAML keep the names exactly", async () => {
    const json = JSON.parse((await report("--dump", dir, "-o", "json")).stdout) as Report;
    const yaml = load((await report("--dump", dir, "-o", "yaml")).stdout) as Report;
    for (const r of [json, yaml]) {
      assert.ok(r.nodes.some((n) => n.name === EVIL_NODE));
      assert.equal(r.cluster.name, EVIL_CLUSTER);
      assert.ok(r.subnets.some((s) => s.name === EVIL_SUBNET));
      assert.ok(r.pending.some((p) => p.message.includes(EVIL_MESSAGE)));
    }
  });
});
