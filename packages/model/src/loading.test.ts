import assert from "node:assert/strict";
import { test } from "node:test";
import type { LoadingStep } from "./api.ts";
import { loadingMessage, stepLabel } from "./loading.ts";

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

test("a step with a catalogue label is said in the caller's language; the English stays for the server", async () => {
  const { serverMessages } = await import("./messages/serverText.ts");
  // What i18next does with the Korean catalogue, for this test: look the key up, fill its variables.
  const korean = (key: string, values: Record<string, string | number>) => {
    let node: unknown = serverMessages.ko;
    for (const part of key.split(".")) node = (node as Record<string, unknown>)[part];
    return String(node).replace(/\{\{\s*(\w+)(?:,\s*number)?\s*\}\}/g, (_, name: string) => {
      const v = values[name]!;
      return typeof v === "number" ? v.toLocaleString("ko-KR") : v;
    });
  };
  const steps = [
    { ...stepLabel("loading.step.listNodes"), count: 5000, total: 5000, complete: true, error: null },
    { ...stepLabel("loading.step.listPods"), count: 40_000, total: 153_000, complete: false, error: null },
    {
      ...stepLabel("loading.step.describeSubnets"),
      count: 0,
      total: null,
      complete: false,
      error: "Throttling",
    },
  ];
  assert.equal(
    loadingMessage(steps),
    "listing pods: 40,000 of 153,000; describing subnets failed: Throttling (retrying)",
  );
  assert.equal(
    loadingMessage(steps, korean),
    "파드 목록 읽기: 153,000개 중 40,000개; 서브넷 조회 실패: Throttling (다시 시도하는 중)",
  );
  assert.equal(loadingMessage([], korean), "시작하는 중");
});
