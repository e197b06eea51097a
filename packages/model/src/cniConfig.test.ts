import assert from "node:assert/strict";
import { test } from "node:test";
import { cniConfigFromEnv, defaultCniConfig } from "./cniConfig.ts";

test("the VPC CNI's defaults: secondary IPs, WARM_ENI_TARGET=1, 30 s cooldown", () => {
  const d = defaultCniConfig();
  assert.deepEqual(
    [
      d.prefixDelegation,
      d.customNetworking,
      d.warmEniTarget,
      d.warmIpTarget,
      d.ipCooldownSeconds,
      d.detected,
    ],
    [false, false, 1, null, 30, false],
  );
});

test("parses booleans like Go's strconv.ParseBool and ignores what it cannot parse", () => {
  assert.equal(cniConfigFromEnv({ ENABLE_PREFIX_DELEGATION: "TRUE" }).prefixDelegation, true);
  assert.equal(cniConfigFromEnv({ ENABLE_PREFIX_DELEGATION: "1" }).prefixDelegation, true);
  assert.equal(cniConfigFromEnv({ ENABLE_PREFIX_DELEGATION: "yes" }).prefixDelegation, false);
  assert.equal(cniConfigFromEnv({ AWS_VPC_K8S_CNI_EXTERNALSNAT: "t" }).externalSnat, true);
});

test("numbers: targets, MAX_ENI below 1 means no limit, bad values keep the default", () => {
  const c = cniConfigFromEnv({
    WARM_IP_TARGET: "5",
    MINIMUM_IP_TARGET: "10",
    MAX_ENI: "0",
    IP_COOLDOWN_PERIOD: "x",
  });
  assert.deepEqual([c.warmIpTarget, c.minimumIpTarget, c.maxEni, c.ipCooldownSeconds], [5, 10, null, 30]);
  assert.equal(cniConfigFromEnv({ MAX_ENI: "2" }).maxEni, 2);
  assert.equal(cniConfigFromEnv({}).detected, true, "an aws-node with no env is still an aws-node");
});

test("counts parse as Go's strconv.Atoi: a sign is allowed, spaces and negatives keep the default", () => {
  assert.equal(cniConfigFromEnv({ WARM_IP_TARGET: "+3" }).warmIpTarget, 3);
  assert.equal(cniConfigFromEnv({ WARM_IP_TARGET: " 3" }).warmIpTarget, null);
  assert.equal(cniConfigFromEnv({ WARM_ENI_TARGET: "-1" }).warmEniTarget, 1);
  assert.equal(cniConfigFromEnv({ WARM_ENI_TARGET: "two" }).warmEniTarget, 1);
});
