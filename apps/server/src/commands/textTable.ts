// Plain text for the CLI: tables with columns padded to their widest cell, numbers right-aligned, and
// long lines wrapped. Cells are cluster data, so each is made terminal-safe before it is measured (the
// padding stays true).
import { terminalSafe } from "./terminalText.ts";

export interface Column<T> {
  header: string;
  value: (row: T) => string | number | null;
  /** Right-align (numbers); default: right when the first non-empty value is a number. */
  right?: boolean;
}

export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[], indent = ""): string {
  const cells = rows.map((row) => columns.map((c) => c.value(row)));
  const right = columns.map((c, i) => c.right ?? cells.some((r) => typeof r[i] === "number"));
  const text = cells.map((r) => r.map((v) => (v === null ? "-" : terminalSafe(String(v)))));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...text.map((r) => r[i]!.length)));
  const line = (values: string[]) =>
    indent +
    values
      .map((v, i) => (right[i] ? v.padStart(widths[i]!) : i === values.length - 1 ? v : v.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...text.map(line)].join("\n");
}

const WIDTH = 100;

/** Wraps text at spaces to 100 columns, `first` before the first line and `rest` before the others:
 * scheduler and kubelet messages run to 200 characters. */
export function wrap(text: string, first: string, rest: string): string {
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(" ")) {
    const prefix = lines.length === 0 ? first : rest;
    if (line.length > prefix.length && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = rest + word;
    } else line += line.length > prefix.length ? ` ${word}` : word;
  }
  lines.push(line);
  return lines.join("\n");
}
