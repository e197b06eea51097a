// Kiosk mode's one line above the summary: the cluster, whether the picture is live, and the Pending pods
// grouped as the tray groups them, so a wall screen keeps both without the toolbar and the tray.
import type { PendingPodReport } from "@eni-view/model";
import { useTranslation } from "react-i18next";
import type { StreamStatus } from "../api/stream.ts";
import { pendingSummary } from "../layout/pendingSummary.ts";
import { LiveBadge } from "./LiveBadge.tsx";

export function KioskStatus({
  clusterName,
  pending,
  stream,
  frozen,
  capture,
}: {
  clusterName: string;
  pending: readonly PendingPodReport[];
  stream: StreamStatus;
  frozen: boolean;
  capture: { takenAt: string | null } | null;
}) {
  const { t } = useTranslation();
  const s = pendingSummary(pending, 3);
  return (
    <div className="kiosk-status" data-testid="kiosk-status">
      <strong>{clusterName}</strong>
      <LiveBadge stream={stream} frozen={frozen} capture={capture} />
      <span className="kiosk-pending" data-testid="kiosk-pending">
        <strong>{t("screens.pending.title", { count: s.total })}</strong>
        {s.total === 0 ? (
          <span> · {t("screens.pending.none")}</span>
        ) : (
          <>
            {s.lines.map((line) => (
              <span key={line} className="kiosk-pending-group">
                {" "}
                · {line}
              </span>
            ))}
            {s.moreGroups > 0 && (
              <span className="muted">
                {" "}
                · {t("screens.pending.more", { count: s.moreGroups, pods: s.morePods })}
              </span>
            )}
          </>
        )}
      </span>
    </div>
  );
}
