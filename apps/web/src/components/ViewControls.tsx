// The problem controls: heat-map colouring, box order, "problems only", and the problems list toggle.
import { useTranslation } from "react-i18next";
import { nodeSorts } from "../layout/clusterLayout.ts";
import { heatModes } from "../layout/heat.ts";
import type { ViewState } from "../state/viewState.ts";
import { LabChooser } from "./LabChooser.tsx";
import { LabelledSelect, labelsFor } from "./LabelledSelect.tsx";

export function ViewControls({
  state,
  update,
  problemCount,
}: {
  state: ViewState;
  update: (patch: Partial<ViewState>) => void;
  /** Nodes with at least one problem; null before the topology is in. */
  problemCount: number | null;
}) {
  const { t } = useTranslation();
  return (
    <>
      <LabelledSelect
        label={t("controls.heat")}
        value={state.heat}
        values={heatModes}
        labels={labelsFor(heatModes, (h) => t(`controls.heatBy.${h}`))}
        titles={labelsFor(heatModes, (h) => t(`controls.heatTitles.${h}`))}
        onChange={(heat) => update({ heat })}
        testId="heat"
      />
      <LabelledSelect
        label={t("controls.sort")}
        value={state.sort}
        values={nodeSorts}
        labels={labelsFor(nodeSorts, (s) => t(`controls.sortBy.${s}`))}
        onChange={(sort) => update({ sort })}
        testId="sort"
      />
      <label title={t("controls.problemsOnlyTitle")}>
        <input
          type="checkbox"
          checked={state.problemsOnly}
          onChange={(e) => update({ problemsOnly: e.target.checked })}
          data-testid="problems-only"
        />
        {t("controls.problemsOnly")}
      </label>
      <button
        type="button"
        aria-pressed={state.problemsList}
        onClick={() => update({ problemsList: !state.problemsList })}
        data-testid="problems-toggle"
        className={problemCount ? "has-problems" : undefined}
      >
        {problemCount !== null
          ? t("controls.problemsCount", { count: problemCount })
          : t("controls.problems")}
      </button>
      <LabChooser current={state.lab?.id ?? null} onPick={(id) => update({ lab: { id, step: 1 } })} />
    </>
  );
}
