import { parseArgs } from "node:util";
import { t } from "../i18n/cliText.ts";

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
    throw new UsageError(parseArgsMessage(err as Error & { code?: string }));
  }
}

/** node:util's parseArgs errors in the CLI's language, from their code and the name they quote. */
function parseArgsMessage(err: Error & { code?: string }): string {
  const quoted = /'([^']+)'/.exec(err.message)?.[1] ?? "";
  const option = quoted.split(" ")[0] ?? quoted;
  switch (err.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return t("args.unknownOption", { option });
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return t("args.unexpected", { arg: quoted });
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      if (err.message.includes("argument missing")) return t("args.needsValue", { option });
      if (err.message.includes("does not take an argument")) return t("args.noValue", { option });
      return err.message;
    default:
      return err.message;
  }
}
