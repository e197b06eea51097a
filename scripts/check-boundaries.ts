// Dependencies point one way: model <- sim, model <- server, model <- web. The model stays pure
// (no node: built-ins, no packages), and the web app never reaches into the server or the simulator.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;

interface Rule {
  dir: string;
  forbid: (specifier: string) => string | null;
  allowInTests?: (specifier: string) => boolean;
}

const rules: Rule[] = [
  {
    dir: "packages/model/src",
    forbid: (s) => (s.startsWith(".") ? null : "the model is pure: only relative imports are allowed"),
    // Tests beside the model's code need node:test, node:assert and node:fs; the code under test does not.
    allowInTests: (s) => s.startsWith("node:"),
  },
  {
    dir: "apps/web/src",
    forbid: (s) =>
      s.startsWith("@eni-view/server") || s.startsWith("@eni-view/sim") || s.startsWith("node:")
        ? "the web app must not import the server, the simulator or Node built-ins"
        : null,
    // The layout tests run under Node's test runner; the browser code they test does not touch Node.
    allowInTests: (s) => s.startsWith("node:"),
  },
  {
    dir: "packages/sim/src",
    forbid: (s) => (s.startsWith("@eni-view/server") ? "the simulator must not import the server" : null),
  },
];

const importPattern =
  /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|tsx)$/.test(name)) yield path;
  }
}

const problems: string[] = [];
for (const rule of rules) {
  const dir = join(root, rule.dir);
  try {
    statSync(dir);
  } catch {
    continue;
  }
  for (const file of sourceFiles(dir)) {
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(importPattern)) {
      const specifier = match[1] ?? match[2];
      if (!specifier) continue;
      if (file.endsWith(".test.ts") && rule.allowInTests?.(specifier)) continue;
      const why = rule.forbid(specifier);
      if (why) problems.push(`${relative(root, file)}: imports "${specifier}": ${why}`);
    }
  }
}

if (problems.length > 0) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log("boundaries: ok");
