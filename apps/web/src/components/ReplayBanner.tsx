// Says, above the map, that what is on screen is a recorded moment and not the live cluster, which
// moment it is, and what changed since the moment pinned for a comparison.
import type { ReplayTopology } from "../api/recordings.ts";
import type { MomentDiff } from "../layout/compareMoments.ts";
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

export function ReplayBanner({ replay, diff, onPick, fileMode }: Props) {
  const { at, moment } = replay;
  if (at === null) {
    if (!fileMode) return null;
    return (
      <div className="banner replay-banner" role="status" data-testid="replay-banner">
        <strong>A recording, not a live cluster</strong>: this server replays a recording file; the view shows
        its last moment. Scrub or play the timeline below to see the others.
      </div>
    );
  }
  const topology = moment.data as ReplayTopology | undefined;
  if (moment.error) {
    return (
      <div className="banner banner-error" role="alert" data-testid="replay-error">
        This recorded moment could not be loaded: {moment.error.message}{" "}
        <button type="button" onClick={() => replay.seek(null)}>
          Back to live
        </button>
      </div>
    );
  }
  if (replay.frameT === null && replay.timeline.data) {
    return (
      <div className="banner banner-error" role="alert" data-testid="replay-error">
        {momentLabel(at)} comes before the first moment of this recording.{" "}
        <button type="button" onClick={() => replay.seek(null)}>
          Back to live
        </button>
      </div>
    );
  }
  return (
    <>
      <div className="banner replay-banner" role="status" data-testid="replay-banner">
        <strong>Recorded moment {`${new Date(at).toLocaleDateString()} ${momentLabel(at)}`}</strong>
        {topology
          ? `: ${topology.cluster.name ?? "the cluster"} as eni-view saw it then (recording "${topology.recorded.name}"), not live.`
          : ": loading…"}
        {topology?.recorded.inGap &&
          " eni-view was not running then: this is the last moment before the gap."}{" "}
        <button type="button" onClick={() => replay.seek(null)} data-testid="banner-live">
          Back to live
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
      {nothing && "no difference."}
      {diff.totals.map((c) => (
        <span key={c.label} className="compare-item">
          {c.label} {c.a} → {c.b}
        </span>
      ))}
      {diff.pending.map((c) => (
        <span key={`p-${c.label}`} className="compare-item">
          Pending {c.label} {c.a} → {c.b}
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
          + {n}
        </button>
      ))}
      {diff.nodesRemoved.map((n) => (
        <span key={`-${n}`} className="compare-item">
          − {n}
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
          {n.name}:{" "}
          {[n.enis, n.pods]
            .filter((c) => c !== null)
            .map((c) => `${c!.label} ${c!.a} → ${c!.b}`)
            .join(", ")}
        </button>
      ))}
      {diff.nodes.length > 50 && (
        <span className="compare-item">and {diff.nodes.length - 50} more nodes</span>
      )}
    </div>
  );
}
