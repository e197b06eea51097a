// What a plan does to the page: which cluster the map draws (the planned one, or the one it starts from
// with the nodes it replaces marked), the marks each box wears, and the Pending pods it adds.
import type { Topology } from "@eni-view/model";
import { useMemo } from "react";
import type { FrozenTopology } from "../api/sharing.ts";
import type { NodePlanMarks } from "../layout/planDiff.ts";
import type { ViewState } from "../state/viewState.ts";
import { usePlan } from "./usePlan.ts";

const none: ReadonlySet<string> = new Set();

export function usePlanView(
  state: Pick<ViewState, "plan" | "planView">,
  base: Topology | undefined,
  frozen: { snapshot: FrozenTopology | undefined } | null,
  enabled: boolean,
) {
  const plan = usePlan(state.plan, base, frozen, enabled);
  const ready = plan.state === "ready" ? plan : null;
  const after = ready !== null && state.planView === "after";
  const marks = useMemo((): ((node: string) => NodePlanMarks | undefined) | null => {
    if (!ready) return null;
    const byNode = ready.diff.byNode;
    if (after) return (node) => byNode.get(node);
    // Before: the cluster as it is, with only what the plan replaces marked on it.
    return (node) =>
      byNode.get(node)?.replaced
        ? { newEnis: none, newPods: none, movedPods: none, added: false, replaced: true }
        : undefined;
  }, [ready, after]);
  return {
    plan,
    ready,
    /** The map draws the planned cluster. */
    after,
    topology: after ? ready.plan.planned : base,
    marks,
    /** For the scene's styleKey: the boxes are repainted when the plan or its side changes. */
    styleKey: ready ? `plan:${ready.plan.reply.plannedAt}|${ready.plan.reply.query}|${state.planView}` : "",
    newPending: after ? ready.diff.newPending : null,
  };
}
