// Where a lab step stands on the live topology: waiting for the user's command, settling, reached (the
// panel then moves on by itself), or settled in another state than the one the step expects.
import type { Report } from "@eni-view/model";
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
 * that still shows it has not been touched, so it is waiting rather than wrong. */
export function judgeStep(step: LabStep, topo: Report, entry: string | null): StepState {
  if (!step.observe) return { kind: "manual" };
  const o = step.observe(topo);
  if (o.reached && o.settled) return { kind: "reached", moved: entry !== null && o.fingerprint !== entry };
  if (!o.settled) return { kind: "settling" };
  if (entry === null || o.fingerprint === entry) return { kind: "waiting" };
  return { kind: "other", why: o.other ?? { key: "common.otherState" } };
}

/** The fingerprint a step records when it opens (null for a step that only reads). */
export function entryFingerprint(step: LabStep, topo: Report): string | null {
  return step.observe ? step.observe(topo).fingerprint : null;
}
