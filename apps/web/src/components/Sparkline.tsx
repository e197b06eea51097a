// A small multi-series line chart of the history: how a scale test unfolded.
import type { HistoryPoint } from "@eni-view/model";
import { useTranslation } from "react-i18next";
import { formatTime } from "../i18n/format.ts";

const series = [
  { key: "podsRunning", cls: "s-running" },
  { key: "podsPending", cls: "s-pending" },
  { key: "ipsAssigned", cls: "s-assigned" },
  { key: "ipsWarm", cls: "s-warm" },
] as const;

export function Sparkline({
  points,
  width = 220,
  height = 40,
}: {
  points: HistoryPoint[];
  width?: number;
  height?: number;
}) {
  const { t } = useTranslation();
  if (points.length < 2) return <div className="sparkline-empty">{t("history.empty")}</div>;
  const max = Math.max(1, ...points.flatMap((p) => series.map((s) => p[s.key])));
  const x = (i: number) => (i / (points.length - 1)) * (width - 2) + 1;
  const y = (v: number) => height - 2 - (v / max) * (height - 4);
  const last = points[points.length - 1]!;
  const title = t("history.title", {
    from: formatTime(points[0]!.t),
    to: formatTime(last.t),
    values: series.map((s) => `${t(`history.series.${s.key}`)} ${last[s.key]}`).join(", "),
  });
  return (
    <svg
      className="sparkline"
      width={width}
      height={height}
      role="img"
      aria-label={title}
      data-testid="sparkline"
    >
      <title>{title}</title>
      {series.map((s) => (
        <path
          key={s.key}
          className={s.cls}
          d={points.map((p, i) => `${i ? "L" : "M"}${x(i).toFixed(1)},${y(p[s.key]).toFixed(1)}`).join("")}
        />
      ))}
    </svg>
  );
}
