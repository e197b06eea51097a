// Runs the CLI's main in this process (testing/inProcessCli.ts), in English.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { NodeCapacity } from "@eni-view/model";
import { load } from "js-yaml";
import { runInProcess } from "../testing/inProcessCli.ts";

const cli = (...args: string[]) => runInProcess(args);

test("the lab types: t3.medium 17, c5d.large 29 (secondary IPs)", async () => {
  const { code, stdout } = await cli("capacity", "t3.medium", "c5d.large");
  assert.equal(code, 0);
  assert.match(stdout, /^TYPE\s+VCPUS\s+ENIS\s+IPV4\/ENI\s+POD ENIS\s+POD IPS\s+MAX PODS\s+MODE$/m);
  assert.match(stdout, /^t3\.medium\s+2\s+3\s+6\s+3\s+15\s+17\s+secondary-ip$/m);
  assert.match(stdout, /^c5d\.large\s+2\s+3\s+10\s+3\s+27\s+29\s+secondary-ip$/m);
});

test("--json with prefix delegation and custom networking", async () => {
  const pd = JSON.parse(
    (await cli("capacity", "t3.medium", "m5.8xlarge", "--prefix-delegation", "--json")).stdout,
  ) as NodeCapacity[];
  assert.deepEqual(
    pd.map((c) => [c.instanceType, c.maxEnis, c.ipv4PerEni, c.vcpus, c.maxPods, c.maxPodsUncapped]),
    [
      ["t3.medium", 3, 6, 2, 110, 242],
      ["m5.8xlarge", 8, 30, 32, 250, 3714],
    ],
  );
  const custom = JSON.parse(
    (await cli("capacity", "t3.medium", "--custom-networking", "--json")).stdout,
  ) as NodeCapacity[];
  assert.equal(custom[0]!.maxPods, 2 * 5 + 2);
});

test("every known type when none is named; a family small to large, as AWS sizes them", async () => {
  const all = JSON.parse((await cli("capacity", "--json")).stdout) as NodeCapacity[];
  assert.equal(all.length, 1391);
  assert.ok(all.every((c) => c.known));
  const t3 = JSON.parse((await cli("capacity", "t3.*", "--json")).stdout) as NodeCapacity[];
  assert.deepEqual(
    t3.map((c) => c.instanceType),
    ["t3.nano", "t3.micro", "t3.small", "t3.medium", "t3.large", "t3.xlarge", "t3.2xlarge"],
  );
  // 2xlarge before 12xlarge (string order puts it after), metal last.
  const m5 = (await cli("capacity", "m5.*", "-o", "name")).stdout.trimEnd().split("\n");
  assert.deepEqual(m5, [
    "instancetype/m5.large",
    "instancetype/m5.xlarge",
    "instancetype/m5.2xlarge",
    "instancetype/m5.4xlarge",
    "instancetype/m5.8xlarge",
    "instancetype/m5.12xlarge",
    "instancetype/m5.16xlarge",
    "instancetype/m5.24xlarge",
    "instancetype/m5.metal",
  ]);
  // Named types keep the order they were named in.
  const named = JSON.parse(
    (await cli("capacity", "t3.large", "t3.nano", "-o", "json")).stdout,
  ) as NodeCapacity[];
  assert.deepEqual(
    named.map((c) => c.instanceType),
    ["t3.large", "t3.nano"],
  );
});

test("-o yaml is the JSON's figures; -o wide adds hypervisor, network cards and branch ENIs", async () => {
  const yaml = load((await cli("capacity", "c5.large", "-o", "yaml")).stdout);
  assert.deepEqual(yaml, JSON.parse((await cli("capacity", "c5.large", "--json")).stdout));
  const wide = await cli("capacity", "c5.large", "p5.48xlarge", "-o", "wide");
  assert.equal(wide.code, 0);
  assert.match(wide.stdout, /^TYPE .* MODE\s+HYPERVISOR\s+CARDS\s+BRANCH ENIS$/m);
  // c5.large: Nitro, one network card, 9 branch ENIs (aws/amazon-vpc-resource-controller-k8s limits).
  assert.match(wide.stdout, /^c5\.large\s.*secondary-ip\s+nitro\s+1\s+9$/m);
  assert.match(wide.stdout, /^p5\.48xlarge\s.*\s+nitro\s+32\s/m);
  const bad = await cli("capacity", "t3.medium", "-o", "table");
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /-o must be one of json, yaml, wide, name/);
});

test("an unknown type: exit 2, one line that says so", async () => {
  const { code, stdout, stderr } = await cli("capacity", "t3.mediun");
  assert.equal(code, 2);
  assert.equal(stdout, "");
  assert.equal(stderr.trim().split("\n").length, 1);
  assert.match(
    stderr,
    /^eni-view capacity: unknown instance type "t3.mediun": not in the built-in table of 1391 types \(t3\.\* has /,
  );
  const bad = await cli("capacity", "--max-eni", "zero");
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--max-eni must be a whole number >= 1, got "zero"/);
});
