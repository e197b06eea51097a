import { builtInScenarios } from "@eni-view/sim";
import { t } from "../i18n/cliText.ts";
import { accessFromOptions, accessOptionHelp, accessOptionSpec } from "./accessOptions.ts";
import { type Command, parseCommandArgs } from "./command.ts";
import { recordFromOptions, recordOptionHelp, recordOptionSpec } from "./recordOptions.ts";
import { runServerUntilSignal } from "./runServer.ts";
import { SIM_OPTION_NAMES, simOptionHelp, simOptionSpec } from "./simOptions.ts";
import { parsePort, sourceFromOptions } from "./sourceOptions.ts";

export const start: Command = {
  name: "start",
  summary: "start the simulated cluster and the dashboard together (what `npm start` runs)",
  get help() {
    return t("start.help", {
      sim: simOptionHelp(builtInScenarios),
      access: accessOptionHelp(),
      record: recordOptionHelp(),
    });
  },
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
      (url) => ({ first: t("start.running", { url }), last: ["", t("start.stop")] }),
      record,
    );
  },
};

export default start;
