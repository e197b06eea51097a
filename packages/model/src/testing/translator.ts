// i18next's lookup in miniature, for the model's tests of its catalogues (the model has no i18n library):
// nested keys, _one/_other by count, {{name}} filled in.
import type { ReportTranslate } from "../messages/reportText.ts";

type Catalogue = { readonly [k: string]: string | Catalogue };

export function translator(catalogue: Catalogue, lang: "en" | "ko"): ReportTranslate {
  const plural = (n: number) => (lang === "en" && n === 1 ? "one" : "other");
  const get = (key: string) =>
    key
      .split(".")
      .reduce<Catalogue | string | undefined>(
        (c, k) => (typeof c === "object" ? c[k] : undefined),
        catalogue,
      );
  return (key, values) => {
    const count = values.count;
    const message =
      (typeof count === "number" ? get(`${key}_${plural(count)}`) : undefined) ??
      get(key) ??
      get(`${key}_other`);
    if (typeof message !== "string") throw new Error(`no message ${key}`);
    return message.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(values[name]));
  };
}
