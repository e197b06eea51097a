// The planner's own sentences (its changes, the first limit, the EC2 and settle lines, its warnings and
// its input errors). The planner writes each one from planner.en.json (plannerEnglish), so the English
// in a plan, in JSON and in logs stays one language; a CLI or page in another language recognises the
// sentence against the same catalogue and says it again from planner.<lang>.json (plannerText).
// A sentence can hold another: "at 43 replicas of Deployment/web {{limit}}" holds one of the "limit"
// sentences, and a variable named for a section matches only that section's sentences. Pure.
import en from "./planner.en.json" with { type: "json" };
import ko from "./planner.ko.json" with { type: "json" };
import type { ReportTranslate } from "./reportText.ts";

export const plannerMessages = { en, ko } as const;

export type PlannerValues = Record<string, string | number>;

/** Variables that hold another sentence of the catalogue, by the section they come from. */
const NESTED: Record<string, readonly string[]> = {
  change: ["change"],
  note: ["note"],
  limit: ["limit"],
  summary: ["settle"],
  what: ["what"],
};
/** Variables that hold a word of a section of the catalogue (EC2's throttling categories), said in the language. */
const WORDS: Record<string, string> = { category: "category", thing: "thing" };
/** Variables that are whole numbers (or a decimal, for seconds and rates). */
const NUMBERS = new Set([
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
]);
/** Variables that are a number or a range over the seeds ("5 to 8"). */
const RANGES = new Set(["time", "nodes"]);

/** What a variable holds, as the recogniser reads it. */
export function variableKind(name: string): "sentence" | "number" | "range" | "text" {
  if (NESTED[name]) return "sentence";
  return NUMBERS.has(name) ? "number" : RANGES.has(name) ? "range" : "text";
}

type Catalogue = { readonly [key: string]: string | Catalogue };

function leaves(c: Catalogue, prefix = ""): [string, string][] {
  return Object.entries(c).flatMap(([k, v]): [string, string][] =>
    typeof v === "string" ? [[`${prefix}${k}`, v]] : leaves(v, `${prefix}${k}.`),
  );
}

const english = new Map(leaves(en));

/** The English message of a key, its plural form picked by `count` as i18next picks it for English. */
function template(key: string, count: unknown): string | undefined {
  return english.get(key) ?? english.get(`${key}_${count === 1 ? "one" : "other"}`);
}

/** A planner sentence in English, as plans, JSON and logs carry it. */
export function plannerEnglish(key: string, values: PlannerValues = {}): string {
  const message = template(key, values.count);
  if (message === undefined) throw new Error(`no planner message "${key}"`);
  return message.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(values[name] ?? ""));
}

interface Pattern {
  key: string;
  vars: string[];
  /** The message as a regular expression whose groups are its variables. */
  re: RegExp;
  /** Its literal characters: the more a pattern has, the more specific it is. */
  literal: number;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const sectionSources = new Map<string, string>();

/** A variable's pattern: a section's sentences, a number, a range, or any text (as short as it can be). */
function variableSource(name: string): string {
  const sections = NESTED[name];
  if (sections) return `(?:${sections.map(sectionSource).join("|")})`;
  if (NUMBERS.has(name)) return "-?\\d+(?:\\.\\d+)?";
  if (RANGES.has(name)) return "\\d+(?: to \\d+)?";
  return "[^]+?";
}

function messageSource(message: string, capture: boolean, vars: string[]): string {
  return message
    .split(/(\{\{\s*\w+\s*\}\})/)
    .map((part) => {
      const v = /^\{\{\s*(\w+)\s*\}\}$/.exec(part);
      if (!v) return escapeRegExp(part);
      vars.push(v[1]!);
      const inner = variableSource(v[1]!);
      return capture ? `(${inner})` : inner;
    })
    .join("");
}

/** Every sentence of a section as one group without captures, for a variable that holds one. */
function sectionSource(section: string): string {
  const known = sectionSources.get(section);
  if (known !== undefined) return known;
  const source = leaves(en)
    .filter(([key]) => key.startsWith(`${section}.`))
    .map(([, message]) => `(?:${messageSource(message, false, [])})`)
    .join("|");
  sectionSources.set(section, source);
  return source;
}

let patterns: Pattern[] | null = null;

const nested = (p: Pattern) => (p.vars.some((v) => NESTED[v] !== undefined) ? 1 : 0);

function allPatterns(): Pattern[] {
  patterns ??= leaves(en)
    .filter(([key]) => key !== "range" && !Object.values(WORDS).some((w) => key.startsWith(`${w}.`)))
    .map(([key, message]) => {
      const vars: string[] = [];
      const source = messageSource(message, true, vars);
      return {
        key: key.replace(/_(one|other)$/, ""),
        vars,
        re: new RegExp(`^${source}$`),
        literal: message.replace(/\{\{\s*\w+\s*\}\}/g, "").length,
      };
    })
    // A sentence that holds another is the stricter match ("set X=1: <note>" is not "set <anything>"),
    // then the more literal text, the more specific.
    .sort((a, b) => nested(b) - nested(a) || b.literal - a.literal);
  return patterns;
}

/**
 * One of the planner's sentences said with `translate` (the "planner" namespace: `(k, v) => t(\`planner:${k}\`, v)`),
 * and whether it was recognised; an unrecognised one comes back as written.
 */
export function plannerText(sentence: string, translate: ReportTranslate): { text: string; known: boolean } {
  for (const p of allPatterns()) {
    const m = p.re.exec(sentence);
    if (!m) continue;
    const values: PlannerValues = {};
    p.vars.forEach((name, i) => {
      const v = m[i + 1]!;
      if (NESTED[name]) values[name] = plannerText(v, translate).text;
      else if (NUMBERS.has(name)) values[name] = Number(v);
      else if (WORDS[name] && english.has(`${WORDS[name]}.${v}`))
        values[name] = translate(`${WORDS[name]}.${v}`, {});
      else if (RANGES.has(name)) {
        const range = /^(\d+) to (\d+)$/.exec(v);
        values[name] = range ? translate("range", { min: Number(range[1]), max: Number(range[2]) }) : v;
      } else values[name] = v;
    });
    return { text: translate(p.key, values), known: true };
  }
  return { text: sentence, known: false };
}
