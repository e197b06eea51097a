// The plan the URL names: asked of the server on the live view, or read from a frozen plan's snapshot;
// with what it changes against the view it was planned over (layout/planDiff.ts).
import type { Topology } from "@eni-view/model";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { ApiError } from "../api/http.ts";
import { type Plan, planQuery, readPlan } from "../api/plan.ts";
import type { FrozenTopology } from "../api/sharing.ts";
import { t } from "../i18n/i18n.ts";
import { errorText } from "../i18n/serverText.ts";
import { type PlanDiff, planDiff } from "../layout/planDiff.ts";

export type PlanState =
  | { state: "none" }
  | { state: "loading" }
  | { state: "error"; message: string }
  | { state: "ready"; plan: Plan; diff: PlanDiff; frozen: boolean };

/** `frozen` is the snapshot the page was opened at (undefined on the live view or while it loads). */
export function usePlan(
  query: string | null,
  base: Topology | undefined,
  frozen: { snapshot: FrozenTopology | undefined } | null,
  enabled: boolean,
): PlanState & { refetch: () => void; fetching: boolean } {
  const client = useQueryClient();
  const live = useQuery({
    ...planQuery(query ?? "", client),
    enabled: enabled && query !== null && frozen === null,
  });
  const kept = frozen?.snapshot?.plan;
  const frozenPlan = useMemo((): Plan | Error | null => {
    if (kept === undefined) return null;
    try {
      return readPlan(kept, "the frozen plan");
    } catch (e) {
      return e as Error;
    }
  }, [kept]);
  const plan = frozen ? frozenPlan : (live.data ?? null);
  const diff = useMemo(
    () =>
      plan && !(plan instanceof Error) && base
        ? planDiff(base, plan.planned, plan.reply.nodesToReplace)
        : null,
    [plan, base],
  );
  const refetch = () => void live.refetch();
  const common = { refetch, fetching: live.isFetching };
  if (query === null || !enabled) return { state: "none", ...common };
  if (plan instanceof Error) return { state: "error", message: plan.message, ...common };
  if (frozen?.snapshot && kept === undefined)
    return { state: "error", message: t("plan:frozenWithout"), ...common };
  if (!frozen && live.error) return { state: "error", message: planErrorText(live.error), ...common };
  if (plan && diff) return { state: "ready", plan, diff, frozen: frozen !== null, ...common };
  return { state: "loading", ...common };
}

/** The server's refusal of a plan: by its catalogue key when it sent one (busy, not ready, too long), else
 * its own words without the path in front (the planner's sentence, which the panel says in its language). */
function planErrorText(e: Error): string {
  if (e instanceof ApiError && e.said === null && e.message.startsWith(`${e.path}: `))
    return e.message.slice(e.path.length + 2);
  return errorText(e);
}
