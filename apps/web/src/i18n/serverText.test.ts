// What the server says by key, in the page's language: a refused stream and why, the loading steps, an
// API error; a key the page does not know stays in the server's words.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { englishWords, stepLabel } from "@eni-view/model";
import { ApiError } from "../api/http.ts";
import { i18n } from "./i18n.ts";
import { errorText, loadingText, serverText } from "./serverText.ts";

after(() => i18n.changeLanguage("en"));

const kept = new Set(["eni-view"]);

test("a refused stream and its reason, in English as the server writes it and in Korean", async () => {
  const refused = {
    key: "stream.refused",
    reason: { key: "stream.reason.too-many-streams-from-address", values: { max: 20, address: "10.0.0.7" } },
  };
  await i18n.changeLanguage("en");
  assert.equal(
    serverText(refused),
    "the server refused this page's live stream: at most 20 live streams from one address (10.0.0.7); close other eni-view tabs or windows; retrying",
  );
  await i18n.changeLanguage("ko");
  const ko = serverText(refused);
  assert.match(
    ko,
    /^서버가 이 페이지의 실시간 스트림을 거부했습니다: 한 주소\(10\.0\.0\.7\)에서 여는 실시간 스트림은 최대 20개입니다/,
  );
  assert.deepEqual(englishWords(ko, kept), []);
  // An older or newer server's bare words are shown as they came.
  assert.match(serverText({ key: "stream.dropped", reason: "shutting down" }), /: shutting down\. 다시 시도/);
  assert.equal(
    serverText({ key: "stream.lost" }),
    "서버의 이벤트 스트림과 연결이 끊겼습니다. 다시 시도하는 중입니다",
  );
});

test("loading steps and API errors in Korean, with the numbers in Korean's grouping", async () => {
  await i18n.changeLanguage("ko");
  const loading = {
    message: "listing pods: 40,000 of 153,000",
    since: "2026-12-06T10:00:00Z",
    steps: [
      { ...stepLabel("loading.step.listPods"), count: 40_000, total: 153_000, complete: false, error: null },
    ],
  };
  assert.equal(loadingText(loading), "파드 목록 읽기: 153,000개 중 40,000개");
  const token = new ApiError(401, "unauthorized", "/api/topology: the access token is wrong: …", {
    path: "/api/topology",
    said: { key: "api.tokenWrong" },
  });
  assert.match(errorText(token), /^접근 토큰이 틀렸습니다: /);
  const internal = new ApiError(500, "internal", "/api/history: internal server error", {
    path: "/api/history",
  });
  assert.match(errorText(internal), /^서버가 \/api\/history에 답하지 못했습니다/);
  const unreachable = new ApiError(0, "unreachable", "cannot reach …", {
    path: "/api/version",
    detail: "Failed to fetch",
  });
  assert.equal(errorText(unreachable), "eni-view 서버에 연결할 수 없습니다 (Failed to fetch)");
  // A code the catalogue lacks: the server's own message.
  assert.equal(
    errorText(new ApiError(507, "snapshot-store-full", "/api/snapshots: full", { path: "/api/snapshots" })),
    "/api/snapshots: full",
  );
});

test("an answer the page cannot draw from is said in Korean, naming what is missing by its JSON names", async () => {
  const { checkTopology } = await import("../api/checkTopology.ts");
  const { readSimulator } = await import("../api/lab.ts");
  const failures: unknown[] = [];
  for (const read of [
    () => checkTopology({ nodes: [], summary: {}, seq: 1 }, "/api/topology"),
    () => checkTopology([], "the stream's snapshot"),
    () => readSimulator({ simulator: { kubeconfig: "/k" } }),
  ]) {
    try {
      read();
    } catch (e) {
      failures.push(e);
    }
  }
  assert.equal(failures.length, 3);
  await i18n.changeLanguage("ko");
  const ko = failures.map(errorText);
  assert.match(ko[0]!, /^서버의 답에 이 페이지가 그리는 데 쓰는 항목\(pods\)이 없습니다/);
  assert.match(ko[2]!, /\(simulator\)/);
  // Only the JSON names are left in Latin letters.
  const jsonNames = new Set(["nodes", "pods", "pending", "subnets", "zones", "simulator"]);
  for (const line of ko) assert.deepEqual(englishWords(line, jsonNames), [], line);
  await i18n.changeLanguage("en");
  assert.match(errorText(failures[0]), /lacks what this page draws from \(pods\)/);
});
