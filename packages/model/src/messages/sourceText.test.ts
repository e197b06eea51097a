import assert from "node:assert/strict";
import { test } from "node:test";
import { translator } from "../testing/translator.ts";
import { englishWords, flatten } from "./catalogue.ts";
import { sourceEnglish, sourceErrorText, sourceMessages } from "./sourceText.ts";

const english = translator(sourceMessages.en, "en");
const korean = translator(sourceMessages.ko, "ko");

test("every reason of the catalogue, filled in, is said again word for word in English", () => {
  const keys = [...flatten(sourceMessages.en).keys()].filter((k) => !k.startsWith("resource."));
  for (const key of keys) {
    const s = sourceEnglish(key, {
      resource: "pods",
      reason: "NotFound",
      status: 404,
      code: "ECONNREFUSED",
      error: "x",
      detail: "y",
      header: "x-eni-view-status",
    });
    assert.equal(sourceErrorText(s, english), s, key);
  }
});

test("in Korean: RBAC, a failed watch, throttling and the leader's answer, the API's own words kept", () => {
  const error = [
    sourceEnglish("kube.forbidden", { resource: "pods" }),
    sourceEnglish("kube.watchFailed", { resource: "nodes", error: "too old resource version: 1 (2)" }),
  ].join("; ");
  const ko = sourceErrorText(error, korean);
  assert.equal(
    ko,
    "Forbidden: RBAC 권한으로 파드을(를) 읽을 수 없습니다; 노드의 watch가 실패했습니다: too old resource version: 1 (2)",
  );
  assert.match(sourceErrorText(sourceEnglish("ec2.throttled"), korean), /스로틀링/);
  const peer = sourceEnglish("peer.cannotRead", {
    detail: sourceEnglish("leader.answered", { status: 503 }),
  });
  const said = sourceErrorText(peer, korean);
  assert.equal(said, "리더 복제본에서 EC2 데이터를 읽을 수 없습니다: 리더 복제본이 503(으)로 응답했습니다");
  assert.deepEqual(englishWords(said, new Set()), []);
  // A network error inside stays as the runtime wrote it; a reason the catalogue lacks, whole.
  assert.match(
    sourceErrorText(sourceEnglish("peer.cannotRead", { detail: "fetch failed" }), korean),
    /: fetch failed$/,
  );
  assert.equal(sourceErrorText("SomethingNew: odd", korean), "SomethingNew: odd");
});
