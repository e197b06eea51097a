// The Pending pods in a few lines, grouped as the tray groups them: what kiosk mode and the exports show
// when the tray itself is not there.
import { groupPendingPods, type PendingGroup, type PendingPodReport } from "@eni-view/model";
import { t } from "../i18n/i18n.ts";

/** The tray's short word for why a pod waits. */
export function reasonText(reason: PendingPodReport["reason"]): string {
  return t(`screens.pending.reason.${reason}`);
}

/** "7 × Deployment/nginx-deployment: too many pods", the tray's group title. */
export function pendingGroupLine(g: PendingGroup): string {
  return t("screens.pending.group", {
    count: g.count,
    owner: g.owner ?? t("screens.pending.noOwner", { namespace: g.namespace }),
    reason: reasonText(g.reason),
  });
}

export interface PendingSummary {
  total: number;
  /** The largest groups first, at most `limit` of them. */
  lines: string[];
  /** Pods in the groups left out of `lines`. */
  morePods: number;
  moreGroups: number;
}

export function pendingSummary(pending: readonly PendingPodReport[], limit: number): PendingSummary {
  // Largest first (ties in the model's stable order): the lines a reader most needs fit the space.
  const groups = groupPendingPods(pending)
    .map((g, i) => ({ g, i }))
    .sort((a, b) => b.g.count - a.g.count || a.i - b.i)
    .map((x) => x.g);
  const shown = groups.slice(0, limit);
  const rest = groups.slice(limit);
  return {
    total: pending.length,
    lines: shown.map(pendingGroupLine),
    morePods: rest.reduce((n, g) => n + g.count, 0),
    moreGroups: rest.length,
  };
}
