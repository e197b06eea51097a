import assert from "node:assert/strict";
import { test } from "node:test";
import { HEAT_STEPS, heatStep, heatValue } from "./heat.ts";
import { eni, slots, t3medium } from "./testNodes.ts";

test("pods heat is pods over kubelet's max pods: a full t3.medium is the hottest step", () => {
  const full = t3medium("full", [
    eni("eni-a", 0, slots(20, 5, 5)),
    eni("eni-b", 1, slots(30, 5, 5)),
    eni("eni-c", 2, slots(40, 5, 5)),
  ]);
  assert.equal(full.pods, 17);
  assert.equal(heatValue(full, "pods"), 1);
  assert.equal(heatStep(1), HEAT_STEPS - 1);
  const idle = t3medium("idle", [eni("eni-a", 0, slots(20, 5, 0))]);
  assert.equal(heatValue(idle, "pods"), 2 / 17);
  assert.equal(heatValue({ ...idle, maxPods: null }, "pods"), null);
});

test("IP and warm heat split the assigned IPs; a node without IPs has no value", () => {
  const n = t3medium("n", [eni("eni-a", 0, slots(20, 5, 1)), eni("eni-b", 1, slots(30, 5, 0))]);
  assert.equal(heatValue(n, "ips"), 1 / 10);
  assert.equal(heatValue(n, "warm"), 9 / 10);
  const none = t3medium("none", [eni("eni-a", 0, [])]);
  assert.equal(heatValue(none, "ips"), null);
});

test("waiting heat grows with every pod waiting for an IP and never reaches 1", () => {
  const n = t3medium("n", [eni("eni-a", 0, slots(20, 5, 5))]);
  assert.equal(heatValue(n, "waiting"), 0);
  const one = heatValue({ ...n, podsWaitingForIp: 1 }, "waiting")!;
  const nine = heatValue({ ...n, podsWaitingForIp: 9 }, "waiting")!;
  assert.ok(one > 0 && nine > one && nine < 1);
  assert.equal(heatStep(0), 0);
});
