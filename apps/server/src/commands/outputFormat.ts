// `-o json|yaml|wide|name`, as kubectl spells it, for every command that prints data. `--json` stays as
// an alias of `-o json`. Text formats go through the terminal escaper; JSON and YAML are exact.
import { dump } from "js-yaml";
import { t } from "../i18n/cliText.ts";
import { UsageError } from "./command.ts";
import { printText, terminalSafe } from "./terminalText.ts";

export type OutputFormat = "text" | "wide" | "json" | "yaml" | "name";
const FORMATS = ["json", "yaml", "wide", "name"] as const;

/** Spread into a command's parseCommandArgs options. */
export const outputOptionSpec = {
  output: { type: "string", short: "o" },
  json: { type: "boolean" },
} as const;

/** The lines for a command's --help, naming what each format prints for it. */
export function outputOptionHelp(what: Partial<Record<Exclude<OutputFormat, "text">, string>>): string {
  const formats = FORMATS.filter((f) => what[f] !== undefined);
  const lines = [t("output.option", { formats: formats.join("|") })];
  for (const f of formats) lines.push(`      ${f.padEnd(16)} ${what[f]}`);
  lines.push(t("output.json"));
  return lines.join("\n");
}

/** The format the options ask for; a format the command does not print is a usage error that lists
 * the ones it does. */
export function outputFormat(
  values: { output?: string | undefined; json?: boolean | undefined },
  allowed: readonly OutputFormat[] = ["text", ...FORMATS],
): OutputFormat {
  const { output, json } = values;
  if (output === undefined) return json ? "json" : "text";
  const format = output.trim().toLowerCase();
  if (!(allowed as readonly string[]).includes(format) || format === "text") {
    const choices = allowed.filter((f) => f !== "text").join(", ");
    throw new UsageError(t("args.outputChoice", { choices, value: output }), "output-format");
  }
  if (json && format !== "json") throw new UsageError(t("args.twoFormats", { format }));
  return format as OutputFormat;
}

/** JSON (two-space indent, as --json always printed) or YAML of the same value. */
export function structuredText(format: "json" | "yaml", data: unknown): string {
  if (format === "json") return JSON.stringify(data, null, 2);
  // No anchors/aliases (a report repeats shapes, not objects) and no folding: one value, one line.
  return dump(data, { noRefs: true, lineWidth: -1 }).trimEnd();
}

/** Prints data in a structured format when one was asked for and returns true; false for the text
 * formats (text, wide, name), which the command prints itself. */
export function printStructured(format: OutputFormat, data: () => unknown): boolean {
  if (format !== "json" && format !== "yaml") return false;
  process.stdout.write(`${structuredText(format, data())}\n`);
  return true;
}

/** `-o name`: one `kind/name` per line, as kubectl prints it. */
export function printNames(kind: string, names: readonly string[]): void {
  if (names.length > 0) printText(names.map((n) => `${kind}/${terminalSafe(n)}`).join("\n"));
}
