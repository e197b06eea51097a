import assert from "node:assert/strict";
import { test } from "node:test";
import { lookupInstanceType } from "./limits/lookup.ts";
import { plausibleInstanceTypes } from "./plausibleLimits.ts";

const m5 = lookupInstanceType("m5.large")!;

test("real types pass unchanged, as the same array", () => {
  const types = [m5, { ...m5, instanceType: "m9.future", maxEnis: 30, ipv4PerEni: 100 }];
  const checked = plausibleInstanceTypes(types);
  assert.equal(checked.types, types);
  assert.deepEqual(checked.warnings, []);
});

test("a type claiming 100,000 ENIs is clamped and said; zero and NaN become one", () => {
  const absurd = { ...m5, instanceType: "x1.absurd", maxEnis: 100_000, ipv4PerEni: 50 };
  const broken = { ...m5, instanceType: "x1.broken", maxEnis: 0, ipv4PerEni: Number.NaN };
  const checked = plausibleInstanceTypes([m5, absurd, broken]);
  assert.equal(checked.types[0], m5);
  assert.equal(checked.types[1]!.maxEnis, 96);
  assert.equal(checked.types[1]!.ipv4PerEni, 50);
  assert.deepEqual([checked.types[2]!.maxEnis, checked.types[2]!.ipv4PerEni], [1, 1]);
  assert.equal(checked.warnings.length, 2);
  assert.match(
    checked.warnings[0]!,
    /^instance type x1\.absurd claims 100,000 ENIs of 50 IPv4 addresses each; no EC2 type has more than 24 ENIs or 64 addresses per ENI: counted and drawn as 96 of 50$/,
  );
});
