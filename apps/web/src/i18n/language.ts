// Which language the page speaks: the one chosen in the page (kept in the link), else the browser's.
export const languages = ["en", "ko"] as const;
export type Language = (typeof languages)[number];

export function isLanguage(value: string): value is Language {
  return (languages as readonly string[]).includes(value);
}

/**
 * The first of the browser's preferred languages the page has, by primary subtag ("ko-KR" -> ko), so a
 * Korean browser that lists English second still gets Korean. English when none matches.
 */
export function detectLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split("-")[0] ?? "";
    if (isLanguage(primary)) return primary;
  }
  return "en";
}
