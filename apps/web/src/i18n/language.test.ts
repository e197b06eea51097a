import assert from "node:assert/strict";
import { test } from "node:test";
import { detectLanguage } from "./language.ts";

test("a Korean browser gets Korean, by primary subtag and case-insensitively", () => {
  assert.equal(detectLanguage(["ko-KR", "en-US"]), "ko");
  assert.equal(detectLanguage(["KO"]), "ko");
});

test("the first preferred language the page has wins, and English is the fallback", () => {
  assert.equal(detectLanguage(["ja-JP", "ko", "en"]), "ko");
  assert.equal(detectLanguage(["en-GB", "ko-KR"]), "en");
  assert.equal(detectLanguage(["fr-FR", "de"]), "en");
  assert.equal(detectLanguage([]), "en");
});
