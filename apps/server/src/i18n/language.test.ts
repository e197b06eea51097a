import assert from "node:assert/strict";
import { test } from "node:test";
import { cliLanguage } from "./language.ts";

test("--lang picks the language wherever it is, and is taken out of the arguments", () => {
  assert.deepEqual(cliLanguage(["report", "--lang", "ko", "--dump", "x"], {}), {
    lang: "ko",
    argv: ["report", "--dump", "x"],
  });
  assert.deepEqual(cliLanguage(["--lang=en", "capacity"], { LANG: "ko_KR.UTF-8" }), {
    lang: "en",
    argv: ["capacity"],
  });
});

test("without --lang, LC_ALL beats LC_MESSAGES beats LANG, and C or another language is English", () => {
  assert.equal(cliLanguage([], { LANG: "ko_KR.UTF-8" }).lang, "ko");
  assert.equal(cliLanguage([], { LC_ALL: "C", LANG: "ko_KR.UTF-8" }).lang, "en");
  assert.equal(cliLanguage([], { LC_MESSAGES: "ko_KR", LANG: "en_US.UTF-8" }).lang, "ko");
  assert.equal(cliLanguage([], { LC_ALL: "", LANG: "ko" }).lang, "ko");
  assert.equal(cliLanguage([], { LANG: "ja_JP.UTF-8" }).lang, "en");
  assert.equal(cliLanguage([], {}).lang, "en");
});

test("a language the CLI does not have is a usage error naming the ones it has", () => {
  assert.throws(() => cliLanguage(["--lang", "fr"], {}), /--lang must be one of en, ko, got "fr"/);
  assert.throws(() => cliLanguage(["report", "--lang"], {}), /--lang needs a language/);
  // Said in the language the environment asks for, as the one asked for cannot be given.
  assert.throws(
    () => cliLanguage(["--lang", "fr"], { LANG: "ko_KR.UTF-8" }),
    /--lang에는 en, ko 중 하나를 써야 합니다. 받은 값: "fr"/,
  );
});
