// Numbers and times in the page's language (Intl), for text built outside a translation string. Inside one,
// i18next's own `{{n, number}}` and `{{t, datetime}}` formats do the same.
import type { SubnetForecast } from "@eni-view/model";
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

/** "2 h 10 min" / "2시간 10분": the model's formatDuration steps, said in the page's language. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return t("duration.underMinute");
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return t("duration.m", { m: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48)
    return minutes % 60 === 0
      ? t("duration.h", { h: hours })
      : t("duration.hm", { h: hours, m: minutes % 60 });
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? t("duration.d", { d: days }) : t("duration.dh", { d: days, h: hours % 24 });
}

/** What a person reads about one subnet's forecast (the model's describeForecast, translated). */
export function describeForecast(cidr: string, f: SubnetForecast | null | undefined): string {
  if (f === null || f === undefined) return t("forecast.none", { cidr });
  const window = formatDuration(f.windowSeconds);
  if (f.emptyInSeconds === 0) return t("forecast.empty", { cidr });
  if (f.emptyInSeconds === null) return t("forecast.notFalling", { cidr, window });
  return t("forecast.emptyIn", {
    cidr,
    time: formatDuration(f.emptyInSeconds),
    window,
    perHour: formatNumber(-f.freePerHour),
  });
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
