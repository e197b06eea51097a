// The one line a loading server shows for its progress, from its steps: the same words in the page, in
// /api/topology's 503 and in the log. The server writes it in English; the page says the same steps in
// its own language (`say` from the "server" catalogue, messages/serverText.ts).
import type { LoadingStep } from "./api.ts";
import { type ServerSay, serverEnglish } from "./messages/serverText.ts";

function describeStep(step: LoadingStep, say: ServerSay): string {
  const what = step.label ? say(step.label.key, step.label.values ?? {}) : step.what;
  if (step.error !== null) return say("loading.failed", { what, error: step.error });
  if (step.total !== null && step.total >= step.count)
    return say("loading.of", { what, count: step.count, total: step.total });
  if (step.count > 0) return say("loading.soFar", { what, count: step.count });
  return what;
}

/** "listing pods: 40,000 of 153,000": the incomplete steps that have begun (read something or failed),
 * in order, else the first one still to come; "building the picture" once every read is complete but the
 * first topology is not built yet. */
export function loadingMessage(steps: readonly LoadingStep[], say: ServerSay = serverEnglish): string {
  if (steps.length === 0) return say("loading.starting", {});
  const open = steps.filter((s) => !s.complete);
  if (open.length === 0) return say("loading.building", {});
  const begun = open.filter((s) => s.count > 0 || s.error !== null);
  return (begun.length > 0 ? begun : open.slice(0, 1)).map((s) => describeStep(s, say)).join("; ");
}

/** A step's `what` and `label`: its English words and the catalogue key the page says them with. */
export function stepLabel(
  key: string,
  values: Record<string, string> = {},
): Pick<LoadingStep, "what" | "label"> {
  return { what: serverEnglish(key, values), label: { key, values } };
}
