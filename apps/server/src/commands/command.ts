import { parseArgs } from "node:util";

/** One `eni-view` subcommand. `run` returns the process exit code; usage errors throw UsageError. */
export interface Command {
  name: string;
  summary: string;
  /** Full --help text: synopsis, options, examples. */
  help: string;
  run(argv: string[]): Promise<number>;
}

/** Bad input from the user (unknown flag, unreadable file ...): printed without a stack trace, exit 2. */
export class UsageError extends Error {
  readonly code: string;
  constructor(message: string, code = "usage") {
    super(message);
    this.name = "UsageError";
    this.code = code;
  }
}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>["options"];

/** node:util parseArgs with errors turned into UsageError and --help/--debug always accepted. */
export function parseCommandArgs<O extends Options>(argv: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({
      args: argv,
      options: { help: { type: "boolean", short: "h" }, debug: { type: "boolean" }, ...options },
      allowPositionals,
      strict: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
