// The admin endpoint's words. curl users read `error`, in the language the request asks for
// (Accept-Language) or else the one the simulator was started in (the CLI's --lang); the model catalogue's
// key and values go beside it, for scripts and for eni-view's page, which says them in its own language.
import { type ServerLanguage, type ServerMessage, type ServerValues, serverWords } from "@eni-view/model";

/** The first language of an Accept-Language header (by its q weights) that the catalogue has. */
export function requestLanguage(header: string | undefined, fallback: ServerLanguage): ServerLanguage {
  if (!header) return fallback;
  const ranked = header
    .split(",")
    .map((part, i) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { lang: tag.trim().toLowerCase().split("-")[0] ?? "", q: q === undefined ? 1 : Number(q), i };
    })
    .filter((t) => t.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const t of ranked) if (t.lang === "ko" || t.lang === "en") return t.lang;
  return fallback;
}

/** An answer's words: `error` in the language, the key and values beside it. */
export function answerIn(
  lang: ServerLanguage,
  key: string,
  values: ServerValues = {},
): { error: string; key: string; values: ServerValues } {
  return { error: serverWords(lang)(key, values), key, values };
}

/** An error whose words are a catalogue key: the English message (logs, tests), `said` for the rest. */
export class SaidSimError extends Error {
  readonly said: ServerMessage & { values: ServerValues };
  constructor(key: string, values: ServerValues = {}) {
    super(serverWords("en")(key, values));
    this.said = { key, values };
  }
}
