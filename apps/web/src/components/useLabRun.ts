// Runs the open lab on the live topology: judges the current step, and moves to the next one by itself
// when the cluster reaches the state the step expects. A step remembers the state it opened with, so a
// cluster nobody has touched yet reads as "waiting", not as a wrong turn, and a step opened on a cluster
// already in its state (a teacher's link, "Back") stays open until "Next".
import type { Report } from "@eni-view/model";
import { useEffect, useMemo, useRef } from "react";
import { highlightResult } from "../lab/labHighlight.ts";
import { labById } from "../lab/labs.ts";
import type { Lab, LabEnv, LabStep, StepView } from "../lab/labTypes.ts";
import { entryFingerprint, judgeStep, type StepState } from "../lab/stepEngine.ts";
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
): LabRun | null {
  const lab = open ? labById(open.id) : undefined;
  const step = lab && open ? Math.min(Math.max(1, open.step), lab.steps.length) : 1;
  const current = lab?.steps[step - 1];
  const entry = useRef<{ key: string; fingerprint: string | null } | null>(null);
  const key = `${lab?.id}/${step}`;
  if (current && topology && entry.current?.key !== key)
    entry.current = { key, fingerprint: entryFingerprint(current, topology) };

  const run = useMemo((): LabRun | null => {
    if (!lab || !current || !topology) return null;
    const view = current.view(topology, env);
    const state = judgeStep(current, topology, entry.current?.fingerprint ?? null);
    return {
      lab,
      step,
      current,
      view,
      state,
      done: step === lab.steps.length && state.kind === "reached",
      lit: highlightResult(view.highlight, topology),
    };
    // entry.current changes only together with `key`.
  }, [lab, current, topology, env, step]);

  const reached = run?.state.kind === "reached" && run.state.moved;
  useEffect(() => {
    if (reached && live && lab && step < lab.steps.length) goTo(step + 1);
  }, [reached, live, lab, step, goTo]);
  return run;
}
