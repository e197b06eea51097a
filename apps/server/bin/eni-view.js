#!/usr/bin/env node
// Runs on the project's Node.js 24 (the "node" devDependency puts it first on PATH for npm and npx).
import { main } from "../src/cli.ts";

process.exitCode = await main(process.argv.slice(2));
