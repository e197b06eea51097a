// The summary of a recording for the review, one row per scale step (the server's
// /api/recordings/:id/summary), with a button that copies it as Markdown to paste into an issue.
import type { StepSummary as Step } from "@eni-view/model";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { getJson } from "../api/http.ts";
import { t } from "../i18n/i18n.ts";
import { errorText } from "../i18n/serverText.ts";

const s = (n: number | null) =>
  n === null ? "–" : t("stepSummary.seconds", { n: Number.isInteger(n) ? n : n.toFixed(1) });

function result(st: Step): string {
  if (st.outcome === "all-running") return t("stepSummary.allRunning", { time: s(st.settleSeconds) });
  if (st.outcome === "settled")
    return t("stepSummary.settled", { time: s(st.settleSeconds), count: st.pendingAtEnd });
  return t("stepSummary.changing", { count: st.pendingAtEnd });
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
      setCopied(t("stepSummary.copiedMd"));
    } catch (e) {
      setCopied(t("stepSummary.copyFailed", { error: (e as Error).message }));
    }
  };
  return (
    <section className="summary-panel" data-testid="summary-panel" aria-label={t("stepSummary.label")}>
      <div className="summary-panel-head">
        <strong>{t("stepSummary.title")}</strong>
        <button type="button" onClick={copy} data-testid="summary-copy">
          {t("stepSummary.copy")}
        </button>
        {copied && <span className="timeline-copied">{copied}</span>}
        <button type="button" onClick={onClose} aria-label={t("stepSummary.close")}>
          ×
        </button>
      </div>
      {summary.isLoading && <div className="timeline-empty">{t("stepSummary.reading")}</div>}
      {summary.error && <div className="timeline-error">{errorText(summary.error)}</div>}
      {summary.data && summary.data.steps.length === 0 && (
        <div className="timeline-empty">{t("stepSummary.none")}</div>
      )}
      {summary.data && summary.data.steps.length > 0 && (
        <table className="summary-table">
          <thead>
            <tr>
              <th>{t("stepSummary.col.step")}</th>
              <th>{t("stepSummary.col.result")}</th>
              <th>{t("stepSummary.col.peak")}</th>
              <th>{t("stepSummary.col.enis")}</th>
              <th>{t("stepSummary.col.ip")}</th>
              <th>{t("stepSummary.col.subnet")}</th>
              <th>{t("stepSummary.col.throttled")}</th>
              <th>{t("stepSummary.col.slowest")}</th>
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
                  {s(st.scheduledToIp.p50)} / {s(st.scheduledToIp.p95)} / {s(st.scheduledToIp.max)}{" "}
                  {t("stepSummary.pods", { count: st.scheduledToIp.pods })}
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
