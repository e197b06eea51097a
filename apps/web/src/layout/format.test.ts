import assert from "node:assert/strict";
import { test } from "node:test";
import { clampName, NAME_MAX, visibleControls } from "./format.ts";

test("a name within the limit is shown whole", () => {
  const name = "kube-system/coredns-5d78c9869d-abcde";
  assert.equal(clampName(name), name);
  assert.equal(clampName("x".repeat(NAME_MAX)), "x".repeat(NAME_MAX));
});

test("a 5,000-character namespace is clamped to the limit with an ellipsis", () => {
  const shown = clampName(`${"n".repeat(5000)}/pod`);
  assert.equal(shown.length, NAME_MAX);
  assert.ok(shown.endsWith("…"));
  assert.ok(shown.startsWith("nnnn"));
});

test("the cut never splits a surrogate pair", () => {
  const name = `${"a".repeat(NAME_MAX - 2)}😀${"b".repeat(10)}`;
  const shown = clampName(name);
  assert.ok(shown.endsWith("…"));
  assert.ok(!/[\ud800-\udbff]…$/.test(shown), "no lone high surrogate before the ellipsis");
  assert.equal(Buffer.from(shown, "utf8").toString("utf8"), shown);
});

test("control and bidi characters in cluster text are shown as escapes, so they cannot reorder a line", () => {
  assert.equal(visibleControls("x.large\u202e<b>\u001b[2J"), "x.large\\u202e<b>\\u001b[2J");
  assert.equal(visibleControls("ip-10-0-0-1 · 노드"), "ip-10-0-0-1 · 노드");
  assert.equal(clampName("a\u2066b"), "a\\u2066b");
});
