// The planner's own sentences (a plan's changes, first limit, EC2 and settle lines, warnings, and the
// server's refusal of bad input) in the page's language: the model recognises its sentence
// (messages/plannerText.ts) and this page's i18next says it again from the "planner" namespace. A plan's
// warning may be one of the report's, said from the "report" namespace.
import { plannerText, type ReportTranslate } from "@eni-view/model";
import { t } from "../i18n/i18n.ts";
import { reportText } from "./reportWords.ts";

const say: ReportTranslate = (key, values) =>
  (t as unknown as (k: string, v: Record<string, string | number>) => string)(`planner:${key}`, values);

/** One of the planner's sentences in the page's language, as written when unrecognised. */
export function plannerSentence(sentence: string): string {
  const planned = plannerText(sentence, say);
  return planned.known ? planned.text : reportText(sentence).text;
}
