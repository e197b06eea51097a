import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { colorValue } from "./colorKey.ts";
import { splitPodKey } from "./format.ts";

describe("colorValue", () => {
  it("colours by the namespace splitPodKey reads from the pod key", () => {
    for (const key of [
      "default/nginx-0",
      "kube-system/aws-node-x",
      "no-slash",
      "/lead",
      "trail/",
      "a/b/c",
      "",
    ])
      assert.equal(colorValue(key, undefined, "namespace"), splitPodKey(key).namespace, key);
  });
});
