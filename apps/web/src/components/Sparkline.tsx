// A small multi-series line chart of the history: how a scale test unfolded.
import type { HistoryPoint } from "@eni-view/model";

const series = [
  { key: "podsRunning", label: "running", cls: "s-running" },
  { key: "podsPending", label: "pending", cls: "s-pending" },
  { key: "ipsAssigned", label: "IPs assigned", cls: "s-assigned" },
  { key: "ipsWarm", label: "warm", cls: "s-warm" },
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
  if (points.length < 2)
    return <div className="sparkline-empty">history builds up as the server refreshes</div>;
  const max = Math.max(1, ...points.flatMap((p) => series.map((s) => p[s.key])));
  const x = (i: number) => (i / (points.length - 1)) * (width - 2) + 1;
  const y = (v: number) => height - 2 - (v / max) * (height - 4);
  const last = points[points.length - 1]!;
  const title = `${new Date(points[0]!.t).toLocaleTimeString()} – ${new Date(last.t).toLocaleTimeString()}: ${series
    .map((s) => `${s.label} ${last[s.key]}`)
    .join(", ")}`;
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
