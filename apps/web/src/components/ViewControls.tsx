// The problem controls: heat-map colouring, box order, "problems only", and the problems list toggle.
import { type NodeSort, nodeSorts } from "../layout/clusterLayout.ts";
import { type HeatMode, heatModes, heatTitles } from "../layout/heat.ts";
import type { ViewState } from "../state/viewState.ts";

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
      <label>
        heat
        <select
          value={state.heat}
          onChange={(e) => update({ heat: e.target.value as HeatMode })}
          data-testid="heat"
        >
          {heatModes.map((h) => (
            <option key={h} value={h} title={heatTitles[h]}>
              {heatLabels[h]}
            </option>
          ))}
        </select>
      </label>
      <label>
        sort
        <select
          value={state.sort}
          onChange={(e) => update({ sort: e.target.value as NodeSort })}
          data-testid="sort"
        >
          {nodeSorts.map((s) => (
            <option key={s} value={s}>
              {sortLabels[s]}
            </option>
          ))}
        </select>
      </label>
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
