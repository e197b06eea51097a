// `eni-view version` (and `eni-view --version`): the version, the commit and the Node.js it runs on.
import { buildInfo, versionLine } from "../version.ts";
import { type Command, parseCommandArgs } from "./command.ts";
import { outputFormat, outputOptionHelp, outputOptionSpec, printStructured } from "./outputFormat.ts";
import { printText } from "./terminalText.ts";

export const version: Command = {
  name: "version",
  summary: "print the version, the commit and the Node.js it runs on",
  help: `Usage: eni-view version [-o json|yaml]    (or eni-view --version)

Prints eni-view's version, the commit it was built from (from git in a clone, "-dirty" with uncommitted
changes; from the package's build stamp when installed) and the Node.js and platform it runs on.

Options:
${outputOptionHelp({ json: "the same as JSON", yaml: "the same as YAML" })}`,
  async run(argv) {
    const { values } = parseCommandArgs(argv, outputOptionSpec);
    const format = outputFormat(values, ["text", "json", "yaml"]);
    const info = await buildInfo();
    if (!printStructured(format, () => info)) printText(versionLine(info));
    return 0;
  },
};

export default version;
