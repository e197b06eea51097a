// The banner of a page opened at a snapshot permalink: when the state on screen was frozen (so nobody
// mistakes it for the live cluster), or, for an unknown or expired id, a clear message instead of a blank.
import { Trans, useTranslation } from "react-i18next";
import { type FrozenTopology, isNotFound, shareSearch } from "../api/sharing.ts";
import { formatDate, formatDateTime } from "../i18n/format.ts";
import "./sharing.css";
import { errorText } from "../i18n/serverText.ts";

interface Props {
  topology: FrozenTopology | undefined;
  error: Error | null;
}

export function FrozenBanner({ topology, error }: Props) {
  const { t } = useTranslation();
  const live = `${window.location.pathname}${shareSearch(window.location.search, null)}${window.location.hash}`;
  const liveLink = (
    <a href={live} data-testid="open-live">
      {t("frozen.openLive")}
    </a>
  );
  if (error) {
    return (
      <div className="banner banner-error frozen-missing" role="alert" data-testid="snapshot-missing">
        {isNotFound(error) ? t("frozen.notFound") : t("frozen.loadFailed", { error: errorText(error) })}{" "}
        {liveLink}
      </div>
    );
  }
  if (!topology) return null;
  const frozen = topology.frozen;
  const at = formatDateTime(frozen ? frozen.frozenAt : topology.generatedAt);
  return (
    <div className="banner frozen-banner" role="status" data-testid="frozen-banner">
      <strong>{t("frozen.at", { at })}</strong>
      <Trans
        i18nKey={frozen ? "frozen.whatFrom" : "frozen.what"}
        values={{ cluster: topology.cluster.name, source: frozen?.from }}
        components={{ d: <span data-i18n-data /> }}
      />
      {frozen ? ` ${t("frozen.until", { until: formatDate(frozen.expiresAt) })}` : ""} {liveLink}
    </div>
  );
}
