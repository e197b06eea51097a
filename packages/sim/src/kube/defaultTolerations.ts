// The DefaultTolerationSeconds admission plugin: every pod tolerates the not-ready and unreachable NoExecute
// taints for 300 s unless it already has a toleration for them (same key or an empty key, effect NoExecute
// or empty). It adds to the pod's own tolerations; it never replaces them.

interface TolerationJson {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

const NOT_READY = Object.freeze({
  key: "node.kubernetes.io/not-ready",
  operator: "Exists",
  effect: "NoExecute",
  tolerationSeconds: 300,
});
const UNREACHABLE = Object.freeze({
  key: "node.kubernetes.io/unreachable",
  operator: "Exists",
  effect: "NoExecute",
  tolerationSeconds: 300,
});
// Shared by every pod without tolerations of its own (objects in the store are never modified in place).
const BOTH: readonly TolerationJson[] = Object.freeze([NOT_READY, UNREACHABLE]);

function covers(tolerations: readonly TolerationJson[], key: string): boolean {
  return tolerations.some((t) => (!t.key || t.key === key) && (!t.effect || t.effect === "NoExecute"));
}

export function withDefaultTolerations(tolerations: unknown): TolerationJson[] {
  if (!Array.isArray(tolerations) || tolerations.length === 0) return BOTH as TolerationJson[];
  const own = tolerations as TolerationJson[];
  const out = [...own];
  if (!covers(own, NOT_READY.key)) out.push(NOT_READY);
  if (!covers(own, UNREACHABLE.key)) out.push(UNREACHABLE);
  return out;
}
