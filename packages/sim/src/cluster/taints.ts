// Taints and tolerations as the scheduler's TaintToleration filter and the DaemonSet controller read them:
// a NoSchedule or NoExecute taint keeps a pod off the node unless one of its tolerations matches it.
// node.kubernetes.io/unschedulable is left to the NodeUnschedulable filter (cordon), which reports it apart.

// biome-ignore lint/suspicious/noExplicitAny: wire objects are open-ended JSON
type Json = any;

interface Taint {
  key: string;
  value?: string;
  effect: string;
}

function tolerates(t: Json, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.operator === "Exists") return !t.key || t.key === taint.key;
  return t.key === taint.key && (t.value ?? "") === (taint.value ?? "");
}

/** The first taint of the node that keeps a pod with these tolerations off it, or null. */
export function untoleratedTaint(node: Json, tolerations: readonly Json[] | undefined): Taint | null {
  for (const taint of (node?.spec?.taints ?? []) as Taint[]) {
    if (taint.effect !== "NoSchedule" && taint.effect !== "NoExecute") continue;
    if (taint.key === "node.kubernetes.io/unschedulable") continue;
    if (!(tolerations ?? []).some((t) => tolerates(t, taint))) return taint;
  }
  return null;
}
