// The legend's part for problems: each mark on the map with its meaning, and the heat ramp when it is on.

import { useTranslation } from "react-i18next";
import type { Theme } from "../draw/theme.ts";
import type { HeatMode } from "../layout/heat.ts";
import { problemKinds } from "../layout/problems.ts";
import { ProblemSwatch } from "./ProblemsPanel.tsx";

export function ProblemLegend({ theme, heat }: { theme: Theme; heat: HeatMode }) {
  const { t } = useTranslation();
  return (
    <>
      <span className="legend-sep">{t("legend.problems")}</span>
      {problemKinds.map((k) => (
        <span key={k} title={t(`problems.title.${k}`)} data-testid="legend-problem">
          <ProblemSwatch kind={k} theme={theme} /> {t(`problems.short.${k}`)}
        </span>
      ))}
      {heat !== "off" && (
        <span className="heat-key" data-testid="heat-key" title={t(`controls.heatTitles.${heat}`)}>
          <span className="legend-sep">{t("legend.mode", { mode: t(`controls.heatTitles.${heat}`) })}</span> 0
          <svg width={theme.heat.length * 8} height="10" aria-hidden="true">
            {theme.heat.map((c, i) => (
              <rect key={c} x={i * 8} y="0" width="8" height="10" fill={c} />
            ))}
          </svg>
          {heat === "waiting" ? t("legend.heatMany") : t("legend.heatHigh")}
          <svg width="10" height="10" aria-hidden="true">
            <rect x="0" y="0" width="10" height="10" fill={theme.placeholderCell} />
          </svg>
          {t("legend.unknown")}
        </span>
      )}
    </>
  );
}
