// Numbers and times in the page's language (Intl), for text built outside a translation string. Inside one,
// i18next's own `{{n, number}}` and `{{t, datetime}}` formats do the same.
import { durationText, forecastText, type ReportTranslate, type SubnetForecast } from "@eni-view/model";
import { currentLanguage, t } from "./i18n.ts";

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

const say: ReportTranslate = (key, values) =>
  (t as unknown as (k: string, v: Record<string, string | number>) => string)(`report:${key}`, values);

/** "2 h 10 min" / "2시간 10분": the model's formatDuration steps, in the page's language. */
export function formatDuration(seconds: number): string {
  return durationText(seconds, say);
}

/** What a person reads about one subnet's forecast (the model's describeForecast), in the page's language. */
export function describeForecast(cidr: string, f: SubnetForecast | null | undefined): string {
  return forecastText(cidr, f, say);
}

/** A date and time in the browser's zone, in the page's language. */
export function formatDateTime(iso: string | number): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString(currentLanguage());
}

/** A date in the browser's zone, in the page's language. */
export function formatDate(iso: string | number): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleDateString(currentLanguage());
}
