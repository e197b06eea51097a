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

/**
 * Columns a string takes in a terminal: Hangul, CJK and full-width forms take two (the Korean headers and
 * words), everything else one.
 */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const wide =
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6);
    w += wide ? 2 : 1;
  }
  return w;
}

const padEnd = (s: string, width: number) => s + " ".repeat(Math.max(0, width - displayWidth(s)));
const padStart = (s: string, width: number) => " ".repeat(Math.max(0, width - displayWidth(s))) + s;

export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[], indent = ""): string {
  const cells = rows.map((row) => columns.map((c) => c.value(row)));
  const right = columns.map((c, i) => c.right ?? cells.some((r) => typeof r[i] === "number"));
  const text = cells.map((r) => r.map((v) => (v === null ? "-" : terminalSafe(String(v)))));
  const widths = columns.map((c, i) =>
    Math.max(displayWidth(c.header), ...text.map((r) => displayWidth(r[i]!))),
  );
  const line = (values: string[]) =>
    indent +
    values
      .map((v, i) =>
        right[i] ? padStart(v, widths[i]!) : i === values.length - 1 ? v : padEnd(v, widths[i]!),
      )
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
    if (line.length > prefix.length && displayWidth(line) + 1 + displayWidth(word) > WIDTH) {
      lines.push(line);
      line = rest + word;
    } else line += line.length > prefix.length ? ` ${word}` : word;
  }
  lines.push(line);
  return lines.join("\n");
}
