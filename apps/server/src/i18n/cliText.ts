// The CLI's text in English and Korean, on the same library as the page (i18next): its own catalogue
// (cli.en.json, cli.ko.json) and the model's for the report's sentences (namespace "report"). Keys are typed
// from cli.en.json (i18next.d.ts). JSON and YAML output never go through here: they stay one language.
import {
  forecastText,
  isServerKey,
  plannerMessages,
  plannerText,
  type ReportTranslate,
  reportMessages,
  reportText,
  type ServerSay,
  type SubnetForecast,
  serverEnglish,
  serverMessages,
  sourceErrorText,
  sourceMessages,
} from "@eni-view/model";
import { createInstance } from "i18next";
import en from "./cli.en.json" with { type: "json" };
import ko from "./cli.ko.json" with { type: "json" };
import type { CliLanguage } from "./language.ts";

// "server": the words the server also says by key (the recording summary's, shared with its route).
export const cliResources = {
  en: {
    cli: en,
    report: reportMessages.en,
    server: serverMessages.en,
    planner: plannerMessages.en,
    source: sourceMessages.en,
  },
  ko: {
    cli: ko,
    report: reportMessages.ko,
    server: serverMessages.ko,
    planner: plannerMessages.ko,
    source: sourceMessages.ko,
  },
} as const;

const i18n = createInstance();
void i18n.init({
  resources: cliResources,
  lng: "en",
  fallbackLng: "en",
  ns: ["cli", "report", "server", "planner", "source"],
  defaultNS: "cli",
  initAsync: false,
  // Terminal text, not HTML: terminalSafe guards what reaches the terminal.
  interpolation: { escapeValue: false },
  returnNull: false,
});

export const t = i18n.t;

export function setCliLanguage(lang: CliLanguage): void {
  void i18n.changeLanguage(lang);
}

export function cliLanguageNow(): CliLanguage {
  return i18n.language === "ko" ? "ko" : "en";
}

const say: ReportTranslate = (key, values) =>
  (t as unknown as (k: string, v: Record<string, string | number>) => string)(`report:${key}`, values);

/** A source's kind ("cluster", "sim", "dump") as the banners name it; another kind as it is. */
export function sourceKindText(kind: string): string {
  return kind === "cluster" || kind === "sim" || kind === "dump" ? t(`serve.kind.${kind}`) : kind;
}

/** The server catalogue's words in the CLI's language (the recording summary). */
export const serverSay: ServerSay = (key, values) =>
  (t as unknown as (k: string, v: Record<string, string | number>) => string)(`server:${key}`, values);

/** A scenario's description in the CLI's language: a built-in one's from the catalogue, a file's as written. */
export function scenarioDescription(name: string, description: string): string {
  const key = `scenario.about.${name}`;
  return isServerKey(key) && serverEnglish(key, {}) === description ? serverSay(key, {}) : description;
}

/** An error in the CLI's language: by the server catalogue's key when it carries one (`said`, as
 * SaidError, ScenarioError and SourceConfigError do), else in its own words. */
export function saidText(err: unknown): string {
  const said = (err as { said?: { key?: unknown; values?: Record<string, string | number> } | null }).said;
  if (said && typeof said.key === "string" && isServerKey(said.key))
    return serverSay(said.key, said.values ?? {});
  return err instanceof Error ? err.message : String(err);
}

/** Why a source has not answered (SourceStatus.error) in the CLI's language; the API's words inside kept. */
export function sourceReason(error: string): string {
  return sourceErrorText(error, (key, values) =>
    (t as unknown as (k: string, v: Record<string, string | number>) => string)(`source:${key}`, values),
  );
}

/** A subnet's forecast (the model's describeForecast) in the CLI's language. */
export function forecastSentence(cidr: string, f: SubnetForecast | null | undefined): string {
  return forecastText(cidr, f, say);
}

/** One of the report's warnings or notes in the CLI's language (as the model wrote it when unrecognised). */
export function reportSentence(sentence: string): string {
  return reportText(sentence, say).text;
}

const sayPlanner: ReportTranslate = (key, values) =>
  (t as unknown as (k: string, v: Record<string, string | number>) => string)(`planner:${key}`, values);

/** One of the planner's sentences (a change, a limit, a summary, an input error) in the CLI's language; a
 * plan's warning may be the report's. As written when recognised by neither. */
export function plannerSentence(sentence: string): string {
  const planned = plannerText(sentence, sayPlanner);
  return planned.known ? planned.text : reportText(sentence, say).text;
}
