// Runs the open lab on the live topology: judges the current step, and moves to the next one by itself
// when the cluster reaches the state the step expects. A step remembers the state it opened with, so a
// cluster nobody has touched yet reads as "waiting", not as a wrong turn, and a step opened on a cluster
// already in its state (a teacher's link, "Back") stays open until "Next".
import type { Report } from "@eni-view/model";
import { useEffect, useMemo, useRef } from "react";
import { stepView } from "../lab/commands.ts";
import { highlightResult } from "../lab/labHighlight.ts";
import { labById } from "../lab/labs.ts";
import type { Lab, LabEnv, LabStep, StepView } from "../lab/labTypes.ts";
import { judgeStep, type StepEntry, type StepState, stepEntry } from "../lab/stepEngine.ts";
import type { SearchResult } from "../layout/search.ts";
import type { ViewState } from "../state/viewState.ts";

export interface LabRun {
  lab: Lab;
  /** From 1, as in the link. */
  step: number;
  current: LabStep;
  view: StepView;
  state: StepState;
  /** The last step has reached its state. */
  done: boolean;
  /** The step's highlight, shaped as a search result for the map and the tray. */
  lit: SearchResult;
}

export function useLabRun(
  open: ViewState["lab"],
  topology: Report | undefined,
  env: LabEnv,
  /** False for a frozen snapshot or a recorded moment: nothing there changes, so nothing advances. */
  live: boolean,
  goTo: (step: number) => void,
  /** When the simulator was last reset from the panel (ms), or null. */
  resetAt: number | null,
): LabRun | null {
  const lab = open ? labById(open.id) : undefined;
  const step = lab && open ? Math.min(Math.max(1, open.step), lab.steps.length) : 1;
  const current = lab?.steps[step - 1];
  const entry = useRef<StepEntry | null>(null);
  const key = `${lab?.id}/${step}`;
  if (current && topology) entry.current = stepEntry(entry.current, key, current, topology, resetAt);
  const fingerprint = entry.current?.fingerprint ?? null;
  const nodesAtEntry = entry.current?.nodes ?? null;
  // After a reset, until the new cluster has been read: the topology at hand is the old one's.
  const reading = entry.current?.after != null;

  const run = useMemo((): LabRun | null => {
    if (!lab || !current || !topology) return null;
    const view = stepView(current, topology, env);
    const state: StepState = reading
      ? { kind: "settling" }
      : judgeStep(current, topology, fingerprint, nodesAtEntry);
    return {
      lab,
      step,
      current,
      view,
      state,
      done: step === lab.steps.length && state.kind === "reached",
      lit: highlightResult(view.highlight, topology),
    };
  }, [lab, current, topology, env, step, fingerprint, nodesAtEntry, reading]);

  const reached = run?.state.kind === "reached" && run.state.moved;
  useEffect(() => {
    if (reached && live && lab && step < lab.steps.length) goTo(step + 1);
  }, [reached, live, lab, step, goTo]);
  return run;
}
