// The one line a loading server shows for its progress, from its steps: the same words in the page, in
// /api/topology's 503 and in the log.
import type { LoadingStep } from "./api.ts";

const count = (n: number) => n.toLocaleString("en-US");

function describeStep(step: LoadingStep): string {
  if (step.error !== null) return `${step.what} failed: ${step.error} (retrying)`;
  if (step.total !== null && step.total >= step.count)
    return `${step.what}: ${count(step.count)} of ${count(step.total)}`;
  if (step.count > 0) return `${step.what}: ${count(step.count)} so far`;
  return step.what;
}

/** "listing pods: 40,000 of 153,000": the incomplete steps that have begun (read something or failed),
 * in order, else the first one still to come; "building the picture" once every read is complete but the
 * first topology is not built yet. */
export function loadingMessage(steps: readonly LoadingStep[]): string {
  if (steps.length === 0) return "starting";
  const open = steps.filter((s) => !s.complete);
  if (open.length === 0) return "building the picture";
  const begun = open.filter((s) => s.count > 0 || s.error !== null);
  return (begun.length > 0 ? begun : open.slice(0, 1)).map(describeStep).join("; ");
}
