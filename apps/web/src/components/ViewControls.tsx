// The problem controls: heat-map colouring, box order, "problems only", and the problems list toggle.
import { type NodeSort, nodeSorts } from "../layout/clusterLayout.ts";
import { type HeatMode, heatModes, heatTitles } from "../layout/heat.ts";
import type { ViewState } from "../state/viewState.ts";
import { LabelledSelect } from "./LabelledSelect.tsx";

const heatLabels: Record<HeatMode, string> = {
  off: "off",
  pods: "pods/max",
  ips: "IPs used",
  warm: "warm share",
  waiting: "waiting for IP",
};

const sortLabels: Record<NodeSort, string> = {
  name: "name",
  utilisation: "fullest",
  age: "oldest",
  pending: "waiting first",
};

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
  return (
    <>
      <LabelledSelect
        label="heat"
        value={state.heat}
        values={heatModes}
        labels={heatLabels}
        titles={heatTitles}
        onChange={(heat) => update({ heat })}
        testId="heat"
      />
      <LabelledSelect
        label="sort"
        value={state.sort}
        values={nodeSorts}
        labels={sortLabels}
        onChange={(sort) => update({ sort })}
        testId="sort"
      />
      <label title="Draw only the nodes with a problem">
        <input
          type="checkbox"
          checked={state.problemsOnly}
          onChange={(e) => update({ problemsOnly: e.target.checked })}
          data-testid="problems-only"
        />
        problems only
      </label>
      <button
        type="button"
        aria-pressed={state.problemsList}
        onClick={() => update({ problemsList: !state.problemsList })}
        data-testid="problems-toggle"
        className={problemCount ? "has-problems" : undefined}
      >
        Problems{problemCount !== null ? ` ${problemCount}` : ""}
      </button>
    </>
  );
}
