import assert from "node:assert/strict";
import { test } from "node:test";
import { windowsTargets } from "./windowsIpam.ts";

const secondary = (warm: number, minimum: number) => ({
  prefixDelegation: false,
  warm,
  minimum,
  warmPrefix: 0,
});
const prefixes = (warm: number, minimum: number, warmPrefix: number) => ({
  prefixDelegation: true,
  warm,
  minimum,
  warmPrefix,
});

// The VPC resource controller's ParseWinIPTargetConfigs (pkg/config/loader.go).
test("Windows warm and minimum IP targets are read as the VPC resource controller's loader reads them", () => {
  // No ConfigMap, or neither target set: the defaults 3 and 3.
  assert.deepEqual(windowsTargets(null), secondary(3, 3));
  assert.deepEqual(windowsTargets({ "enable-windows-ipam": "true" }), secondary(3, 3));
  // The windows- keys, and the deprecated keys winning over them when both are set.
  assert.deepEqual(
    windowsTargets({ "windows-warm-ip-target": "5", "windows-minimum-ip-target": "10" }),
    secondary(5, 10),
  );
  assert.deepEqual(windowsTargets({ "warm-ip-target": "2", "windows-warm-ip-target": "5" }), secondary(2, 0));
  // A warm target of 0 is 1 (no on-demand allocation); both 0, or neither a number, fall back to the defaults.
  assert.deepEqual(
    windowsTargets({ "windows-warm-ip-target": "0", "windows-minimum-ip-target": "4" }),
    secondary(1, 4),
  );
  assert.deepEqual(
    windowsTargets({ "windows-warm-ip-target": "many", "windows-minimum-ip-target": "0" }),
    secondary(3, 3),
  );
});

test("with enable-windows-prefix-delegation: warm 1 and minimum 3 by default, a warm prefix target alone kept", () => {
  const pd = { "enable-windows-prefix-delegation": "true" };
  assert.deepEqual(windowsTargets(pd), prefixes(1, 3, 0));
  assert.deepEqual(windowsTargets({ ...pd, "warm-prefix-target": "2" }), prefixes(0, 0, 2));
  // An IP target set: the warm prefix target is read but the IP targets decide (zero warm allowed here).
  assert.deepEqual(
    windowsTargets({ ...pd, "warm-ip-target": "0", "minimum-ip-target": "20" }),
    prefixes(0, 20, 0),
  );
  // The warm prefix target is a prefix-delegation setting only.
  assert.deepEqual(windowsTargets({ "warm-prefix-target": "2" }), secondary(3, 3));
});
