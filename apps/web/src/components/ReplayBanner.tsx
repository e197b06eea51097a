// Says, above the map, that what is on screen is a recorded moment and not the live cluster, which
// moment it is, and what changed since the moment pinned for a comparison.
import type { PendingPodReport } from "@eni-view/model";
import { Trans, useTranslation } from "react-i18next";
import type { ReplayTopology } from "../api/recordings.ts";
import { formatDate } from "../i18n/format.ts";
import { t } from "../i18n/i18n.ts";
import { errorText } from "../i18n/serverText.ts";
import type { MomentDiff } from "../layout/compareMoments.ts";
import { reasonText } from "../layout/pendingSummary.ts";
import { momentLabel } from "../layout/timeline.ts";
import type { Replay } from "./useReplay.ts";

interface Props {
  replay: Replay;
  /** The differences from the pinned moment to this one, when comparing. */
  diff: MomentDiff | null;
  onPick: (node: string) => void;
  /** The server replays a recording file (`serve --recording`): even "live" is a recorded moment. */
  fileMode: boolean;
}

const totalKeys = {
  nodes: "nodes",
  "pods running": "podsRunning",
  "pods pending": "podsPending",
  "ENIs attached": "enisAttached",
  "IPs assigned": "ipsAssigned",
  "IPs used": "ipsUsed",
  "IPs warm": "ipsWarm",
  "subnet free": "subnetFree",
} as const;
const pendingReasons = [
  "too-many-pods",
  "insufficient-resources",
  "ip-exhausted",
  "starting",
  "unschedulable",
  "other",
];

/** compareMoments' labels (its totals, the Pending reasons, a node's ENIs and pods) in the page's words. */
function changeLabel(label: string): string {
  if (label in totalKeys) return t(`compare.totals.${totalKeys[label as keyof typeof totalKeys]}`);
  if (label === "ENIs" || label === "pods") return t(`compare.node.${label}`);
  if (pendingReasons.includes(label)) return reasonText(label as PendingPodReport["reason"]);
  return label;
}

export function ReplayBanner({ replay, diff, onPick, fileMode }: Props) {
  const { t } = useTranslation();
  const { at, moment } = replay;
  if (at === null) {
    if (!fileMode) return null;
    return (
      <div className="banner replay-banner" role="status" data-testid="replay-banner">
        <strong>{t("replay.fileTitle")}</strong>
        {t("replay.fileText")}
      </div>
    );
  }
  const topology = moment.data as ReplayTopology | undefined;
  if (moment.error) {
    return (
      <div className="banner banner-error" role="alert" data-testid="replay-error">
        {t("replay.loadFailed", { error: errorText(moment.error) })}{" "}
        <button type="button" onClick={() => replay.seek(null)}>
          {t("replay.back")}
        </button>
      </div>
    );
  }
  if (replay.frameT === null && replay.timeline.data) {
    return (
      <div className="banner banner-error" role="alert" data-testid="replay-error">
        {t("replay.beforeFirst", { at: momentLabel(at) })}{" "}
        <button type="button" onClick={() => replay.seek(null)}>
          {t("replay.back")}
        </button>
      </div>
    );
  }
  return (
    <>
      <div className="banner replay-banner" role="status" data-testid="replay-banner">
        <strong>{t("replay.moment", { at: `${formatDate(at)} ${momentLabel(at)}` })}</strong>
        {topology ? (
          <Trans
            i18nKey="replay.as"
            values={{
              cluster: topology.cluster.name ?? t("replay.theCluster"),
              name: topology.recorded.name,
            }}
            components={{ d: <span data-i18n-data /> }}
          />
        ) : (
          t("replay.loading")
        )}
        {topology?.recorded.inGap && t("replay.gap")}{" "}
        <button type="button" onClick={() => replay.seek(null)} data-testid="banner-live">
          {t("replay.back")}
        </button>
      </div>
      {replay.compareAt !== null && diff && (
        <CompareList diff={diff} from={replay.compareAt} to={at} onPick={onPick} />
      )}
    </>
  );
}

function CompareList({
  diff,
  from,
  to,
  onPick,
}: {
  diff: MomentDiff;
  from: number;
  to: number;
  onPick: (node: string) => void;
}) {
  const nothing =
    diff.totals.length +
      diff.nodes.length +
      diff.nodesAdded.length +
      diff.nodesRemoved.length +
      diff.pending.length ===
    0;
  return (
    <div className="banner compare-panel" data-testid="compare-panel">
      <strong>
        {momentLabel(from)} → {momentLabel(to)}:
      </strong>{" "}
      {nothing && t("compare.nothing")}
      {diff.totals.map((c) => (
        <span key={c.label} className="compare-item">
          {changeLabel(c.label)} {c.a} → {c.b}
        </span>
      ))}
      {diff.pending.map((c) => (
        <span key={`p-${c.label}`} className="compare-item">
          {t("compare.pending", { reason: changeLabel(c.label) })} {c.a} → {c.b}
        </span>
      ))}
      {diff.nodesAdded.map((n) => (
        <button
          key={`+${n}`}
          type="button"
          className="compare-node"
          onClick={() => onPick(n)}
          data-testid="compare-node"
        >
          + <span data-i18n-data>{n}</span>
        </button>
      ))}
      {diff.nodesRemoved.map((n) => (
        <span key={`-${n}`} className="compare-item">
          − <span data-i18n-data>{n}</span>
        </span>
      ))}
      {diff.nodes.slice(0, 50).map((n) => (
        <button
          key={n.name}
          type="button"
          className="compare-node"
          onClick={() => onPick(n.name)}
          data-testid="compare-node"
        >
          <span data-i18n-data>{n.name}</span>:{" "}
          {[n.enis, n.pods]
            .filter((c) => c !== null)
            .map((c) => `${changeLabel(c!.label)} ${c!.a} → ${c!.b}`)
            .join(", ")}
        </button>
      ))}
      {diff.nodes.length > 50 && (
        <span className="compare-item">{t("compare.more", { count: diff.nodes.length - 50 })}</span>
      )}
    </div>
  );
}
