// The report's warnings and notes in the page's language: the model recognises its own sentence
// (messages/reportText.ts) and this page's i18next says it again from the "report" namespace.
import { reportText as modelReportText, type ReportTranslate } from "@eni-view/model";
import { t } from "../i18n/i18n.ts";

const say: ReportTranslate = (key, values) =>
  (t as unknown as (k: string, v: Record<string, string | number>) => string)(`report:${key}`, values);

/** One of the report's sentences in the page's language, and whether it was recognised. */
export function reportText(sentence: string): { text: string; known: boolean } {
  return modelReportText(sentence, say);
}
