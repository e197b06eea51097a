// Taints and tolerations as kube-scheduler reads them: the TaintToleration filter rejects a node whose first
// NoSchedule or NoExecute taint (in the node's order) no toleration matches, and its score counts the
// PreferNoSchedule taints left untolerated. Matching follows core/v1 Toleration.ToleratesTaint: an empty
// effect matches every effect, an empty key (only valid with Exists) every key, "" or Equal compares values.
import type { Taint, TaintEffect, Toleration } from "../types.ts";

export const UNSCHEDULABLE_TAINT: Taint = {
  key: "node.kubernetes.io/unschedulable",
  value: "",
  effect: "NoSchedule",
};
/** The node lifecycle controller's taint on a node whose Ready condition is not True. */
export const NOT_READY_TAINT: Taint = {
  key: "node.kubernetes.io/not-ready",
  value: "",
  effect: "NoSchedule",
};

const EFFECTS: readonly string[] = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect !== "" && t.effect !== taint.effect) return false;
  if (t.key !== "" && t.key !== taint.key) return false;
  if (t.operator === "Exists") return true;
  if (t.operator === "" || t.operator === "Equal") return t.value === taint.value;
  return false;
}

export function tolerated(tolerations: readonly Toleration[] | null, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => tolerates(t, taint));
}

/** The first NoSchedule or NoExecute taint none of the tolerations matches; undefined when all are. */
export function untoleratedTaint(
  taints: readonly Taint[],
  tolerations: readonly Toleration[] | null,
): Taint | undefined {
  return taints.find((taint) => taint.effect !== "PreferNoSchedule" && !tolerated(tolerations, taint));
}

/** TaintToleration's raw score: PreferNoSchedule taints that no toleration with effect "" or
 * PreferNoSchedule matches. Fewer is better. */
export function untoleratedPreferNoSchedule(
  taints: readonly Taint[],
  tolerations: readonly Toleration[] | null,
): number {
  const prefer = (tolerations ?? []).filter((t) => t.effect === "" || t.effect === "PreferNoSchedule");
  let n = 0;
  for (const taint of taints) if (taint.effect === "PreferNoSchedule" && !tolerated(prefer, taint)) n++;
  return n;
}

/** The filter's reason, e.g. "node(s) had untolerated taint {dedicated: gpu}". */
export function taintReason(taint: Taint): string {
  return `node(s) had untolerated taint {${taint.key}: ${taint.value}}`;
}

type Json = Record<string, unknown>;
const text = (v: unknown): string => (typeof v === "string" ? v : "");

/** spec.taints of a Node (as JSON); entries without a key or with an unknown effect are left out, as the
 * API server would not have stored them. */
export function taintsFromSpec(value: unknown): Taint[] {
  if (!Array.isArray(value)) return [];
  const out: Taint[] = [];
  for (const raw of value) {
    const t = (raw ?? {}) as Json;
    const key = text(t.key);
    const effect = text(t.effect);
    if (key === "" || !EFFECTS.includes(effect)) continue;
    out.push({ key, value: text(t.value), effect: effect as TaintEffect });
  }
  return out;
}

/** spec.tolerations of a Pod (as JSON); null when none. */
export function tolerationsFromSpec(value: unknown): Toleration[] | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  return value.map((raw) => {
    const t = (raw ?? {}) as Json;
    return { key: text(t.key), operator: text(t.operator), value: text(t.value), effect: text(t.effect) };
  });
}
