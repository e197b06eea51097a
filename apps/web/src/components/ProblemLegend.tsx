// The legend's part for problems: each mark on the map with its meaning, and the heat ramp when it is on.
import { heatRamp } from "../draw/heatColors.ts";
import type { Theme } from "../draw/theme.ts";
import { type HeatMode, heatTitles } from "../layout/heat.ts";
import { type ProblemKind, problemKinds, problemTitles } from "../layout/problems.ts";
import { ProblemSwatch } from "./ProblemsPanel.tsx";

const short: Record<ProblemKind, string> = {
  "not-ready": "NotReady",
  "waiting-for-ip": "waiting for IP",
  "subnet-low": "subnet low",
  overcommitted: "overcommitted",
  full: "full",
  cordoned: "cordoned",
  "eni-limit": "ENI limit",
};

export function ProblemLegend({ theme, heat }: { theme: Theme; heat: HeatMode }) {
  return (
    <>
      <span className="legend-sep">problems:</span>
      {problemKinds.map((k) => (
        <span key={k} title={problemTitles[k]} data-testid="legend-problem">
          <ProblemSwatch kind={k} theme={theme} /> {short[k]}
        </span>
      ))}
      {heat !== "off" && (
        <span className="heat-key" data-testid="heat-key" title={heatTitles[heat]}>
          <span className="legend-sep">{heatTitles[heat]}:</span> 0
          <svg width={heatRamp.length * 8} height="10" aria-hidden="true">
            {heatRamp.map((c, i) => (
              <rect key={c} x={i * 8} y="0" width="8" height="10" fill={c} />
            ))}
          </svg>
          {heat === "waiting" ? "many" : "100 %"}
          <svg width="10" height="10" aria-hidden="true">
            <rect x="0" y="0" width="10" height="10" fill={theme.placeholderCell} />
          </svg>
          unknown
        </span>
      )}
    </>
  );
}
