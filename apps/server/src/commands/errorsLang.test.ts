// The CLI's rarer refusals in Korean (issue 16, point 1): a bad duration, a recording file that is not
// there, a bad access token, a kubeconfig that cannot be read, capture files that cannot be used; each
// from a catalogue, naming what it got.
import assert from "node:assert/strict";
import { cp, mkdtemp, readFile, rm, symlink, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runInProcess } from "../testing/inProcessCli.ts";

const ko = (...args: string[]) => runInProcess([...args, "--lang", "ko"], {});

/** A copy of the 2-replica scale lab's capture folder for `use` to spoil, removed after. */
async function withLabCapture(use: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "eni-view-capture-ko-"));
  try {
    await cp(new URL("../sources/dump/fixtures/scale-lab-2", import.meta.url).pathname, dir, {
      recursive: true,
    });
    await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("a bad duration, a missing recording file, a short token and an unreadable kubeconfig are refused in Korean", async () => {
  const cases: [string[], RegExp][] = [
    [
      ["serve", "--source", "sim", "--snapshot-ttl", "forever"],
      /^eni-view serve: --snapshot-ttl에는 1m부터 366d까지의 기간을 30d, 12h, 90m처럼 써야 합니다. 받은 값: "forever"$/m,
    ],
    [["record", "summary", "--recording", "/nonexistent/lab.db"], /\/nonexistent\/lab\.db: 파일이 없습니다/],
    [
      ["report", "--recording", "/nonexistent/lab.db", "--at", "end"],
      /\/nonexistent\/lab\.db: 파일이 없습니다/,
    ],
    [
      ["serve", "--source", "sim", "--auth-token", `${"a".repeat(20)},short`],
      /--auth-token의 2번째 토큰은 16~256자여야 합니다\(예: `openssl rand -hex 32`의 출력\). 받은 길이: 5/,
    ],
    [
      ["serve", "--source", "cluster", "--kubeconfig", "/nonexistent/kubeconfig"],
      /kubeconfig를 읽을 수 없습니다: /,
    ],
  ];
  for (const [args, expected] of cases) {
    const r = await ko(...args);
    assert.equal(r.code, 2, args.join(" "));
    assert.match(r.stderr, expected, args.join(" "));
  }
});

test("a capture file that is not one the reader can use is refused in Korean, naming the file and what it is", async () => {
  await withLabCapture(async (dir) => {
    const events = join(dir, "events.json");
    const cases: [() => Promise<void>, RegExp][] = [
      [
        async () => {
          await unlink(events);
          await symlink("/dev/zero", events);
        },
        /events\.json은\(는\) \/dev\/zero을\(를\) 가리키는 심볼릭 링크이고, 그 대상은 일반 파일이 아니라 문자 장치입니다/,
      ],
      [
        async () => {
          await unlink(events);
          await writeFile(events, "apiVersion: v1\nitems: []\n");
        },
        /events\.json은\(는\) JSON이 아닙니다\. YAML로 보입니다/,
      ],
      [
        () => writeFile(events, '{"items": [\n  {"a": 1,,}\n]}'),
        /events\.json은\(는\) 2번째 줄 \d+번째 칸\(근처: /,
      ],
    ];
    for (const [make, expected] of cases) {
      await make();
      const r = await ko("report", "--dump", dir);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, expected);
      assert.doesNotMatch(r.stderr, /only regular files|is not JSON|not valid JSON/);
    }
    const large = await ko("report", "--dump", dir, "--max-file-size", "1K");
    assert.equal(large.code, 2);
    assert.match(large.stderr, /의 크기는 [\d.]+ KiB로, 캡처 파일 하나에 허용되는 1\.0 KiB보다 큽니다/);
  });
});

test("a capture file holding another document is refused in Korean, saying what it should hold and what it holds", async () => {
  await withLabCapture(async (dir) => {
    await writeFile(join(dir, "pods.json"), JSON.stringify({ Subnets: [] }));
    const r = await ko("report", "--dump", dir);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /pods\.json의 내용이 맞지 않습니다\. 있어야 할 것: Pod 객체의 목록 \(kubectl get pods -A -o json\), 들어 있는 것: `aws ec2 describe-subnets`의 출력$/m,
    );
    const en = await runInProcess(["report", "--dump", dir, "--lang", "en"], {});
    assert.match(
      en.stderr,
      /pods\.json should hold a list of Pod objects \(.*\) but holds `aws ec2 describe-subnets` output/,
    );
  });
});

test("an object in a capture file that cannot be read is refused in Korean, with its JSON path and value as they are", async () => {
  await withLabCapture(async (dir) => {
    const subnets = JSON.parse(await readFile(join(dir, "subnets.json"), "utf8")) as {
      Subnets: Record<string, unknown>[];
    };
    subnets.Subnets[0]!.CidrBlock = "banana";
    subnets.Subnets[1]!.AvailableIpAddressCount = [];
    await writeFile(join(dir, "subnets.json"), JSON.stringify(subnets));
    const cidr = await ko("report", "--dump", dir);
    assert.equal(cidr.code, 2, cidr.stderr);
    assert.match(
      cidr.stderr,
      /subnets\.json: .*CidrBlock: 서브넷 subnet-\w+: "banana"은\(는\) 192\.168\.0\.0\/19 같은 IPv4 CIDR 블록이 아닙니다$/m,
    );
    subnets.Subnets[0]!.CidrBlock = "192.168.0.0/19";
    await writeFile(join(dir, "subnets.json"), JSON.stringify(subnets));
    const count = await ko("report", "--dump", dir);
    assert.match(count.stderr, /AvailableIpAddressCount: 값이 없습니다 \(받은 값: 배열\)$/m);
    const en = await runInProcess(["report", "--dump", dir, "--lang", "en"], {});
    assert.match(en.stderr, /AvailableIpAddressCount: missing \(got an array\)$/m);
  });
});
