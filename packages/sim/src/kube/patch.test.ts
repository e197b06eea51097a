import assert from "node:assert/strict";
import { test } from "node:test";
import { modelSchema } from "./openapi/modelSchemas.ts";
import { jsonPatch, mergePatch, PatchError, strategicMergePatch } from "./patch.ts";

const deployment = modelSchema("V1Deployment");
const base = {
  spec: {
    replicas: 2,
    strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%" } },
    template: {
      spec: {
        containers: [
          { name: "a", image: "x", env: [{ name: "K", value: "1" }] },
          { name: "b", image: "y" },
        ],
        tolerations: [{ key: "t1" }],
      },
    },
  },
};

test("strategic merge: containers merge by name, env by name, other lists replace", () => {
  const out = strategicMergePatch(
    base,
    {
      spec: {
        template: {
          spec: {
            containers: [{ name: "b", env: [{ name: "N", value: "2" }] }],
            tolerations: [{ key: "t2" }],
          },
        },
      },
    },
    deployment,
  );
  assert.deepEqual(out.spec.template.spec.containers, [
    { name: "a", image: "x", env: [{ name: "K", value: "1" }] },
    { name: "b", image: "y", env: [{ name: "N", value: "2" }] },
  ]);
  assert.deepEqual(out.spec.template.spec.tolerations, [{ key: "t2" }]);
  assert.equal(base.spec.template.spec.containers.length, 2, "the original is not changed");
});

test("strategic merge directives: $patch delete, $setElementOrder, $retainKeys, null", () => {
  const out = strategicMergePatch(
    base,
    {
      spec: {
        replicas: null,
        strategy: { $retainKeys: ["type"], type: "Recreate" },
        template: {
          spec: {
            "$setElementOrder/containers": [{ name: "b" }, { name: "a" }],
            containers: [{ name: "a", env: [{ name: "K", $patch: "delete" }] }],
          },
        },
      },
    },
    deployment,
  );
  assert.equal("replicas" in out.spec, false);
  assert.deepEqual(out.spec.strategy, { type: "Recreate" });
  assert.deepEqual(
    out.spec.template.spec.containers.map((c: { name: string }) => c.name),
    ["b", "a"],
  );
  assert.deepEqual(out.spec.template.spec.containers[1].env, []);
});

test("merge patch and JSON patch follow RFC 7386 and RFC 6902", () => {
  assert.deepEqual(mergePatch({ a: 1, b: { c: 2 } }, { b: { c: null, d: 3 } }), { a: 1, b: { d: 3 } });
  assert.deepEqual(
    jsonPatch({ a: [1, 2] }, [
      { op: "add", path: "/a/-", value: 3 },
      { op: "replace", path: "/a/0", value: 0 },
      { op: "test", path: "/a/1", value: 2 },
    ]),
    { a: [0, 2, 3] },
  );
  assert.throws(() => jsonPatch({ a: 1 }, [{ op: "replace", path: "/missing/x", value: 1 }]), PatchError);
  assert.throws(() => jsonPatch({ a: 1 }, [{ op: "test", path: "/a", value: 2 }]), /test failed/);
});
