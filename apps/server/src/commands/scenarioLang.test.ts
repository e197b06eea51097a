// The simulator's scenarios in Korean (issue 16, point 1): each built-in scenario's description as the
// CLI shows it when the simulator starts, the errors naming a scenario that is not there, and a scenario
// file's field errors.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { englishWords, serverEnglish } from "@eni-view/model";
import { builtInScenarios, loadScenario } from "@eni-view/sim";
import { scenarioDescription, setCliLanguage } from "../i18n/cliText.ts";
import { runInProcess } from "../testing/inProcessCli.ts";

// Product and Kubernetes names the Korean AWS and Kubernetes documentation keeps in Latin script.
const kept = new Set(["Fargate", "Linux", "Windows", "Lambda", "kubelet", "LimitRange", "ConfigMap"]);

test("every built-in scenario's description has its Korean, and the catalogue's English is the file's", () => {
  try {
    for (const name of builtInScenarios) {
      const { description } = loadScenario(name);
      assert.equal(serverEnglish(`scenario.about.${name}`, {}), description, name);
      setCliLanguage("ko");
      const ko = scenarioDescription(name, description);
      assert.notEqual(ko, description, name);
      // Quoted and `coded` names are data.
      const rest = ko.replaceAll(/"[^"]*"|`[^`]*`/g, "");
      assert.deepEqual(englishWords(rest, kept), [], `${name}: ${ko}`);
      setCliLanguage("en");
      assert.equal(scenarioDescription(name, description), description);
    }
    // A scenario file's own description is shown as its author wrote it.
    setCliLanguage("ko");
    assert.equal(scenarioDescription("scale-lab", "my own cluster"), "my own cluster");
  } finally {
    setCliLanguage("en");
  }
});

test("an unknown scenario or an unreadable file is refused in Korean, naming it", async () => {
  const unknown = await runInProcess(["sim", "--scenario", "nope", "--lang", "ko"], {});
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /알 수 없는 시나리오 "nope" \(기본 제공: scale-lab, /);
  const file = await runInProcess(["start", "--scenario", "/nonexistent/lab.json", "--lang", "ko"], {});
  assert.equal(file.code, 2);
  assert.match(file.stderr, /시나리오 파일 \/nonexistent\/lab\.json을\(를\) 읽을 수 없습니다: ENOENT/);
  const english = await runInProcess(["sim", "--scenario", "nope"], {});
  assert.match(english.stderr, /unknown scenario "nope" \(built in: scale-lab, /);
});

test("a hand-written scenario file's field error and a bad --faults are refused in Korean", async () => {
  const dir = mkdtempSync(join(tmpdir(), "scenario-lang-"));
  const file = join(dir, "my-lab.json");
  const doc = JSON.parse(
    readFileSync(new URL("../../../../packages/sim/scenarios/scale-lab.json", import.meta.url), "utf8"),
  );
  doc.subnets[1].cidr = "192.168.2.0";
  writeFileSync(file, JSON.stringify(doc));
  const ko = await runInProcess(["sim", "--scenario", file, "--lang", "ko"], {});
  assert.equal(ko.code, 2);
  assert.match(
    ko.stderr,
    /my-lab\.json: subnets\[1\]\.cidr: "192\.168\.2\.0"은\(는\) IPv4 CIDR 블록이 아닙니다/,
  );
  const en = await runInProcess(["sim", "--scenario", file], {});
  assert.match(en.stderr, /my-lab\.json: subnets\[1\]\.cidr: "192\.168\.2\.0" is not an IPv4 CIDR/);
  const faults = await runInProcess(["sim", "--faults", '{"ec2ThrottleRate": 2}', "--lang", "ko"], {});
  assert.equal(faults.code, 2);
  assert.match(faults.stderr, /--faults: ec2ThrottleRate는 0에서 1 사이의 수여야 합니다\. 받은 값: 2/);
});
