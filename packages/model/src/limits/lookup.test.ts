import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { allInstanceTypes, lookupInstanceType, resolveInstanceType } from "./lookup.ts";

test("the generated table matches data/instance-limits.tsv row for row (run `npm run generate` if not)", () => {
  const lines = readFileSync(new URL("../../data/instance-limits.tsv", import.meta.url), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .slice(1);
  const table = new Map(allInstanceTypes().map((f) => [f.instanceType, f]));
  assert.equal(table.size, lines.length);
  for (const line of lines) {
    const [type, vcpus, hypervisor, bareMetal, maxEnis, ipv4, card, cards, , branch, trunking] =
      line.split("\t");
    assert.deepEqual(
      table.get(type!),
      {
        instanceType: type,
        vcpus: vcpus === "" ? null : Number(vcpus),
        hypervisor,
        bareMetal: bareMetal === "true",
        maxEnis: Number(maxEnis),
        ipv4PerEni: Number(ipv4),
        defaultNetworkCardIndex: Number(card),
        networkCards: Number(cards),
        branchEnis: branch === "" ? null : Number(branch),
        trunkingCompatible: trunking === "" ? null : trunking === "true",
      },
      type,
    );
  }
});

test("lookups hand out copies, so a caller cannot change the table", () => {
  const facts = lookupInstanceType("t3.medium")!;
  facts.maxEnis = 99;
  assert.equal(lookupInstanceType("t3.medium")?.maxEnis, 3);
});

test("run-time facts take precedence over the table", () => {
  const mine = { ...lookupInstanceType("t3.medium")!, maxEnis: 2 };
  assert.equal(resolveInstanceType("T3.MEDIUM", [mine])?.maxEnis, 2);
  assert.equal(resolveInstanceType("t3.medium")?.maxEnis, 3);
});
