import assert from "node:assert/strict";
import { test } from "node:test";
import { load } from "js-yaml";
import { UsageError } from "./command.ts";
import { outputFormat, structuredText } from "./outputFormat.ts";

test("-o picks the format, --json is -o json, nothing is the table", () => {
  assert.equal(outputFormat({}), "text");
  assert.equal(outputFormat({ json: true }), "json");
  assert.equal(outputFormat({ output: "yaml" }), "yaml");
  assert.equal(outputFormat({ output: "WIDE" }), "wide");
  assert.equal(outputFormat({ output: "json", json: true }), "json");
});

test("an unknown or unsupported format, or two at once, is a usage error naming the choices", () => {
  assert.throws(
    () => outputFormat({ output: "jsonpath" }),
    (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.equal(e.message, '-o must be one of json, yaml, wide, name, got "jsonpath"');
      return true;
    },
  );
  assert.throws(
    () => outputFormat({ output: "name" }, ["text", "json", "yaml"]),
    /one of json, yaml, got "name"/,
  );
  assert.throws(() => outputFormat({ output: "text" }), /-o must be one of/);
  assert.throws(() => outputFormat({ output: "yaml", json: true }), /two formats/);
});

test("JSON and YAML carry cluster text exactly, controls and bidi characters included", () => {
  const data = {
    name: "ip-10-0-0-1\u202egnp.exe",
    message: "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\ ok\rforged\x07",
    count: 3,
    none: null,
    list: [{ a: 1 }, { a: 1 }],
  };
  assert.deepEqual(JSON.parse(structuredText("json", data)), data);
  const yaml = structuredText("yaml", data);
  assert.deepEqual(load(yaml), data);
  // YAML's own double-quoted escapes keep the raw controls off the terminal.
  assert.ok(
    [...yaml].every((c) => c === "\n" || c.charCodeAt(0) >= 0x20),
    "no raw control but the newline in the YAML",
  );
  assert.doesNotMatch(yaml, /&|\*/, "no anchors or aliases");
});
