// The page's one i18next instance, framework-free: React components reach it through react-i18next's
// useTranslation, and the pure layout and canvas code through `t` (the node boxes, tooltips and exports
// are drawn outside React). Every key is typed from en.json (i18next.d.ts), so a missing key fails the
// typecheck; i18n.test.ts holds ko.json to the same keys.
import { plannerMessages, reportMessages, serverMessages, sourceMessages } from "@eni-view/model";
import { createInstance } from "i18next";
import en from "./en.json" with { type: "json" };
import ko from "./ko.json" with { type: "json" };
import labEn from "./lab.en.json" with { type: "json" };
import labKo from "./lab.ko.json" with { type: "json" };
import type { Language } from "./language.ts";
import planEn from "./plan.en.json" with { type: "json" };
import planKo from "./plan.ko.json" with { type: "json" };

/** "ui" is the page; "lab" is lab mode's walk-through and "plan" the Plan panel, in files of their own;
 * "report" is the model's own sentences (warnings, notes), which the CLI says from the same catalogue;
 * "server" what the server tells the page by key (loading steps, stream refusals, API errors);
 * "planner" the planner's own sentences (changes, first limit, EC2 and settle lines, input errors);
 * "source" why a data source is stale (RBAC, a failed watch, EC2 throttling, credentials). */
export const resources = {
  en: {
    ui: en,
    lab: labEn,
    plan: planEn,
    report: reportMessages.en,
    server: serverMessages.en,
    planner: plannerMessages.en,
    source: sourceMessages.en,
  },
  ko: {
    ui: ko,
    lab: labKo,
    plan: planKo,
    report: reportMessages.ko,
    server: serverMessages.ko,
    planner: plannerMessages.ko,
    source: sourceMessages.ko,
  },
} as const;

export const i18n = createInstance();
void i18n.init({
  resources,
  lng: "en",
  fallbackLng: "en",
  ns: ["ui", "lab", "plan", "report", "server", "planner", "source"],
  defaultNS: "ui",
  // The resources are bundled: ready before the first render, no flash of keys.
  initAsync: false,
  // React escapes text itself, the canvas draws characters, and the SVG export escapes its <text>.
  interpolation: { escapeValue: false },
  returnNull: false,
});

// i18next's own `number` format keeps its Intl.NumberFormat under a key made of every value of the call, so
// a page of changing numbers made a new formatter for each number it showed (the summary bar's subnets took
// 30 ms of each update at 100,000 nodes). The catalogues use the plain format only: one per language.
const numberFormats = new Map<string, Intl.NumberFormat>();
i18n.services.formatter?.add("number", (value: unknown, lng: string | undefined) => {
  const lang = lng ?? "en";
  let f = numberFormats.get(lang);
  if (!f) {
    f = new Intl.NumberFormat(lang);
    numberFormats.set(lang, f);
  }
  return f.format(value as number);
});

/** Translates with the page's current language (member functions of an i18next instance are bound). */
export const t = i18n.t;

export function currentLanguage(): Language {
  return i18n.language === "ko" ? "ko" : "en";
}
