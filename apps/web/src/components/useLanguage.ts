import { useEffect, useSyncExternalStore } from "react";
import { i18n } from "../i18n/i18n.ts";
import { detectLanguage, type Language } from "../i18n/language.ts";

function browserLanguages(): string {
  return navigator.languages.join(",");
}
function onLanguageChange(notify: () => void): () => void {
  window.addEventListener("languagechange", notify);
  return () => window.removeEventListener("languagechange", notify);
}

/** The language the page speaks: the one picked (from the link), else the browser's, followed live. */
export function pageLanguage(picked: Language | null): Language {
  return picked ?? detectLanguage(navigator.languages);
}

/** Switches i18next and `<html lang>` to the page's language; returns it. */
export function useLanguage(picked: Language | null): Language {
  // Re-read when the browser's language list changes (the languagechange event).
  useSyncExternalStore(onLanguageChange, browserLanguages);
  const lang = pageLanguage(picked);
  useEffect(() => {
    if (i18n.language !== lang) void i18n.changeLanguage(lang);
    document.documentElement.lang = lang;
  }, [lang]);
  return lang;
}
