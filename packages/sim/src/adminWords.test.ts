// The admin endpoint's refusals in the learner's language (issue 16): curl with Accept-Language: ko, or a
// simulator the CLI started with --lang ko, reads each reason in Korean with its catalogue key beside it;
// everyone else reads the English it always had.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { englishWords, flatten, serverEnglish, serverMessages } from "@eni-view/model";
import { startAdminServer } from "./adminServer.ts";
import { requestLanguage } from "./adminWords.ts";
import { createFaultControl } from "./faults.ts";
import { type Sim, startSim } from "./index.ts";

test("the language is the first one of Accept-Language the catalogue has, by weight, else the CLI's", () => {
  for (const [header, fallback, want] of [
    ["ko-KR,ko;q=0.9,en-US;q=0.8", "en", "ko"],
    ["en-US,en;q=0.9,ko;q=0.8", "ko", "en"],
    ["fr-FR, ko;q=0.5", "en", "ko"],
    ["en;q=0.2, ko;q=0.7", "en", "ko"],
    ["ko;q=0, en", "ko", "en"],
    ["fr", "ko", "ko"],
    [undefined, "ko", "ko"],
    ["", "en", "en"],
  ] as const)
    assert.equal(requestLanguage(header, fallback), want, String(header));
});

// Every key the simulator's refusals name, read from its sources, is in both catalogues.
test("every catalogue key a refusal of the simulator names exists in English and Korean", () => {
  const dir = new URL("./", import.meta.url);
  const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter(
    (f) => f.endsWith(".ts") && !f.endsWith(".test.ts"),
  );
  const keys = new Set<string>();
  for (const f of files) {
    const src = readFileSync(new URL(f, dir), "utf8");
    for (const m of src.matchAll(/"((?:admin|labReset|scenario)\.[\w.]+)"/g)) keys.add(m[1]!);
    for (const m of src.matchAll(/new FaultSettingsError\("(\w+)"/g)) keys.add(`admin.faults.${m[1]}`);
    for (const m of src.matchAll(/refusal\(\d+, "(\w+)"/g)) keys.add(`labReset.${m[1]}`);
    for (const m of src.matchAll(/new NodeShapeError\("(\w+)"/g)) keys.add(`scenario.shape.${m[1]}`);
  }
  const model = new URL("../../model/src/nodeShape.ts", import.meta.url);
  for (const m of readFileSync(model, "utf8").matchAll(/new NodeShapeError\("(\w+)"/g))
    keys.add(`scenario.shape.${m[1]}`);
  assert.ok(keys.size >= 20, [...keys].join(" "));
  const en = flatten(serverMessages.en);
  const ko = flatten(serverMessages.ko);
  for (const k of keys) {
    assert.ok(en.has(k), `en lacks ${k}`);
    assert.ok(ko.has(k), `ko lacks ${k}`);
  }
});

// Latin-script words a Korean refusal keeps: JSON values and the endpoint's field names.
const kept = new Set(["true", "false", "null", "forbidden", "size"]);

/** English words left when the request's own values, quoted names, paths and JSON are taken out. */
function koreanOnly(text: string, values: Record<string, string | number>): string[] {
  let rest = text;
  const shown = Object.values(values).map(String);
  for (const v of shown.sort((a, b) => b.length - a.length)) rest = rest.replaceAll(v, "");
  return englishWords(rest.replaceAll(/"[^"]*"|\{[^}]*\}|\[[^\]]*\]|\/\S*/g, ""), kept);
}

const sims: Sim[] = [];
after(() => Promise.all(sims.map((s) => s.stop())));

test("each /faults, /nodegroups and /reset refusal is Korean for Accept-Language: ko, English otherwise", async () => {
  const sim = await startSim({
    scenario: "scale-lab",
    clock: "manual",
    stateDir: mkdtempSync(join(tmpdir(), "admin-words-")),
  });
  sims.push(sim);
  const cases: [string, string, string | null, number, string][] = [
    ["GET", "/nope", null, 404, "admin.notFound"],
    ["DELETE", "/faults", null, 405, "admin.method"],
    ["PUT", "/faults", "not json", 400, "admin.faultsNotJson"],
    ["PUT", "/faults", "[]", 400, "admin.faults.notObject"],
    ["PUT", "/faults", '{"ec2ThrottleRate": 2}', 400, "admin.faults.rate"],
    ["PUT", "/faults", '{"kubeLatencyMs": -1}', 400, "admin.faults.ms"],
    ["PUT", "/faults", '{"dropWatches": "yes"}', 400, "admin.faults.boolean"],
    ["PUT", "/faults", '{"forbidden": "pods"}', 400, "admin.faults.forbiddenList"],
    ["PUT", "/faults", '{"forbidden": ["pod"]}', 400, "admin.faults.forbiddenUnknown"],
    ["PUT", "/faults", '{"dropWatch": true}', 400, "admin.faults.unknown"],
    ["GET", "/nodegroups/nope", null, 404, "admin.noGroup"],
    ["POST", "/nodegroups/nope/rolling-update", null, 404, "admin.noGroup"],
    ["GET", "/nodegroups/ng1/rolling-update", null, 405, "admin.method"],
    ["GET", "/nodegroups/ng1/x/y", null, 404, "admin.notFound"],
    ["PUT", "/nodegroups/ng1", "x", 400, "admin.groupNotJson"],
    ["PUT", "/nodegroups/ng1", "[1]", 400, "admin.groupNotObject"],
    ["PUT", "/nodegroups/ng1", '{"colour": "blue"}', 400, "admin.unknownField"],
    ["PUT", "/nodegroups/ng1", '{"instanceType": "x9.huge"}', 400, "admin.instanceType"],
    ["PUT", "/nodegroups/ng1", '{"instanceType": "c6i.large"}', 400, "scenario.shape.unknownMemory"],
    ["PUT", "/nodegroups/ng1", '{"maxPods": 999}', 400, "admin.maxPods"],
    ["PUT", "/nodegroups/ng1", '{"size": -1}', 400, "admin.size"],
    ["POST", "/reset", "x", 400, "labReset.notJson"],
    ["GET", "/reset", null, 405, "labReset.method"],
  ];
  for (const [method, path, body, status, key] of cases) {
    const ask = async (headers: Record<string, string>) => {
      const res = await fetch(`${sim.adminUrl}${path}`, { method, headers, ...(body ? { body } : {}) });
      assert.equal(res.status, status, `${method} ${path} ${body}`);
      return (await res.json()) as { error: string; key: string; values: Record<string, string | number> };
    };
    const ko = await ask({ "accept-language": "ko-KR,ko;q=0.9,en;q=0.8" });
    assert.equal(ko.key, key, `${method} ${path} ${body}`);
    assert.match(ko.error, /[가-힣]/, ko.error);
    assert.deepEqual(koreanOnly(ko.error, ko.values), [], ko.error);
    const en = await ask({});
    assert.equal(en.key, key);
    assert.deepEqual(en.values, ko.values);
    assert.equal(en.error, serverEnglish(key, en.values));
  }
  // Nothing refused was changed.
  assert.equal(sim.faults.settings.ec2ThrottleRate, 0);
});

test("a simulator the CLI started in Korean answers in Korean a request that names no language", async () => {
  const admin = await startAdminServer(createFaultControl(), "127.0.0.1", undefined, undefined, "ko");
  after(() => admin.close());
  const put = (headers: Record<string, string>) =>
    fetch(`${admin.url}/faults`, { method: "PUT", headers, body: '{"ec2ThrottleRate": "high"}' }).then(
      (r) => r.json() as Promise<{ error: string }>,
    );
  assert.equal((await put({})).error, 'ec2ThrottleRate는 0에서 1 사이의 수여야 합니다. 받은 값: "high"');
  assert.equal(
    (await put({ "accept-language": "en" })).error,
    'ec2ThrottleRate must be a number from 0 to 1, got "high"',
  );
});
