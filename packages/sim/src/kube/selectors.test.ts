import assert from "node:assert/strict";
import { test } from "node:test";
import { parseFieldSelector, parseLabelSelector } from "./selectors.ts";

test("label selectors match equality, inequality, set and existence terms", () => {
  const labels = { app: "nginx", tier: "web" };
  const cases: [string, boolean][] = [
    ["app=nginx", true],
    ["app==nginx", true],
    ["app=coredns", false],
    ["app!=coredns", true],
    ["app=nginx,tier=web", true],
    ["app=nginx,tier=db", false],
    ["app in (nginx, coredns)", true],
    ["app notin (nginx)", false],
    ["tier", true],
    ["!tier", false],
    ["missing!=x", true],
    ["", true],
  ];
  for (const [selector, expected] of cases) {
    assert.equal(parseLabelSelector(selector)(labels), expected, selector);
  }
});

test("field selectors accept the resource's labels with =, == and != (kubectl describe node uses !=)", () => {
  const supported = new Set(["spec.nodeName", "status.phase"]);
  const onNode = parseFieldSelector(
    "spec.nodeName=n1,status.phase!=Failed,status.phase!=Succeeded",
    supported,
  );
  assert.equal(onNode({ "spec.nodeName": "n1", "status.phase": "Running" }), true);
  assert.equal(onNode({ "spec.nodeName": "n1", "status.phase": "Succeeded" }), false);
  assert.equal(onNode({ "spec.nodeName": "n2", "status.phase": "Running" }), false);
  assert.equal(parseFieldSelector("spec.nodeName=", supported)({ "spec.nodeName": "" }), true);
});

test("unsupported field labels and broken terms are refused with the API server's words", () => {
  const supported = new Set(["metadata.name"]);
  assert.throws(() => parseFieldSelector("spec.foo=bar", supported), /field label not supported: spec.foo/);
  assert.throws(() => parseFieldSelector("metadata.name", supported), /invalid field selector term/);
  assert.throws(() => parseLabelSelector("app=(x"), /invalid label selector term/);
});
