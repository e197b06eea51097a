// `eni-view version` (and `eni-view --version`): the version, the commit and the Node.js it runs on.
import { t } from "../i18n/cliText.ts";
import { buildInfo } from "../version.ts";
import { type Command, parseCommandArgs } from "./command.ts";
import { outputFormat, outputOptionHelp, outputOptionSpec, printStructured } from "./outputFormat.ts";
import { printText } from "./terminalText.ts";

export const version: Command = {
  name: "version",
  summary: "print the version, the commit and the Node.js it runs on",
  get help() {
    return t("version.help", {
      output: outputOptionHelp({ json: t("version.out.json"), yaml: t("version.out.yaml") }),
    });
  },
  async run(argv) {
    const { values } = parseCommandArgs(argv, outputOptionSpec);
    const format = outputFormat(values, ["text", "json", "yaml"]);
    const info = await buildInfo();
    // One line, as `aws --version` prints it: "eni-view 0.1.0 (commit 4cb088b1c2d3, Node.js v24.11.0, linux/x64)".
    if (!printStructured(format, () => info))
      printText(
        t("version.line", {
          version: info.version,
          commit: info.commit ?? t("version.unknownCommit"),
          node: info.node,
          platform: info.platform,
        }),
      );
    return 0;
  },
};

export default version;
