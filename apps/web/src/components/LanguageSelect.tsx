// The language switcher. "browser" leaves the choice to the browser's languages and keeps it out of the
// link; picking English or Korean puts `lang=` in the link, so a shared link opens in that language.
import { useTranslation } from "react-i18next";
import { detectLanguage, type Language, languages } from "../i18n/language.ts";

export function LanguageSelect({
  value,
  onChange,
}: {
  value: Language | null;
  onChange: (lang: Language | null) => void;
}) {
  const { t } = useTranslation();
  const browser = detectLanguage(navigator.languages);
  return (
    <label title={t("language.title")}>
      {t("language.label")}
      <select
        value={value ?? "auto"}
        onChange={(e) => {
          const v = e.target.value;
          onChange(v === "en" || v === "ko" ? v : null);
        }}
        data-testid="language"
      >
        <option value="auto">{t("language.auto", { language: t(`language.names.${browser}`) })}</option>
        {languages.map((lang) => (
          <option key={lang} value={lang} lang={lang}>
            {t(`language.${lang}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
