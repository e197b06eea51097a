import assert from "node:assert/strict";
import { test } from "node:test";
import { compareInstanceTypes } from "./instanceSize.ts";

test("sizes sort nano to metal, Nxlarge by N, metal-Nxl before the whole-host metal", () => {
  const shuffled = [
    "m7i.metal-48xl",
    "m7i.12xlarge",
    "m7i.metal-24xl",
    "m7i.2xlarge",
    "m7i.large",
    "m7i.xlarge",
    "m7i.48xlarge",
    "a1.metal",
    "a1.medium",
  ];
  assert.deepEqual([...shuffled].sort(compareInstanceTypes), [
    "a1.medium",
    "a1.metal",
    "m7i.large",
    "m7i.xlarge",
    "m7i.2xlarge",
    "m7i.12xlarge",
    "m7i.48xlarge",
    "m7i.metal-24xl",
    "m7i.metal-48xl",
  ]);
});
