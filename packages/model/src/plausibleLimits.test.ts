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

test("a type claiming 100,000 ENIs, or zero, or NaN, is refused and said: its capacity is unknown", () => {
  const absurd = { ...m5, instanceType: "x1.absurd", maxEnis: 100_000, ipv4PerEni: 50 };
  const broken = { ...m5, instanceType: "x1.broken", maxEnis: 0, ipv4PerEni: Number.NaN };
  const checked = plausibleInstanceTypes([m5, absurd, broken]);
  assert.deepEqual(checked.types, [m5]);
  assert.deepEqual([...checked.refused], ["x1.absurd", "x1.broken"]);
  assert.equal(checked.warnings.length, 2);
  assert.match(
    checked.warnings[0]!,
    /^instance type x1\.absurd claims 100,000 ENIs of 50 IPv4 addresses each; no EC2 type has more than 24 ENIs or 64 addresses per ENI: its capacity is left unknown$/,
  );
});
