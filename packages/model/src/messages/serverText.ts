// What the server tells the page in words (loading progress, why a live stream was refused or dropped, an
// API error) as a key of this catalogue plus its values: the page says it in its own language through
// i18next (namespace "server"), and the server keeps the English text beside it for API clients and logs.
// Pure: the catalogues and a filler per language (the simulator answers curl with it), no i18n library.
import en from "./server.en.json" with { type: "json" };
import ko from "./server.ko.json" with { type: "json" };

export const serverMessages = { en, ko } as const;

export type ServerValues = Record<string, string | number>;

/** A message by key ("stream.reason.too-many-viewers") and the values its {{variables}} take. */
export interface ServerMessage {
  key: string;
  values?: ServerValues;
}

/** How a caller says a message: i18next's t on the "server" namespace, or serverEnglish. */
export type ServerSay = (key: string, values: ServerValues) => string;

export type ServerLanguage = keyof typeof serverMessages;

function find(key: string, catalogue: object = en): string | undefined {
  let node: unknown = catalogue;
  for (const part of key.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string" ? node : undefined;
}

/** The message in a language, its plural form (_one, _other, as i18next picks them for that language)
 * chosen by `count`. */
function lookup(key: string, count?: unknown, lang: ServerLanguage = "en"): string | undefined {
  const catalogue = serverMessages[lang];
  const form = typeof count === "number" ? new Intl.PluralRules(lang).select(count) : "other";
  return find(key, catalogue) ?? find(`${key}_${form}`, catalogue) ?? find(`${key}_other`, catalogue);
}

/** Whether the catalogue has this key (a page older or newer than its server may meet one it lacks). */
export function isServerKey(key: string): boolean {
  return lookup(key) !== undefined;
}

/** A message's text in a language without i18next (the simulator's admin endpoint answers curl), numbers
 * written as that language writes them ("40,000"). */
export function serverWords(lang: ServerLanguage): ServerSay {
  return (key, values) => {
    const template = lookup(key, values.count, lang);
    if (template === undefined) throw new Error(`no server message "${key}"`);
    return template.replace(/\{\{\s*(\w+)\s*(,\s*number\s*)?\}\}/g, (_, name: string, number?: string) => {
      const v = values[name];
      if (v === undefined) return "";
      return number && typeof v === "number"
        ? v.toLocaleString(lang === "ko" ? "ko-KR" : "en-US")
        : String(v);
    });
  };
}

/** The English text of a message, numbers written as en-US writes them ("40,000"). */
export const serverEnglish: ServerSay = serverWords("en");

/** The message with its English text: what the server sends (`message` for readers that know no key). */
export function serverMessage(key: string, values: ServerValues = {}): ServerMessage & { text: string } {
  return { key, values, text: serverEnglish(key, values) };
}

/** An API answer's words: the English `message` for scripts and logs, beside the key and values a page
 * says in its language (and a script may match). */
export function serverAnswer(
  key: string,
  values: ServerValues = {},
): { message: string; key: string; values: ServerValues } {
  return { message: serverEnglish(key, values), key, values };
}

/** A timeline event's words: the English `text` it always had, and the `label` a page says it with. */
export function eventWords(key: string, values: ServerValues): { text: string; label: ServerMessage } {
  return { text: serverEnglish(`event.${key}`, values), label: { key: `event.${key}`, values } };
}
