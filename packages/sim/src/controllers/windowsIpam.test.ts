import assert from "node:assert/strict";
import { test } from "node:test";
import { windowsTargets } from "./windowsIpam.ts";

// The VPC resource controller's ParseWinIPTargetConfigs (pkg/config/loader.go) in secondary IP mode.
test("Windows warm and minimum IP targets are read as the VPC resource controller's loader reads them", () => {
  // No ConfigMap, or neither target set: the defaults 3 and 3.
  assert.deepEqual(windowsTargets(null), { warm: 3, minimum: 3 });
  assert.deepEqual(windowsTargets({ "enable-windows-ipam": "true" }), { warm: 3, minimum: 3 });
  // The windows- keys, and the deprecated keys winning over them when both are set.
  assert.deepEqual(windowsTargets({ "windows-warm-ip-target": "5", "windows-minimum-ip-target": "10" }), {
    warm: 5,
    minimum: 10,
  });
  assert.deepEqual(windowsTargets({ "warm-ip-target": "2", "windows-warm-ip-target": "5" }), {
    warm: 2,
    minimum: 0,
  });
  // A warm target of 0 is 1 (no on-demand allocation); both 0, or neither a number, fall back to the defaults.
  assert.deepEqual(windowsTargets({ "windows-warm-ip-target": "0", "windows-minimum-ip-target": "4" }), {
    warm: 1,
    minimum: 4,
  });
  assert.deepEqual(windowsTargets({ "windows-warm-ip-target": "many", "windows-minimum-ip-target": "0" }), {
    warm: 3,
    minimum: 3,
  });
});
