// The summary of a recording for the review, one row per scale step (the server's
// /api/recordings/:id/summary), with a button that copies it as Markdown to paste into an issue.
import type { StepSummary as Step } from "@eni-view/model";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { getJson } from "../api/http.ts";

const s = (n: number | null) => (n === null ? "–" : `${Number.isInteger(n) ? n : n.toFixed(1)} s`);

function result(st: Step): string {
  if (st.outcome === "all-running") return `all Running after ${s(st.settleSeconds)}`;
  if (st.outcome === "settled") return `settled after ${s(st.settleSeconds)} with ${st.pendingAtEnd} Pending`;
  return `still changing at the end (${st.pendingAtEnd} Pending)`;
}

export function SummaryPanel({
  recording,
  onSeek,
  onClose,
}: {
  recording: string;
  onSeek: (t: number) => void;
  onClose: () => void;
}) {
  const summary = useQuery({
    queryKey: ["summary", recording],
    queryFn: ({ signal }) =>
      getJson<{ steps: Step[] }>(`/api/recordings/${encodeURIComponent(recording)}/summary`, signal),
  });
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async () => {
    try {
      const res = await fetch(`/api/recordings/${encodeURIComponent(recording)}/summary?format=md`);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      await navigator.clipboard.writeText(await res.text());
      setCopied("copied as Markdown");
    } catch (e) {
      setCopied(`could not copy: ${(e as Error).message}`);
    }
  };
  return (
    <section className="summary-panel" data-testid="summary-panel" aria-label="Recording summary">
      <div className="summary-panel-head">
        <strong>Scale steps in this recording</strong>
        <button type="button" onClick={copy} data-testid="summary-copy">
          Copy as Markdown
        </button>
        {copied && <span className="timeline-copied">{copied}</span>}
        <button type="button" onClick={onClose} aria-label="Close the summary">
          ×
        </button>
      </div>
      {summary.isLoading && <div className="timeline-empty">Reading the recording…</div>}
      {summary.error && <div className="timeline-error">{summary.error.message}</div>}
      {summary.data && summary.data.steps.length === 0 && (
        <div className="timeline-empty">
          No scale step (a Deployment's replicas change) in this recording.
        </div>
      )}
      {summary.data && summary.data.steps.length > 0 && (
        <table className="summary-table">
          <thead>
            <tr>
              <th>step</th>
              <th>result</th>
              <th>peak Pending</th>
              <th>ENIs +/−</th>
              <th>scheduled → IP p50 / p95 / max</th>
              <th>subnet used</th>
              <th>EC2 throttled</th>
              <th>slowest node</th>
            </tr>
          </thead>
          <tbody>
            {summary.data.steps.map((st) => (
              <tr key={`${st.owner}-${st.at}`} data-testid="summary-step">
                <td>
                  <button type="button" className="summary-seek" onClick={() => onSeek(Date.parse(st.at))}>
                    {st.owner}: {st.from} → {st.to}
                  </button>
                </td>
                <td>{result(st)}</td>
                <td>
                  {st.peakPending.total}
                  {Object.keys(st.peakPending.byReason).length > 0 &&
                    ` (${Object.entries(st.peakPending.byReason)
                      .map(([k, v]) => `${k} ${v}`)
                      .join(", ")})`}
                </td>
                <td>
                  +{st.enisAttached} / −{st.enisFreed}
                </td>
                <td>
                  {s(st.scheduledToIp.p50)} / {s(st.scheduledToIp.p95)} / {s(st.scheduledToIp.max)} (
                  {st.scheduledToIp.pods} pods)
                </td>
                <td>{st.subnetConsumed}</td>
                <td>{st.ec2Throttled}</td>
                <td>
                  {st.slowestNode
                    ? `${st.slowestNode.node} (${s(st.slowestNode.seconds)}): ${st.slowestNode.why}`
                    : "–"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
