// Why a source is stale or failing (SourceStatus.error), in the words the server writes from
// source.en.json: RBAC forbidding a resource, a watch that failed, EC2 throttling, credentials, the leader
// replica out of reach. The server keeps writing English (logs, API clients, /metrics readers); the page
// recognises each reason against the same catalogue and says it in its own language ("source"
// namespace). The API's and AWS's own words inside stay verbatim. Pure.

import type { ReportTranslate } from "./reportText.ts";
import { type SentenceValues, sentenceReader } from "./sentenceReader.ts";
import en from "./source.en.json" with { type: "json" };
import ko from "./source.ko.json" with { type: "json" };

export const sourceMessages = { en, ko } as const;

const source = sentenceReader("source", en, {
  // Why the leader replica could not be read: its answer (a sentence of the catalogue) or a network error.
  mayHold: new Set(["detail"]),
  words: { resource: "resource" },
});

/** A source's reason in English, as SourceStatus.error carries it. */
export function sourceEnglish(key: string, values: SentenceValues = {}): string {
  return source.english(key, values);
}

/** SourceStatus.error said with `translate` (the "source" namespace). A watcher joins the reasons of its
 * resources with "; ": each is said on its own, and one not recognised stays as written. */
export function sourceErrorText(error: string, translate: ReportTranslate): string {
  return error
    .split("; ")
    .map((part) => source.text(part, translate).text)
    .join("; ");
}
