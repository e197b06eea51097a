// Where a lab step stands on the live topology: waiting for the user's command, settling, reached (the
// panel then moves on by itself), or settled in another state than the one the step expects.
import type { Report, Topology } from "@eni-view/model";
import type { LabStep, Msg } from "./labTypes.ts";

export type StepState =
  /** A step that only reads: the user moves on by hand. */
  | { kind: "manual" }
  /** Nothing has changed since the step opened: the command is still to be typed. */
  | { kind: "waiting" }
  /** Something is on its way (pods starting, ENIs attaching, nodes rolling). */
  | { kind: "settling" }
  /** In the state the step expects; `moved` when the cluster got there while the step was open (the panel
   * then moves on by itself; a step opened on a cluster already there waits for "Next"). */
  | { kind: "reached"; moved: boolean }
  | { kind: "other"; why: Msg };

/** Judges a step on a topology. `entry` is the fingerprint the step saw when it opened: a settled cluster
 * that still shows it has not been touched, so it is waiting rather than wrong. `nodesAtEntry`: fewer
 * nodes than the step opened with means nodes are being replaced (kOps terminates before it launches). */
export function judgeStep(
  step: LabStep,
  topo: Report,
  entry: string | null,
  nodesAtEntry: number | null = null,
): StepState {
  if (!step.observe) return { kind: "manual" };
  const o = step.observe(topo);
  // Fewer nodes first: half-way through a kOps roll-over the nodes left can all be new ones that hold every
  // pod, which looks like the end state while a node is still to come.
  if (!o.settled || (nodesAtEntry !== null && topo.nodes.length < nodesAtEntry)) return { kind: "settling" };
  if (o.reached) return { kind: "reached", moved: entry !== null && o.fingerprint !== entry };
  if (entry === null || o.fingerprint === entry) return { kind: "waiting" };
  return { kind: "other", why: o.other ?? { key: "common.otherState" } };
}

/** What a step remembers of the cluster it opened on. */
export interface StepEntry {
  /** The lab, step and reset it was taken for. */
  key: string;
  /** null while not known yet: the step then never says "other". */
  fingerprint: string | null;
  /** Nodes when the entry was taken. */
  nodes: number | null;
  /** After a reset: the entry waits for a settled topology read from both APIs after this time (ms), so
   * the cluster from before the reset, or half of it, is never taken for the one the lab starts from. */
  after: number | null;
}

function readSince(topo: Report & { sources?: Topology["sources"] }, after: number): boolean {
  const since = (iso: string | null | undefined) => iso != null && Date.parse(iso) >= after;
  return since(topo.sources?.kubernetes?.lastSuccess) && since(topo.sources?.ec2?.lastSuccess);
}

/** The entry for the step open now: kept while the step stays open, taken afresh when another opens, and
 * after a reset (resetAt) taken from the first settled topology read since. */
export function stepEntry(
  prev: StepEntry | null,
  key: string,
  step: LabStep,
  topo: Report,
  resetAt: number | null,
): StepEntry {
  const o = step.observe?.(topo) ?? null;
  const fingerprint = o?.fingerprint ?? null;
  const nodes = topo.nodes.length;
  if (prev === null || prev.key !== key) {
    return resetAt === null
      ? { key, fingerprint, nodes, after: null }
      : { key, fingerprint: null, nodes: null, after: resetAt };
  }
  // A step that only reads has no expectation to settle; it too waits for a read since the reset, so
  // its lines and numbers are never the old cluster's.
  if (prev.after !== null && (o === null || o.settled) && readSince(topo, prev.after))
    return { key, fingerprint, nodes, after: null };
  return prev;
}
