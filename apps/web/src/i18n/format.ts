// Numbers and times in the page's language (Intl), for text built outside a translation string. Inside one,
// i18next's own `{{n, number}}` and `{{t, datetime}}` formats do the same.
import { currentLanguage } from "./i18n.ts";

const numberFormats = new Map<string, Intl.NumberFormat>();

export function formatNumber(n: number, options?: Intl.NumberFormatOptions): string {
  const key = `${currentLanguage()}|${JSON.stringify(options ?? {})}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(currentLanguage(), options);
    numberFormats.set(key, f);
  }
  return f.format(n);
}

/** A wall-clock time in the browser's zone ("10:48:03" / "오전 10:48:03"); the raw text if unreadable. */
export function formatTime(iso: string | number): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleTimeString(currentLanguage());
}
