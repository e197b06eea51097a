// `record summary`'s Markdown, in English as the server's route and the CLI print it, and in Korean for
// `record summary --lang ko`: the same cells, the same numbers.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { englishWords, type RecordingSummary } from "@eni-view/model";
import { serverSay, setCliLanguage } from "../i18n/cliText.ts";
import { summaryMarkdown } from "./summary.ts";

after(() => setCliLanguage("en"));

const summary: RecordingSummary = {
  recording: {
    id: "r1",
    name: "scale test",
    kind: "named",
    source: "sim",
    startedAt: "2026-12-06T10:00:00.000Z",
    stoppedAt: "2026-12-06T10:05:00.000Z",
    expiresAt: null,
    from: "2026-12-06T10:00:00.000Z",
    to: "2026-12-06T10:05:00.000Z",
    frames: 40,
    bytes: 9000,
    recording: false,
  },
  steps: [
    {
      at: "2026-12-06T10:01:00.000Z",
      owner: "Deployment/nginx-deployment",
      from: 8,
      to: 50,
      outcome: "settled",
      settleSeconds: 41.5,
      pendingAtEnd: 7,
      peakPending: {
        total: 9,
        at: "2026-12-06T10:01:20.000Z",
        byReason: { "too-many-pods": 7, starting: 2 },
      },
      enisAttached: 3,
      enisFreed: 0,
      scheduledToIp: { pods: 35, p50: 1, p95: 11, max: 12 },
      subnetConsumed: 15,
      ec2Throttled: 0,
      slowestNode: {
        node: "ip-192-168-1-10",
        seconds: 12,
        pods: 15,
        why: "its pod default/nginx-1 waited while eni-0abc attached to it",
        whyLabel: { key: "summary.why.attached", values: { pod: "default/nginx-1", enis: "eni-0abc" } },
      },
    },
  ],
};

test("the summary's Markdown in English and in Korean, with the same numbers", () => {
  const en = summaryMarkdown(summary);
  assert.match(en, /^## Recording "scale test": 2026-12-06T10:00:00\.000Z to 2026-12-06T10:05:00\.000Z$/m);
  assert.match(
    en,
    /\| settled after 41\.5 s with 7 Pending \| 9 \(too-many-pods 7, starting 2\) \| 3 \/ 0 \|/,
  );
  assert.match(
    en,
    /ip-192-168-1-10 \(12 s\): its pod default\/nginx-1 waited while eni-0abc attached to it \|$/m,
  );
  setCliLanguage("ko");
  const ko = summaryMarkdown(summary, serverSay);
  assert.match(ko, /^## 녹화 "scale test": 2026-12-06T10:00:00\.000Z ~ 2026-12-06T10:05:00\.000Z$/m);
  assert.match(ko, /\| 41\.5초 뒤 안정, 대기 중\(Pending\) 7개 \|/);
  assert.match(ko, /1초 \/ 11초 \/ 12초 \(파드 35개\)/);
  assert.match(
    ko,
    /ip-192-168-1-10 \(12초\): 파드 default\/nginx-1이\(가\) eni-0abc이\(가\) 연결되는 동안 기다렸습니다 \|$/m,
  );
  const digits = (s: string) => (s.match(/\d+(\.\d+)?/g) ?? []).sort();
  assert.deepEqual(digits(ko), digits(en));
  assert.deepEqual(
    englishWords(
      ko.replaceAll(/[a-z]+-[\w-]+|scale test|Deployment\/[\w-]+/g, ""),
      new Set(["Pending", "Running", "starting"]),
    ),
    [],
  );
});
