// The CLI in Korean (issue 16, point 1): `--lang ko`, or LC_ALL / LC_MESSAGES / LANG, gives Korean text
// and help with the same numbers; -o json and -o yaml are the same in every language. The commands run
// in this process (testing/inProcessCli.ts) with only the locale variables each test gives; two tests
// start the real bin script, to see that it reads the language from its own environment.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { describe, test } from "node:test";
import { englishWords, type Report } from "@eni-view/model";
import { setCliLanguage } from "../i18n/cliText.ts";
import { englishEnv } from "../testing/cli.ts";
import { runInProcess } from "../testing/inProcessCli.ts";
import { exposureWarning } from "./accessOptions.ts";
import { usageText } from "./sim.ts";

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

  // Words a Korean --help keeps in Latin script: product and API names, Kubernetes verbs and objects as
  // typed, option values and file names, the log levels; anything else is English prose left over.
  const helpKept = new Set([
    ...kept,
    ..."serve start sim capture record plan version report capacity cluster dump large default summary".split(
      " ",
    ),
    ..."json yaml wide name md Markdown kubeconfig watch get list create update Describe Service Lease".split(
      " ",
    ),
    ..."Freeze Authorization Bearer fatal error warn info debug trace silent curl openssl rand aws Query".split(
      " ",
    ),
    ..."replicas deployment statefulset replicaset git ms end Name cordon utilisation pending ips".split(" "),
    ..."warm zone en ko cpu starting unschedulable other recording".split(" "),
  ]);
  /** The prose of a help text: without example lines, `code` and 'quoted' values. */
  const prose = (help: string) =>
    help
      .split("\n")
      .filter((l) => !/^\s+(eni-view|ENI_VIEW|export|aws|kubectl|curl)\b/.test(l))
      .join("\n")
      .replaceAll(/`[^`]*`/g, "")
      .replaceAll(/'[^']*'/g, "");

  test("every command's --help in Korean, with no English sentence left", async () => {
    for (const command of [
      "serve",
      "start",
      "sim",
      "capture",
      "record",
      "plan",
      "version",
      "report",
      "capacity",
    ]) {
      const help = await cli({ LANG: "ko_KR.UTF-8" }, command, "--help");
      assert.equal(help.code, 0, command);
      assert.match(help.stdout, /^사용법: eni-view /, command);
      assert.deepEqual(englishWords(prose(help.stdout), helpKept), [], command);
    }
    const serve = (await cli({ LANG: "ko_KR.UTF-8" }, "serve", "--help")).stdout;
    for (const heading of [
      "접근, 스냅샷, 로그:",
      "녹화 (--snapshot-db 파일에 보관):",
      "데이터 소스 옵션:",
      "여러 복제본",
    ])
      assert.ok(serve.includes(heading), heading);
  });

  test("the CLI's usage errors in Korean: each names the option and the value it got", async () => {
    const ko = { LANG: "ko_KR.UTF-8" };
    const cases: [string[], RegExp][] = [
      [
        ["serve", "--port", "x"],
        /^eni-view serve: --port에는 0부터 65535까지의 포트 번호를 써야 합니다. 받은 값: "x"$/m,
      ],
      [["serve", "--colour"], /^eni-view serve: 알 수 없는 옵션 '--colour'/m],
      [["serve", "--port"], /옵션 '--port'에는 값이 필요합니다/],
      [["serve", "--log-level", "loud"], /--log-level에는 fatal, .* 중 하나를 써야 합니다. 받은 값: "loud"/],
      [
        ["serve", "--no-record", "--record-mb", "5"],
        /--no-record는 --record-hours나 --record-mb와 함께 쓸 수 없습니다/,
      ],
      [["serve", "--lease-name", "x"], /--lease-name은\(는\) --leader-elect와 함께만 쓸 수 있습니다/],
      [["serve", "--source", "nope"], /--source에는 cluster 또는 sim 또는 dump을\(를\) 써야 합니다/],
      [["start", "--speed", "0"], /--speed에는 0.01부터 1000까지의 수를 써야 합니다. 받은 값: "0"/],
      [["sim", "--nodes", "2.5"], /--nodes에는 1부터 20000까지의 정수를 써야 합니다/],
      [["capture"], /--out 폴더가 필요합니다/],
      [["record"], /--out 파일이 필요합니다/],
      [["record", "summary"], /record summary에는 --recording 파일이 필요합니다/],
      [["version", "-o", "wide"], /-o에는 json, yaml 중 하나를 써야 합니다. 받은 값: "wide"/],
      [["plan", "--dump", fixture, "--scale", "nginx"], /--scale에는 이름=값 형식을 써야 합니다/],
      [
        ["report", "--dump", fixture, "--node", "nope"],
        /--node "nope"은\(는\) 이 캡처에 있는 노드가 아닙니다 \(노드 3개\)/,
      ],
      [
        ["report", "--dump", fixture, "--subnets", "10.9.9.0/24"],
        /보고서에 서브넷 "10.9.9.0\/24"이\(가\) 없습니다/,
      ],
      [
        ["report", "--dump", "/nonexistent/capture"],
        /캡처 폴더 \/nonexistent\/capture이\(가\) 없거나 폴더가 아닙니다/,
      ],
      [
        ["plan", "--dump", "/nonexistent/capture", "--roll-nodes"],
        /캡처 폴더 \/nonexistent\/capture이\(가\) 없거나/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await cli(ko, ...args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(" "));
    }
  });

  test("plan and report --subnets in Korean; plan -o json the same in both languages", async () => {
    const lab2 = new URL("../sources/dump/fixtures/scale-lab-2", import.meta.url).pathname;
    const plan = ["plan", "--dump", lab2, "--scale", "default/nginx-deployment=50", "--seeds", "1"];
    const en = await cli({}, ...plan);
    const ko = await cli({ LANG: "ko_KR.UTF-8" }, ...plan);
    assert.equal(ko.code, 0, ko.stderr);
    assert.match(ko.stdout, /^계획: /);
    assert.match(ko.stdout, /^변경 뒤 대기 중\(Pending\)인 파드: \d+개/m);
    assert.match(ko.stdout, /^노드\s+유형\s+가용 영역\s+ENI/m);
    assert.deepEqual(
      numbers(ko.stdout.replaceAll(/ap-northeast-\d\w/g, "")),
      numbers(en.stdout.replaceAll(/ap-northeast-\d\w/g, "")),
    );
    const json = [...plan, "-o", "json"];
    assert.equal((await cli({ LANG: "ko_KR.UTF-8" }, ...json)).stdout, (await cli({}, ...json)).stdout);
    const map = await cli(
      { LANG: "ko_KR.UTF-8" },
      "report",
      "--dump",
      fixture,
      "--subnets",
      "192.168.1.0/24",
    );
    assert.match(map.stdout, /^192\.168\.1\.0\/24 \(subnet-\w+, [^)]+\), ap-northeast-2a: 주소 256개$/m);
    assert.match(map.stdout, /^범례: \. 빈 주소 · A AWS 예약 · N 노드 · P 파드 · w 웜/m);
    assert.match(map.stdout, /^빈 주소 \d+ · 빈 \/28 \d+ · 가장 긴 빈 구간 \d+ · 파드 \d+/m);
  });

  test("sim's and start's running text in Korean: the URLs, the kubectl lines, how to stop", () => {
    const sim = {
      scenario: { name: "scale-lab", description: "3 × t3.medium" },
      kubernetesUrl: "https://127.0.0.1:6443",
      ec2Url: "http://127.0.0.1:4566",
      adminUrl: "http://127.0.0.1:4567",
      region: "ap-northeast-2",
      kubeconfigPath: "/tmp/sim/kubeconfig",
      endpointsPath: "/tmp/sim/endpoints.json",
      store: { all: () => [][Symbol.iterator]() },
    } as unknown as Parameters<typeof usageText>[0];
    setCliLanguage("ko");
    try {
      const text = usageText(sim);
      assert.match(text, /^eni-view sim: 시나리오 scale-lab/);
      assert.match(text, /^ {2}EC2 API {9}http:\/\/127\.0\.0\.1:4566 {3}\(리전 ap-northeast-2\)$/m);
      assert.match(text, /^ {2}export KUBECONFIG=\/tmp\/sim\/kubeconfig$/m);
      assert.match(text, /멈추려면 Ctrl-C를 누르세요\.$/);
      assert.match(
        exposureWarning("0.0.0.0", false) ?? "",
        /^!!! 경고: eni-view가 접근 토큰 없이 0\.0\.0\.0에서 수신하고 있습니다\./,
      );
    } finally {
      setCliLanguage("en");
    }
  });
});
