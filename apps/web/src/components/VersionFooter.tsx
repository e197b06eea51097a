// The page's footer: which eni-view server this is (its version and commit), as `eni-view --version`
// words it. Nothing is shown until the server has answered, and an unknown version says so.
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { versionQuery } from "../api/queries.ts";
import { errorText } from "../i18n/serverText.ts";

export function VersionFooter() {
  const { t } = useTranslation();
  const { data, error } = useQuery(versionQuery);
  if (!data && !error) return null;
  return (
    <footer className="version-footer" data-testid="version">
      {data
        ? t("footer.version", { version: data.version, commit: data.commit ?? t("footer.unknownCommit") })
        : t("footer.versionUnknown", { error: errorText(error) })}
    </footer>
  );
}
