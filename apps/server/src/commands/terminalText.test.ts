import assert from "node:assert/strict";
import { test } from "node:test";
import { terminalSafe, terminalSafeLines } from "./terminalText.ts";
import { formatTable } from "./textTable.ts";

// What hostile cluster data carries: clear screen, window title (OSC 0 ended by BEL), an OSC 8
// hyperlink (ended by ST), a CR that overwrites the line, and a right-to-left override.
const CLEAR = "\x1b[2J\x1b[H";
const TITLE = "\x1b]0;pwned\x07";
const LINK = "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\";
const FORGED = "ok\rNode healthy";
const RLO = "ip-10-0-0-1\u202egnp.exe";

/** Any C0/C1 control, DEL or bidi override/isolate left in the text (checked by code, not by the
 * module's own list). */
function controls(text: string): string[] {
  return [...text].filter((c) => {
    const n = c.codePointAt(0)!;
    return (
      n < 0x20 || (n >= 0x7f && n <= 0x9f) || (n >= 0x202a && n <= 0x202e) || (n >= 0x2066 && n <= 0x2069)
    );
  });
}

test("ESC, OSC 8 hyperlinks, BEL, CR and U+202E come out as visible escapes", () => {
  assert.equal(terminalSafe(CLEAR), "\\x1b[2J\\x1b[H");
  assert.equal(terminalSafe(TITLE), "\\x1b]0;pwned\\x07");
  assert.equal(terminalSafe(LINK), "\\x1b]8;;https://evil.example/\\x1b\\click\\x1b]8;;\\x1b\\");
  assert.equal(terminalSafe(FORGED), "ok\\rNode healthy");
  assert.equal(terminalSafe(RLO), "ip-10-0-0-1\\u202egnp.exe");
  for (const s of [CLEAR, TITLE, LINK, FORGED, RLO]) assert.deepEqual(controls(terminalSafe(s)), []);
});

test("C1 controls (U+009B is CSI on its own), DEL, isolates and newlines in a value are escaped", () => {
  assert.equal(terminalSafe("a\u009b2Jb\u007fc"), "a\\x9b2Jb\\x7fc");
  assert.equal(terminalSafe("\u2066x\u2069"), "\\u2066x\\u2069");
  assert.equal(terminalSafe("line one\nnode/forged\tx"), "line one\\nnode/forged\\tx");
});

test("plain and non-ASCII text is unchanged, and escaping twice changes nothing", () => {
  for (const s of [
    "ip-192-168-1-20.ap-northeast-2.compute.internal",
    "0/3 nodes: 3 Too many pods.",
    "prod-서울 ✓",
  ]) {
    assert.equal(terminalSafe(s), s);
  }
  const once = terminalSafe(LINK + FORGED + RLO);
  assert.equal(terminalSafe(once), once);
});

test("a block keeps its own line breaks but not the controls inside its lines", () => {
  assert.equal(
    terminalSafeLines(`Cluster: ${TITLE}\nNodes: 3\r`),
    "Cluster: \\x1b]0;pwned\\x07\nNodes: 3\\r",
  );
});

test("table cells are escaped before the columns are padded, so the columns stay aligned", () => {
  const table = formatTable(
    [{ name: RLO }, { name: "plain" }],
    [
      { header: "NAME", value: (r) => r.name },
      { header: "N", value: () => 1 },
    ],
  );
  const lines = table.split("\n");
  assert.equal(lines.length, 3);
  for (const line of lines) assert.deepEqual(controls(line), []);
  assert.equal(lines[1], "ip-10-0-0-1\\u202egnp.exe  1");
  assert.equal(lines[2], "plain                     1");
});
