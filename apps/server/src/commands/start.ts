import { builtInScenarios } from "@eni-view/sim";
import { accessFromOptions, accessOptionHelp, accessOptionSpec } from "./accessOptions.ts";
import { type Command, parseCommandArgs } from "./command.ts";
import { recordFromOptions, recordOptionHelp, recordOptionSpec } from "./recordOptions.ts";
import { runServerUntilSignal } from "./runServer.ts";
import { parsePort, sourceFromOptions } from "./sourceOptions.ts";

export const start: Command = {
  name: "start",
  summary: "start the simulated cluster and the dashboard together (what `npm start` runs)",
  help: `Usage: eni-view start [--scenario NAME] [--speed N] [--port N]

Starts the simulator (a 3-node t3.medium EKS cluster speaking the real Kubernetes and EC2 APIs) and the
dashboard on http://127.0.0.1:8080 (or the next free port), prints the URL to open and the kubectl
command line for the labs, and runs until Ctrl-C.

Options:
  --scenario NAME   ${builtInScenarios.join(", ")} (scale-lab is the default)
  --speed N         run the simulated clocks N times faster (default 1)
  --port N          the dashboard's port (default 8080, or the next free one; 0: any free port)

${accessOptionHelp}

${recordOptionHelp}`,
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      scenario: { type: "string" },
      speed: { type: "string" },
      port: { type: "string" },
      ...accessOptionSpec,
      ...recordOptionSpec,
    });
    const access = accessFromOptions(values);
    const record = recordFromOptions(values);
    const source = await sourceFromOptions(
      { source: "sim", scenario: values.scenario, speed: values.speed },
      ["sim"],
    );
    return runServerUntilSignal(
      source,
      access,
      { host: "127.0.0.1", port: parsePort(values.port, 8080), portFallback: 20 },
      (url) => ({ first: `eni-view is running. Open ${url}/`, last: ["", "Ctrl-C to stop."] }),
      record,
    );
  },
};

export default start;
