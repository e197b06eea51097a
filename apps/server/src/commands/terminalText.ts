// Text from the cluster (node names, event messages, subnet tags, CLUSTER_NAME) is written by whoever
// can create a pod or tag a subnet. Printed raw, ESC sequences clear the screen, retitle the window or
// plant OSC 8 hyperlinks, CR and newlines forge lines, and bidi overrides show text in another order
// than it is. Every text the CLI prints from cluster data goes through here; JSON and YAML do not
// (they must stay exact, and their own escaping already keeps the controls inert).

// C0 (U+0000–U+001F), DEL, C1 (U+0080–U+009F: a lone U+009B is CSI on some terminals), the bidi
// embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the invisible bidi marks.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// The same without the newline: for whole outputs whose line breaks are the CLI's own.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function visible(ch: string): string {
  const named = NAMED[ch];
  if (named !== undefined) return named;
  const code = ch.charCodeAt(0);
  // \x1b reads as what it is; \u202e names the bidi character without applying it.
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16)}`;
}

/** One value from cluster data, made inert for a terminal: every control and bidi character, the
 * newline included, is shown as a visible escape (`\x1b`, `\r`, `\u202e`). Plain text is unchanged. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** A whole block of output: the same escaping, except that newlines stay line breaks. For text whose
 * line structure is the CLI's own and whose cluster values were already passed through terminalSafe
 * (this is then a no-op on them: the escapes are plain characters), or as a last guard on output. */
export function terminalSafeLines(text: string): string {
  return text.replace(UNSAFE_BUT_NEWLINE, visible);
}

/** Writes a block of text to stdout, made safe by terminalSafeLines and ended with one newline. */
export function printText(text: string): void {
  process.stdout.write(`${terminalSafeLines(text)}\n`);
}
