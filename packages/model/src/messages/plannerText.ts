// The planner's own sentences (its changes, the first limit, the EC2 and settle lines, its warnings and
// its input errors). The planner writes each one from planner.en.json (plannerEnglish), so the English
// in a plan, in JSON and in logs stays one language; a CLI or page in another language recognises the
// sentence against the same catalogue and says it again from planner.<lang>.json (plannerText).
// "at 43 replicas of Deployment/web {{limit}}" holds one of the "limit" sentences. Pure.
import en from "./planner.en.json" with { type: "json" };
import ko from "./planner.ko.json" with { type: "json" };
import type { ReportTranslate } from "./reportText.ts";
import { type SentenceValues, sentenceReader, type VariableKind } from "./sentenceReader.ts";

export const plannerMessages = { en, ko } as const;

export type PlannerValues = SentenceValues;

const planner = sentenceReader("planner", en, {
  nested: { change: ["change"], note: ["note"], limit: ["limit"], summary: ["settle"], what: ["what"] },
  // EC2's throttling categories and the kinds of name a plan link holds, said in the language.
  words: { category: "category", thing: "thing" },
  numbers: new Set([
    "count",
    "replicas",
    "from",
    "to",
    "maxPods",
    "enis",
    "ips",
    "system",
    "cycle",
    "attach",
    "size",
    "rate",
    "seconds",
    "max",
    "remove",
    "nodeCount",
    "calls",
    "perHour",
    "minimum",
    "perMinute",
    "refill",
  ]),
  // Figures that can differ between the seeds ("5 to 8").
  ranges: new Set(["time", "nodes", "period"]),
});

/** What a variable holds, as the recogniser reads it. */
export function variableKind(name: string): VariableKind {
  return planner.variableKind(name);
}

/** A planner sentence in English, as plans, JSON and logs carry it. */
export function plannerEnglish(key: string, values: PlannerValues = {}): string {
  return planner.english(key, values);
}

/**
 * One of the planner's sentences said with `translate` (the "planner" namespace: `(k, v) => t(\`planner:${k}\`, v)`),
 * and whether it was recognised; an unrecognised one comes back as written.
 */
export function plannerText(sentence: string, translate: ReportTranslate): { text: string; known: boolean } {
  return planner.text(sentence, translate);
}
