// Sentences a pure module writes in English from a catalogue of its own, read back in another language.
// The module writes each sentence with `english(key, values)`, so plans, JSON and logs stay one language;
// a CLI or page recognises the sentence against the same catalogue (`text`) and says it again with its
// i18next. A sentence can hold another: a variable named for a section ("{{limit}}") matches only that
// section's sentences, and is said again in turn. Pure.
import type { ReportTranslate } from "./reportText.ts";

export type SentenceValues = Record<string, string | number>;

type Catalogue = { readonly [key: string]: string | Catalogue };

/** How a catalogue's variables are read back. */
export interface SentenceKinds {
  /** Variables that hold another sentence of the catalogue, by the sections they come from. */
  nested?: Record<string, readonly string[]>;
  /** Variables that hold a word of a section (said in the language), by that section. */
  words?: Record<string, string>;
  /** Variables that are numbers (a decimal too, for seconds and rates). */
  numbers?: ReadonlySet<string>;
  /** Variables that are a number or a range ("5 to 8", said with the catalogue's "range" message). */
  ranges?: ReadonlySet<string>;
  /** Variables of any text that may be one of the catalogue's sentences: said again when it is. */
  mayHold?: ReadonlySet<string>;
}

export type VariableKind = "sentence" | "number" | "range" | "text";

export interface SentenceReader {
  /** A sentence in English, its plural form picked by `count` as i18next picks it for English. */
  english(key: string, values?: SentenceValues): string;
  /** The sentence said with `translate`, and whether it was recognised (else as written). */
  text(sentence: string, translate: ReportTranslate): { text: string; known: boolean };
  variableKind(name: string): VariableKind;
}

interface Pattern {
  key: string;
  vars: string[];
  /** The message as a regular expression whose groups are its variables. */
  re: RegExp;
  /** Its literal characters: the more a pattern has, the more specific it is. */
  literal: number;
}

function leaves(c: Catalogue, prefix = ""): [string, string][] {
  return Object.entries(c).flatMap(([k, v]): [string, string][] =>
    typeof v === "string" ? [[`${prefix}${k}`, v]] : leaves(v, `${prefix}${k}.`),
  );
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function sentenceReader(name: string, en: Catalogue, kinds: SentenceKinds): SentenceReader {
  const nested = kinds.nested ?? {};
  const words = kinds.words ?? {};
  const numbers = kinds.numbers ?? new Set<string>();
  const ranges = kinds.ranges ?? new Set<string>();
  const mayHold = kinds.mayHold ?? new Set<string>();
  const all = leaves(en);
  const english = new Map(all);
  const sectionSources = new Map<string, string>();

  const template = (key: string, count: unknown) =>
    english.get(key) ?? english.get(`${key}_${count === 1 ? "one" : "other"}`);

  /** A variable's pattern: a section's sentences, a number, a range, or any text (as short as it can be). */
  const variableSource = (v: string): string => {
    const sections = nested[v];
    if (sections) return `(?:${sections.map(sectionSource).join("|")})`;
    if (numbers.has(v)) return "-?\\d+(?:\\.\\d+)?";
    if (ranges.has(v)) return "\\d+(?: to \\d+)?";
    return "[^]+?";
  };

  const messageSource = (message: string, capture: boolean, vars: string[]): string =>
    message
      .split(/(\{\{\s*\w+\s*\}\})/)
      .map((part) => {
        const v = /^\{\{\s*(\w+)\s*\}\}$/.exec(part);
        if (!v) return escapeRegExp(part);
        vars.push(v[1]!);
        const inner = variableSource(v[1]!);
        return capture ? `(${inner})` : inner;
      })
      .join("");

  /** Every sentence of a section as one group without captures, for a variable that holds one. */
  function sectionSource(section: string): string {
    const known = sectionSources.get(section);
    if (known !== undefined) return known;
    const source = all
      .filter(([key]) => key.startsWith(`${section}.`))
      .map(([, message]) => `(?:${messageSource(message, false, [])})`)
      .join("|");
    sectionSources.set(section, source);
    return source;
  }

  const holdsSentence = (p: Pattern) => (p.vars.some((v) => nested[v] !== undefined) ? 1 : 0);
  let patterns: Pattern[] | null = null;
  const allPatterns = (): Pattern[] => {
    patterns ??= all
      .filter(([key]) => key !== "range" && !Object.values(words).some((w) => key.startsWith(`${w}.`)))
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
      .sort((a, b) => holdsSentence(b) - holdsSentence(a) || b.literal - a.literal);
    return patterns;
  };

  const reader: SentenceReader = {
    english(key, values = {}) {
      const message = template(key, values.count);
      if (message === undefined) throw new Error(`no ${name} message "${key}"`);
      return message.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, v: string) => String(values[v] ?? ""));
    },
    text(sentence, translate) {
      for (const p of allPatterns()) {
        const m = p.re.exec(sentence);
        if (!m) continue;
        const values: SentenceValues = {};
        p.vars.forEach((v, i) => {
          const got = m[i + 1]!;
          const word = words[v];
          if (nested[v]) values[v] = reader.text(got, translate).text;
          else if (numbers.has(v)) values[v] = Number(got);
          else if (word && english.has(`${word}.${got}`)) values[v] = translate(`${word}.${got}`, {});
          else if (mayHold.has(v)) values[v] = reader.text(got, translate).text;
          else if (ranges.has(v)) {
            const range = /^(\d+) to (\d+)$/.exec(got);
            values[v] = range ? translate("range", { min: Number(range[1]), max: Number(range[2]) }) : got;
          } else values[v] = got;
        });
        return { text: translate(p.key, values), known: true };
      }
      return { text: sentence, known: false };
    },
    variableKind(v) {
      if (nested[v]) return "sentence";
      return numbers.has(v) ? "number" : ranges.has(v) ? "range" : "text";
    },
  };
  return reader;
}
