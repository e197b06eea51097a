// Pods waiting for a node or an IP, with why; the scheduler's own message shows on hover or focus.
import type { PendingPodReport } from "@eni-view/model";
import { memo } from "react";
import type { SearchResult } from "../layout/search.ts";

const SHOWN_MAX = 200;

const reasonText: Record<PendingPodReport["reason"], string> = {
  "too-many-pods": "too many pods",
  "insufficient-resources": "no CPU/memory",
  "ip-exhausted": "no IP",
  starting: "starting (waiting for IP)",
  unschedulable: "unschedulable",
  other: "other",
};

// Memoised: a live update that leaves the pending list alone (the usual case) does not rebuild its 200 rows.
export const PendingTray = memo(function PendingTray({
  pending,
  pulsing,
  search,
}: {
  pending: PendingPodReport[];
  pulsing: Set<string>;
  search: SearchResult | null;
}) {
  const byReason = new Map<string, number>();
  for (const p of pending) byReason.set(p.reason, (byReason.get(p.reason) ?? 0) + 1);
  const shown = pending.slice(0, SHOWN_MAX);
  return (
    <aside className="tray" data-testid="pending-tray" aria-label="Pending pods">
      <h2>
        Pending <span data-testid="pending-count">{pending.length}</span>
      </h2>
      {pending.length === 0 ? (
        <p className="tray-empty">No pod is waiting.</p>
      ) : (
        <>
          <p className="tray-reasons">
            {[...byReason].map(([r, n]) => (
              <span key={r} className={`chip chip-${r}`}>
                {reasonText[r as PendingPodReport["reason"]] ?? r} {n}
              </span>
            ))}
          </p>
          <ul>
            {shown.map((p) => {
              const key = `${p.namespace}/${p.name}`;
              const dim = search !== null && !search.pending.has(key);
              return (
                <li
                  key={key}
                  className={`pending-item${pulsing.has(key) ? " pulse" : ""}${dim ? " dim" : ""}`}
                  data-testid="pending-item"
                  data-reason={p.reason}
                  title={p.message}
                >
                  <button type="button" className="pending-focus" aria-label={`${key}: ${p.message}`} />
                  <span className={`chip chip-${p.reason}`}>{reasonText[p.reason] ?? p.reason}</span>
                  <span className="pending-name">{key}</span>
                  {p.node && <span className="pending-node">on {p.node}</span>}
                  <span className="pending-message" data-testid="pending-message">
                    {p.status !== "Pending" ? `${p.status}: ` : ""}
                    {p.message || "no message from the scheduler yet"}
                  </span>
                </li>
              );
            })}
          </ul>
          {pending.length > SHOWN_MAX && <p className="tray-more">and {pending.length - SHOWN_MAX} more</p>}
        </>
      )}
    </aside>
  );
});
