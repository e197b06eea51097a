// The report's warnings and notes are sentences the model writes in English (the CLI prints them, the
// server serves them). The page says them in its own language by recognising each sentence against the
// English messages in en.json's `report` section, which are the model's wording exactly, and saying the
// matched key again with i18next. A sentence no message matches is shown as the model wrote it.
import en from "../i18n/en.json" with { type: "json" };
import { t } from "../i18n/i18n.ts";

type ReportKey = keyof typeof en.report extends infer K
  ? K extends `${infer B}_${"one" | "other"}`
    ? B
    : K
  : never;

interface Pattern {
  key: ReportKey;
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
  return { key: key.replace(/_(one|other)$/, "") as ReportKey, re: new RegExp(`^${source}$`, "s"), vars };
}

// Longest messages first: a short one must not take a sentence a longer, more specific one describes.
const patterns = Object.entries(en.report)
  .map(([key, message]) => compile(key, message))
  .sort((a, b) => b.re.source.length - a.re.source.length);

const say = t as unknown as (key: string, values: Record<string, string | number>) => string;

/** listSome's "a, b, c and 4 more" in the page's language. */
function list(value: string): string {
  const m = /^(.*) and (\d+) more$/s.exec(value);
  return m ? say("reportList.andMore", { list: m[1]!, count: Number(m[2]) }) : value;
}

const whats = new Set(Object.keys(en.reportWhat));
const kinds: Record<string, string> = {
  "EKS Auto Mode": "auto-mode",
  Fargate: "fargate",
  hybrid: "hybrid",
  Windows: "windows",
};

/** One of the report's sentences in the page's language, and whether it was recognised. */
export function reportText(sentence: string): { text: string; known: boolean } {
  for (const p of patterns) {
    const m = p.re.exec(sentence);
    if (!m) continue;
    const values: Record<string, string | number> = {};
    p.vars.forEach((name, i) => {
      const v = m[i + 1]!;
      if (name === "count") values[name] = Number(v);
      else if (name === "list") values[name] = list(v);
      else if (name === "what" && whats.has(v)) values[name] = say(`reportWhat.${v}`, {});
      else if (name === "kind" && kinds[v]) values[name] = say(`node.kind.${kinds[v]}`, {});
      else values[name] = v;
    });
    return { text: say(`report.${p.key}`, values), known: true };
  }
  return { text: sentence, known: false };
}
