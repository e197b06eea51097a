import { builtInScenarios } from "@eni-view/sim";
import { accessFromOptions, accessOptionHelp, accessOptionSpec } from "./accessOptions.ts";
import { type Command, parseCommandArgs } from "./command.ts";
import { recordFromOptions, recordOptionHelp, recordOptionSpec } from "./recordOptions.ts";
import { runServerUntilSignal } from "./runServer.ts";
import { SIM_OPTION_NAMES, simOptionHelp, simOptionSpec } from "./simOptions.ts";
import { parsePort, sourceFromOptions } from "./sourceOptions.ts";

export const start: Command = {
  name: "start",
  summary: "start the simulated cluster and the dashboard together (what `npm start` runs)",
  help: `Usage: eni-view start [--port N] [--scenario NAME|FILE] [--speed N] [--seed N] [--nodes N]
                      [--pods-per-node N] [--faults JSON] [--state-dir DIR]

Starts the simulator (by default the scale lab: a 3-node t3.medium EKS cluster speaking the real
Kubernetes and EC2 APIs) and the dashboard on http://127.0.0.1:8080 (or the next free port), prints the
URL to open and kubectl lines that work on the scenario started, and runs until Ctrl-C.

Options:
  --port N               port to listen on (0: any free one); without it 8080, or the next free one
                         up to 8100
${simOptionHelp(builtInScenarios)}

${accessOptionHelp}

${recordOptionHelp}`,
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      port: { type: "string" },
      ...simOptionSpec,
      ...accessOptionSpec,
      ...recordOptionSpec,
    });
    // A port asked for is that port or an error; only the default looks for the next free one.
    const port = parsePort(values.port, 8080);
    const portFallback = values.port === undefined ? 20 : 0;
    const access = accessFromOptions(values);
    const record = recordFromOptions(values);
    const simValues = Object.fromEntries(SIM_OPTION_NAMES.map((k) => [k, values[k]]));
    const source = await sourceFromOptions({ source: "sim", ...simValues }, ["sim"]);
    return runServerUntilSignal(
      source,
      access,
      { host: "127.0.0.1", port, portFallback },
      (url) => ({ first: `eni-view is running. Open ${url}/`, last: ["", "Ctrl-C to stop."] }),
      record,
    );
  },
};

export default start;
