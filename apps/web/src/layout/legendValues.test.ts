import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PodReport } from "@eni-view/model";
import { topValues } from "./legendValues.ts";

const pod = (namespace: string, name: string, owner: string | null): PodReport => ({
  namespace,
  name,
  node: "n",
  ip: "10.0.0.1",
  eni: null,
  phase: "Running",
  status: "Running",
  owner,
  labels: {},
});

describe("topValues", () => {
  it("counts pods per namespace, biggest first, with a pod key to colour the swatch", () => {
    const pods = [pod("web", "a", null), pod("kube-system", "b", null), pod("web", "c", null)];
    assert.deepEqual(topValues(pods, "namespace"), [
      ["web", "web/a", 2],
      ["kube-system", "kube-system/b", 1],
    ]);
    assert.deepEqual(topValues(pods, "owner"), [["(none)", "web/a", 3]]);
  });
});
