import { startServer, untilSignal } from "../server.ts";
import {
  accessFromOptions,
  accessNotice,
  accessOptionHelp,
  accessOptionSpec,
  openSnapshots,
} from "./accessOptions.ts";
import { type Command, parseCommandArgs } from "./command.ts";
import { simHints } from "./simHints.ts";
import { asUsageError, sourceFromOptions } from "./sourceOptions.ts";

export const start: Command = {
  name: "start",
  summary: "start the simulated cluster and the dashboard together (what `npm start` runs)",
  help: `Usage: eni-view start [--scenario NAME] [--speed N]

Starts the simulator (a 3-node t3.medium EKS cluster speaking the real Kubernetes and EC2 APIs) and the
dashboard on http://127.0.0.1:8080 (or the next free port), prints the URL to open and the kubectl
command line for the labs, and runs until Ctrl-C.

Options:
  --scenario NAME   scale-lab (default), prefix-lab or large
  --speed N         run the simulated clocks N times faster (default 1)

${accessOptionHelp}`,
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      scenario: { type: "string" },
      speed: { type: "string" },
      ...accessOptionSpec,
    });
    const access = accessFromOptions(values);
    const source = await sourceFromOptions(
      { source: "sim", scenario: values.scenario, speed: values.speed },
      ["sim"],
    );
    const snapshots = await openSnapshots(access);
    const server = await startServer(source, {
      host: "127.0.0.1",
      port: 8080,
      portFallback: 20,
      authToken: access.authToken,
      snapshots: snapshots.store,
    }).catch((err: unknown) => {
      snapshots.store?.close();
      throw asUsageError(err);
    });
    console.log(
      [
        `eni-view is running. Open ${server.url}/`,
        ...accessNotice(server.url, "127.0.0.1", access),
        ...snapshots.notice,
        ...simHints(source),
        "",
        "Ctrl-C to stop.",
      ].join("\n"),
    );
    await untilSignal();
    await server.close();
    return 0;
  },
};

export default start;
