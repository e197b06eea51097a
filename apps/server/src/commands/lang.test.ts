// The CLI in Korean (issue 16, point 1): `--lang ko`, or LC_ALL / LC_MESSAGES / LANG, gives Korean text
// and help with the same numbers; -o json and -o yaml are the same in every language. The commands run
// in this process (testing/inProcessCli.ts) with only the locale variables each test gives; two tests
// start the real bin script, to see that it reads the language from its own environment.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { describe, test } from "node:test";
import { englishWords, type Report } from "@eni-view/model";
import { englishEnv } from "../testing/cli.ts";
import { runInProcess } from "../testing/inProcessCli.ts";

const bin = new URL("../../bin/eni-view.js", import.meta.url).pathname;
const fixture = new URL("../sources/dump/fixtures/scale-lab-50", import.meta.url).pathname;

/** The command in this process, with these locale variables and no others. */
const cli = (env: Record<string, string>, ...args: string[]) => runInProcess(args, env);

/** The real bin script in a child process, with the machine's locale replaced by `locale`. */
function spawned(
  locale: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { LANG: _, ...base } = englishEnv();
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env: { ...base, ...locale } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

// "IPv4" is a word in both languages, not one of the report's figures.
const numbers = (text: string) => (text.replaceAll(/IPv4/gi, "").match(/\d+/g) ?? []).sort();
const hangul = /[\uac00-\ud7a3]/;
// Plain words the Korean AWS and Kubernetes documentation leaves in Latin script.
const kept = new Set([
  "Kubernetes",
  "kubelet",
  "kubectl",
  "Ready",
  "Pending",
  "Running",
  "ContainerCreating",
]);

describe("eni-view in Korean", () => {
  test("report --lang ko says the scale lab in Korean with the same numbers, the scheduler's words kept", async () => {
    const en = await cli({}, "report", "--dump", fixture);
    const ko = await cli({}, "report", "--dump", fixture, "--lang", "ko");
    assert.equal(ko.code, 0, ko.stderr);
    assert.match(ko.stdout, /대기 중인 파드/);
    assert.match(ko.stdout, /노드 3개/);
    assert.deepEqual(numbers(ko.stdout), numbers(en.stdout));
    const report = JSON.parse((await cli({}, "report", "--dump", fixture, "-o", "json")).stdout) as Report;
    const messages = [...new Set(report.pending.map((p) => p.message))];
    assert.ok(messages.some((m) => m.includes("Too many pods")));
    for (const m of messages) assert.ok(ko.stdout.includes(m.slice(0, 40)), `verbatim: ${m}`);
    // What is left in Latin letters is data (names, ids, the scheduler's message) or kept terms.
    // Wrapped lines joined again (wrap breaks at spaces), and the options named as typed (-o wide).
    let rest = ko.stdout.replaceAll(/\n +/g, " ").replaceAll(/-o \w+/g, "");
    for (const m of messages) rest = rest.replaceAll(m, "");
    for (const n of report.nodes) rest = rest.replaceAll(n.name, "");
    rest = rest.replaceAll(report.cluster.name ?? "", "");
    assert.deepEqual(englishWords(rest, kept), []);
  });

  test("-o json and -o yaml are the same in English, with --lang ko and with LANG=ko_KR.UTF-8", async () => {
    for (const format of ["json", "yaml"]) {
      const en = await cli({ LANG: "en_US.UTF-8" }, "report", "--dump", fixture, "-o", format);
      const ko = await cli({}, "report", "--dump", fixture, "-o", format, "--lang", "ko");
      assert.equal(ko.stdout, en.stdout, format);
    }
    const en = await cli({}, "capacity", "t3.medium", "-o", "json");
    const ko = await spawned({ LANG: "ko_KR.UTF-8" }, "capacity", "t3.medium", "-o", "json");
    assert.equal(ko.stdout, en.stdout);
  });

  test("LANG picks Korean, LC_ALL=C picks English back, --lang beats both", async () => {
    const byLang = await spawned({ LANG: "ko_KR.UTF-8" }, "capacity", "t3.medium");
    assert.match(byLang.stdout, /최대 파드/);
    const byLcAll = await cli({ LANG: "ko_KR.UTF-8", LC_ALL: "C" }, "capacity", "t3.medium");
    assert.match(byLcAll.stdout, /MAX PODS/);
    const byFlag = await cli({ LC_ALL: "C" }, "capacity", "t3.medium", "--lang", "ko");
    assert.equal(byFlag.stdout, byLang.stdout);
  });

  test("capacity --lang ko: Korean columns with the same figures (t3.medium 3 ENIs × 6 IPs, 17 pods)", async () => {
    const en = await cli({}, "capacity", "t3.medium", "c5d.large");
    const ko = await cli({}, "capacity", "t3.medium", "c5d.large", "--lang", "ko");
    assert.match(ko.stdout, /^유형\s+VCPU\s+ENI\s+ENI당 IPV4/);
    assert.match(ko.stdout, /t3\.medium\s+2\s+3\s+6\s+3\s+15\s+17\s+보조 IP/);
    assert.deepEqual(numbers(ko.stdout), numbers(en.stdout));
  });

  test("help and usage errors in Korean: the top, report and capacity", async () => {
    const top = await cli({ LANG: "ko_KR.UTF-8" }, "--help");
    assert.match(top.stdout, /^eni-view: Amazon VPC CNI가 보는 방식으로/);
    assert.match(top.stdout, /capacity\s+인스턴스 유형별 최대 ENI 수/);
    for (const command of ["report", "capacity"]) {
      const help = await cli({}, command, "--help", "--lang", "ko");
      assert.equal(help.code, 0);
      assert.ok(hangul.test(help.stdout.split("\n")[0]!), `${command}: ${help.stdout.split("\n")[0]}`);
      assert.match(help.stdout, /-o, --output 형식/);
    }
    const bad = await cli({}, "report", "--lang", "ko");
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--dump 폴더가 필요합니다/);
    const lang = await cli({}, "report", "--lang", "fr");
    assert.equal(lang.code, 2);
    assert.match(lang.stderr, /--lang must be one of en, ko, got "fr"/);
  });
});
