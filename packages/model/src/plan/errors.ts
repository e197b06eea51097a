// Bad input to the planner: what was named and not found, or a value aws-node or kubectl would refuse.
// The CLI prints the message and exits 2; the server answers 400 with the code.

export type PlanInputErrorCode =
  | "unknown-workload"
  | "unknown-pod"
  | "unknown-node-group"
  | "unknown-instance-type"
  | "unknown-setting"
  | "unknown-subnet"
  | "invalid-count"
  | "invalid-setting";

export class PlanInputError extends Error {
  readonly code: PlanInputErrorCode;
  /** What the message names: the workload, node group, setting or value. */
  readonly subject: string;
  constructor(code: PlanInputErrorCode, subject: string, message: string) {
    super(message);
    this.name = "PlanInputError";
    this.code = code;
    this.subject = subject;
  }
}
