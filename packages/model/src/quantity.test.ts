import assert from "node:assert/strict";
import { test } from "node:test";
import { parseCpuMilli, parseQuantity } from "./quantity.ts";

test("Kubernetes quantities as node status prints them", () => {
  assert.equal(parseQuantity("17"), 17);
  assert.equal(parseQuantity("3388356Ki"), 3388356 * 1024);
  assert.equal(parseQuantity("1.5Gi"), 1.5 * 2 ** 30);
  assert.equal(parseQuantity("27905944324"), 27905944324);
  assert.equal(parseQuantity("2G"), 2e9);
  assert.equal(parseCpuMilli("1930m"), 1930);
  assert.equal(parseCpuMilli("2"), 2000);
  assert.equal(parseCpuMilli("0.5"), 500);
  for (const bad of ["", "abc", "12Q", "1.2.3"]) assert.equal(parseQuantity(bad), null, bad);
});
