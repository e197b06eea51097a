// The banner of a page opened at a snapshot permalink: when the state on screen was frozen (so nobody
// mistakes it for the live cluster), or, for an unknown or expired id, a clear message instead of a blank.
import { type FrozenTopology, isNotFound, shareSearch } from "../api/sharing.ts";
import "./sharing.css";

interface Props {
  topology: FrozenTopology | undefined;
  error: Error | null;
}

export function FrozenBanner({ topology, error }: Props) {
  const live = `${window.location.pathname}${shareSearch(window.location.search, null)}${window.location.hash}`;
  const liveLink = (
    <a href={live} data-testid="open-live">
      Open the live view
    </a>
  );
  if (error) {
    return (
      <div className="banner banner-error frozen-missing" role="alert" data-testid="snapshot-missing">
        {isNotFound(error)
          ? "This snapshot was not found or has expired. Snapshots are kept for a limited time, and the link must be complete."
          : `This snapshot could not be loaded: ${error.message}`}{" "}
        {liveLink}
      </div>
    );
  }
  if (!topology) return null;
  const frozen = topology.frozen;
  const at = frozen ? new Date(frozen.frozenAt).toLocaleString() : topology.generatedAt;
  const source = frozen ? ` from the ${frozen.from} source` : "";
  const until = frozen ? ` The link works until ${new Date(frozen.expiresAt).toLocaleDateString()}.` : "";
  return (
    <div className="banner frozen-banner" role="status" data-testid="frozen-banner">
      <strong>Frozen at {at}</strong>
      {`: a read-only snapshot of ${topology.cluster.name}${source}, not live.${until} `}
      {liveLink}
    </div>
  );
}
