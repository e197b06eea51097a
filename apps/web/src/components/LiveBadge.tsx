// Whether what is on screen is live: the stream's state, or "frozen" / "capture" when it never changes.
// The toolbar and kiosk mode both show it, so a wall screen still says when its picture went stale.
import { useTranslation } from "react-i18next";
import type { StreamStatus } from "../api/stream.ts";
import { loadingText, serverText } from "../i18n/serverText.ts";
import { captureTime } from "../layout/format.ts";

export function LiveBadge({
  stream,
  frozen = false,
  capture = null,
}: {
  stream: StreamStatus;
  /** A frozen snapshot is on screen: the badge says so instead of the stream state. */
  frozen?: boolean;
  /** A capture folder is served: the badge says so, with the time it was taken, never "live". */
  capture?: { takenAt: string | null } | null;
}) {
  const { t } = useTranslation();
  if (frozen)
    return (
      <span className="live live-frozen" data-testid="live-state" title={t("toolbar.frozenTitle")}>
        {t("toolbar.frozen")}
      </span>
    );
  if (capture)
    return (
      <span className="live live-frozen" data-testid="live-state" title={t("toolbar.captureTitle")}>
        {capture.takenAt
          ? t("toolbar.capture", { time: captureTime(capture.takenAt) })
          : t("toolbar.captureUnknown")}
      </span>
    );
  return (
    <span
      className={`live live-${stream.state}`}
      data-testid="live-state"
      title={
        stream.state === "down"
          ? serverText(stream.reason)
          : stream.state === "loading"
            ? t("toolbar.loadingTitle", { message: loadingText(stream.loading) })
            : t(`toolbar.state.${stream.state}`)
      }
    >
      {t(`toolbar.state.${stream.state}`)}
    </span>
  );
}
