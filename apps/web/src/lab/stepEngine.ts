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
  /** The lab and step it was taken for. */
  key: string;
  /** null while not known yet: the step then never says "other". */
  fingerprint: string | null;
  /** Nodes when the entry was taken. */
  nodes: number | null;
  /** After a reset: the entry waits for a settled topology read from both APIs after this time (ms), so
   * the cluster from before the reset, or half of it, is never taken for the one the lab starts from. */
  after: number | null;
  /** The reset this entry has seen (ms), or null. */
  reset: number | null;
}

function readSince(topo: Report & { sources?: Topology["sources"] }, after: number): boolean {
  const since = (iso: string | null | undefined) => iso != null && Date.parse(iso) >= after;
  return since(topo.sources?.kubernetes?.lastSuccess) && since(topo.sources?.ec2?.lastSuccess);
}

/** The entry for the step open now: kept while the step stays open, taken afresh when another opens. A
 * reset (resetAt) makes whichever step is open then wait for the first settled topology read since; once
 * that is in, the steps after it open as usual, at once, so a command typed straight away counts. */
export function stepEntry(
  prev: StepEntry | null,
  key: string,
  step: LabStep,
  topo: Report,
  resetAt: number | null,
): StepEntry {
  const o = step.observe?.(topo) ?? null;
  const now = (): StepEntry => ({
    key,
    fingerprint: o?.fingerprint ?? null,
    nodes: topo.nodes.length,
    after: null,
    reset: resetAt,
  });
  if (prev === null || prev.reset !== resetAt)
    return resetAt === null ? now() : { key, fingerprint: null, nodes: null, after: resetAt, reset: resetAt };
  if (prev.after !== null) {
    // A step that only reads has no expectation to settle; it too waits for a read since the reset, so
    // its lines and numbers are never the old cluster's.
    if ((o === null || o.settled) && readSince(topo, prev.after)) return now();
    return prev.key === key ? prev : { ...prev, key };
  }
  return prev.key === key ? prev : now();
}
