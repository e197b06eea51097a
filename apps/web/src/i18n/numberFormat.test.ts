import assert from "node:assert/strict";
import { after, test } from "node:test";
import { i18n } from "./i18n.ts";

after(() => i18n.changeLanguage("en"));

test("numbers in the words are grouped in the page's language, each its own value", async () => {
  const line = (pods: number) => i18n.t("problems.detail.cordoned", { pods, count: pods });
  await i18n.changeLanguage("en");
  assert.equal(line(12345), "12,345 pods on it");
  assert.equal(line(7), "7 pods on it");
  await i18n.changeLanguage("ko");
  assert.match(line(12345), /12,345/);
  assert.doesNotMatch(line(7), /12,345/);
});
