import assert from "node:assert/strict";
import { after, test } from "node:test";
import { i18n } from "../i18n/i18n.ts";
import { reportText } from "./reportWords.ts";

after(() => i18n.changeLanguage("en"));

test("the page says the report's sentences in its language through i18next's report namespace", async () => {
  const s = "kubelet max pods 110 > 17 the ENIs can hold: pods past that hang in ContainerCreating";
  await i18n.changeLanguage("en");
  assert.deepEqual(reportText(s), { text: s, known: true });
  await i18n.changeLanguage("ko");
  assert.deepEqual(reportText(s), {
    text: "kubelet 최대 파드 수 110 > ENI가 담을 수 있는 17: 이를 넘는 파드는 ContainerCreating 상태에 머뭅니다",
    known: true,
  });
});
