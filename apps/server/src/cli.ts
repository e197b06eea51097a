// `eni-view <command>`: dispatches to one module per command under ./commands.
import { inspect } from "node:util";
import type { Command } from "./commands/command.ts";
import { UsageError } from "./commands/command.ts";
import { terminalSafe, terminalSafeLines } from "./commands/terminalText.ts";

// Each command module is loaded only when it runs, so `eni-view capacity` never pays for the
// Kubernetes and AWS clients.
const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  // (registry: one line per command, kept in the order `--help` lists them)
  report: {
    summary: "nodes, ENIs, IPs and Pending pods of a captured cluster",
    load: async () => (await import("./commands/report.ts")).default,
  },
  capacity: {
    summary: "max ENIs, IPs per ENI and max pods per instance type",
    load: async () => (await import("./commands/capacity.ts")).default,
  },
  plan: {
    summary: "plan a scale-up, node or CNI setting change: the cluster once it has settled",
    load: async () => (await import("./commands/plan.ts")).default,
  },
  serve: {
    summary: "serve the live dashboard and API (cluster, simulator or capture)",
    load: async () => (await import("./commands/serve.ts")).default,
  },
  capture: {
    summary: "write a capture folder from a live cluster or the simulator",
    load: async () => (await import("./commands/capture.ts")).default,
  },
  record: {
    summary: "record a cluster's topology over time into a file; summarise a recording",
    load: async () => (await import("./commands/record.ts")).default,
  },
  sim: {
    summary: "run a simulated EKS cluster (Kubernetes + EC2 APIs) for kubectl, aws and eni-view",
    load: async () => (await import("./commands/sim.ts")).default,
  },
  start: {
    summary: "start the simulator and the dashboard together (npm start)",
    load: async () => (await import("./commands/start.ts")).default,
  },
  version: {
    summary: "print the version, the commit and the Node.js it runs on (also --version)",
    load: async () => (await import("./commands/version.ts")).default,
  },
};

function topHelp(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length), 8);
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    "eni-view: see a Kubernetes cluster the way the Amazon VPC CNI sees it.",
    "",
    "Usage: eni-view <command> [options]",
    "       eni-view --version",
    "",
    "Commands:",
    ...lines,
    "",
    "Run `eni-view <command> --help` for a command's options.",
  ].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [first, ...afterFirst] = argv;
  // `--version` anywhere before a command is the version command, as with kubectl, aws and node.
  const [name, rest] = first === "--version" ? ["version", afterFirst] : [first, afterFirst];
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(topHelp());
    return name === undefined ? 2 : 0;
  }
  const entry = commands[name];
  if (!entry) {
    console.error(`eni-view: unknown command "${terminalSafe(name)}"\n\n${topHelp()}`);
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
    if (!debug) console.error("(run again with --debug for details)");
    return 1;
  }
}
