#!/usr/bin/env node
// The `eni-view` command. Plain JavaScript up to the version check, so that a Node.js too old for the
// TypeScript sources (or their dependencies) says so in one line instead of a stack trace.
import { checkThisNode } from "./nodeCheck.js";

const problem = checkThisNode();
if (problem !== null) {
  console.error(problem);
  process.exit(1);
}
const { main } = await import("../src/cli.ts");
process.exitCode = await main(process.argv.slice(2));
