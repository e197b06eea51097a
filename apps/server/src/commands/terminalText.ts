// Text from the cluster (node names, event messages, subnet tags, CLUSTER_NAME) is written by whoever
// can create a pod or tag a subnet. Printed raw, ESC sequences clear the screen, retitle the window or
// plant OSC 8 hyperlinks, CR and newlines forge lines, and bidi overrides show text in another order
// than it is. Every text the CLI prints from cluster data goes through here; JSON and YAML do not
// (they must stay exact, and their own escaping already keeps the controls inert).

/** C0 (U+0000–U+001F), DEL, C1 (U+0080–U+009F: a lone U+009B is CSI on some terminals), the bidi
 * embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the invisible bidi marks. */
function unsafe(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x61c ||
    code === 0x200e ||
    code === 0x200f ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

const NAMED: Record<number, string> = { 10: "\\n", 13: "\\r", 9: "\\t" };

function visible(code: number): string {
  const named = NAMED[code];
  if (named !== undefined) return named;
  // \x1b reads as what it is; \u202e names the bidi character without applying it.
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16)}`;
}

function escapeControls(text: string, keepNewlines: boolean): string {
  let out = "";
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!unsafe(code) || (keepNewlines && code === 0x0a)) continue;
    out += text.slice(from, i) + visible(code);
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** One value from cluster data, made inert for a terminal: every control and bidi character, the
 * newline included, is shown as a visible escape (`\x1b`, `\r`, `\u202e`). Plain text is unchanged. */
export function terminalSafe(text: string): string {
  return escapeControls(text, false);
}

/** A whole block of output: the same escaping, except that newlines stay line breaks. For text whose
 * line structure is the CLI's own and whose cluster values were already passed through terminalSafe
 * (this is then a no-op on them: the escapes are plain characters), or as a last guard on output. */
export function terminalSafeLines(text: string): string {
  return escapeControls(text, true);
}

/** Writes a block of text to stdout, made safe by terminalSafeLines and ended with one newline. */
export function printText(text: string): void {
  process.stdout.write(`${terminalSafeLines(text)}\n`);
}
