// The CLI's rarer refusals in Korean (issue 16, point 1): a bad duration, a recording file that is not
// there, a bad access token, a kubeconfig that cannot be read; each from the server catalogue, naming what it got.
import assert from "node:assert/strict";
import { test } from "node:test";
import { runInProcess } from "../testing/inProcessCli.ts";

const ko = (...args: string[]) => runInProcess([...args, "--lang", "ko"], {});

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
