import assert from "node:assert/strict";
import { test } from "node:test";
import type { LoadingStep } from "./api.ts";
import { loadingMessage } from "./loading.ts";

const step = (what: string, over: Partial<LoadingStep> = {}): LoadingStep => ({
  what,
  count: 0,
  total: null,
  complete: false,
  error: null,
  ...over,
});

test("a paged list with a known total reads 'N of M' with thousands separators", () => {
  assert.equal(
    loadingMessage([
      step("listing nodes", { count: 5000, total: 5000, complete: true }),
      step("listing pods", { count: 40_000, total: 153_000 }),
    ]),
    "listing pods: 40,000 of 153,000",
  );
});

test("without a total, the count so far; steps not begun are left out while others run", () => {
  assert.equal(
    loadingMessage([
      step("listing pods", { count: 1500 }),
      step("describing instances"),
      step("describing subnets", { count: 12 }),
    ]),
    "listing pods: 1,500 so far; describing subnets: 12 so far",
  );
});

test("before anything is read, the first step to come", () => {
  assert.equal(loadingMessage([step("listing nodes"), step("listing pods")]), "listing nodes");
});

test("a failing step says why and that it is retried", () => {
  assert.equal(
    loadingMessage([step("listing pods", { error: "Forbidden: pods" })]),
    "listing pods failed: Forbidden: pods (retrying)",
  );
});

test("every read complete: the picture is being built; no steps: starting", () => {
  assert.equal(loadingMessage([step("listing nodes", { count: 3, complete: true })]), "building the picture");
  assert.equal(loadingMessage([]), "starting");
});
