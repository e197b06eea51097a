// `eni-view <command>`: dispatches to one module per command under ./commands.
import { inspect } from "node:util";
import type { Command } from "./commands/command.ts";
import { UsageError } from "./commands/command.ts";
import { terminalSafe, terminalSafeLines } from "./commands/terminalText.ts";
import { setCliLanguage, t } from "./i18n/cliText.ts";
import { cliLanguage } from "./i18n/language.ts";

// Each command module is loaded only when it runs, so `eni-view capacity` never pays for the
// Kubernetes and AWS clients.
const commands: Record<string, { summary: () => string; load: () => Promise<Command> }> = {
  // (registry: one line per command, kept in the order `--help` lists them)
  report: {
    summary: () => t("top.summary.report"),
    load: async () => (await import("./commands/report.ts")).default,
  },
  capacity: {
    summary: () => t("top.summary.capacity"),
    load: async () => (await import("./commands/capacity.ts")).default,
  },
  plan: {
    summary: () => t("top.summary.plan"),
    load: async () => (await import("./commands/plan.ts")).default,
  },
  serve: {
    summary: () => t("top.summary.serve"),
    load: async () => (await import("./commands/serve.ts")).default,
  },
  capture: {
    summary: () => t("top.summary.capture"),
    load: async () => (await import("./commands/capture.ts")).default,
  },
  record: {
    summary: () => t("top.summary.record"),
    load: async () => (await import("./commands/record.ts")).default,
  },
  sim: {
    summary: () => t("top.summary.sim"),
    load: async () => (await import("./commands/sim.ts")).default,
  },
  start: {
    summary: () => t("top.summary.start"),
    load: async () => (await import("./commands/start.ts")).default,
  },
  version: {
    summary: () => t("top.summary.version"),
    load: async () => (await import("./commands/version.ts")).default,
  },
};

function topHelp(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length), 8);
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary()}`);
  return t("top.help", { commands: lines.join("\n") });
}

export async function main(allArgs: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // `--lang ko` anywhere, else LC_ALL / LC_MESSAGES / LANG: the language of the text, never of JSON or YAML.
  let argv: string[];
  try {
    const picked = cliLanguage(allArgs, env);
    setCliLanguage(picked.lang);
    argv = picked.argv;
  } catch (err) {
    console.error(`eni-view: ${terminalSafeLines((err as Error).message)}`);
    return 2;
  }
  const [first, ...afterFirst] = argv;
  // `--version` anywhere before a command is the version command, as with kubectl, aws and node.
  const [name, rest] = first === "--version" ? ["version", afterFirst] : [first, afterFirst];
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(topHelp());
    return name === undefined ? 2 : 0;
  }
  const entry = commands[name];
  if (!entry) {
    console.error(`${t("top.unknown", { name: terminalSafe(name) })}\n\n${topHelp()}`);
    return 2;
  }
  const debug = rest.includes("--debug");
  try {
    const command = await entry.load();
    if (rest.includes("--help") || rest.includes("-h")) {
      console.log(command.help);
      return 0;
    }
    return await command.run(rest);
  } catch (err) {
    if (debug) console.error(terminalSafeLines(inspect(err)));
    // Messages can quote cluster data (a node name, an API server's answer): made terminal-safe.
    if (err instanceof UsageError) {
      console.error(`eni-view ${name}: ${terminalSafeLines(err.message)}`);
      return 2;
    }
    console.error(`eni-view ${name}: ${terminalSafeLines((err as Error).message ?? String(err))}`);
    if (!debug) console.error(t("top.debugHint"));
    return 1;
  }
}
