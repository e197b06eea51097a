// The report's warnings and notes are sentences in English: the CLI prints them, the server serves them,
// recordings keep them. report.en.json holds each one's wording exactly, with {{variables}} where names and
// numbers go, and report.ko.json the same messages in Korean. A page or the CLI in another language
// recognises a sentence against the English messages and says the matched message again with its own
// i18next instance (namespace "report"). Pure: no i18n library here, only the catalogues and the matching.
import type { SubnetForecast } from "../types.ts";
import en from "./report.en.json" with { type: "json" };
import ko from "./report.ko.json" with { type: "json" };

export const reportMessages = { en, ko } as const;

/** How the caller translates: i18next's t for the "report" namespace, e.g. `(k, v) => t(\`report:${k}\`, v)`. */
export type ReportTranslate = (key: string, values: Record<string, string | number>) => string;

interface Pattern {
  key: string;
  re: RegExp;
  vars: string[];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function compile(key: string, message: string): Pattern {
  const vars: string[] = [];
  const source = message
    .split(/(\{\{\s*\w+\s*\}\})/)
    .map((part) => {
      const v = /^\{\{\s*(\w+)\s*\}\}$/.exec(part);
      if (!v) return escapeRegExp(part);
      vars.push(v[1]!);
      return "(.+?)";
    })
    .join("");
  return { key: key.replace(/_(one|other)$/, ""), re: new RegExp(`^${source}$`, "s"), vars };
}

// Longest messages first: a short one must not take a sentence a longer, more specific one describes.
const patterns = Object.entries(en.sentence)
  .map(([key, message]) => compile(key, message))
  .sort((a, b) => b.re.source.length - a.re.source.length);

const kindKeys = new Map(Object.entries(en.kind).map(([key, label]) => [label, key]));

/** One of the report's sentences said with `translate`, and whether it was recognised (else as written). */
export function reportText(sentence: string, translate: ReportTranslate): { text: string; known: boolean } {
  for (const p of patterns) {
    const m = p.re.exec(sentence);
    if (!m) continue;
    const values: Record<string, string | number> = {};
    p.vars.forEach((name, i) => {
      const v = m[i + 1]!;
      if (name === "count") values[name] = Number(v);
      else if (name === "list") {
        // listSome's "a, b, c and 4 more".
        const more = /^(.*) and (\d+) more$/s.exec(v);
        values[name] = more ? translate("list.andMore", { list: more[1]!, count: Number(more[2]) }) : v;
      } else if (name === "what" && v in en.what) values[name] = translate(`what.${v}`, {});
      else if (name === "kind" && kindKeys.has(v)) values[name] = translate(`kind.${kindKeys.get(v)}`, {});
      else values[name] = v;
    });
    return { text: translate(`sentence.${p.key}`, values), known: true };
  }
  return { text: sentence, known: false };
}

/** formatDuration's steps ("2 h 10 min") said with `translate`. */
export function durationText(seconds: number, translate: ReportTranslate): string {
  if (seconds < 60) return translate("duration.underMinute", {});
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return translate("duration.m", { m: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48)
    return minutes % 60 === 0
      ? translate("duration.h", { h: hours })
      : translate("duration.hm", { h: hours, m: minutes % 60 });
  const days = Math.floor(hours / 24);
  return hours % 24 === 0
    ? translate("duration.d", { d: days })
    : translate("duration.dh", { d: days, h: hours % 24 });
}

/** describeForecast's sentence about one subnet, said with `translate`. */
export function forecastText(
  cidr: string,
  f: SubnetForecast | null | undefined,
  translate: ReportTranslate,
): string {
  if (f === null || f === undefined) return translate("forecast.none", { cidr });
  const window = durationText(f.windowSeconds, translate);
  if (f.emptyInSeconds === 0) return translate("forecast.empty", { cidr });
  if (f.emptyInSeconds === null) return translate("forecast.notFalling", { cidr, window });
  return translate("forecast.emptyIn", {
    cidr,
    time: durationText(f.emptyInSeconds, translate),
    window,
    perHour: -f.freePerHour,
  });
}
