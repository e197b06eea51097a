// `eni-view sim`: the simulated EKS cluster on 127.0.0.1, for kubectl, the aws CLI and eni-view itself.
import { builtInScenarios, ScenarioError, type Sim, startSim } from "@eni-view/sim";
import { scenarioDescription, serverSay, t } from "../i18n/cliText.ts";
import { type Command, parseCommandArgs, UsageError } from "./command.ts";
import { kubectlHints } from "./simHints.ts";
import { simOptionHelp, simOptionSpec, simSettings } from "./simOptions.ts";
import { printText } from "./terminalText.ts";

export function usageText(sim: Sim): string {
  return t("sim.running", {
    name: sim.scenario.name,
    description: scenarioDescription(sim.scenario.name, sim.scenario.description),
    kubernetes: sim.kubernetesUrl,
    ec2: sim.ec2Url,
    region: sim.region,
    admin: sim.adminUrl,
    kubeconfig: sim.kubeconfigPath,
    endpoints: sim.endpointsPath,
    kubectl: kubectlHints(sim).join("\n"),
  });
}

const sim: Command = {
  name: "sim",
  summary: "run a simulated EKS cluster (Kubernetes + EC2 APIs) for kubectl, aws and eni-view",
  get help() {
    return t("sim.help", { options: simOptionHelp(builtInScenarios) });
  },
  async run(argv) {
    const { values } = parseCommandArgs(argv, simOptionSpec);
    let running: Sim;
    try {
      running = await startSim(await simSettings(values));
    } catch (err) {
      if (err instanceof ScenarioError)
        throw new UsageError(
          err.said ? serverSay(err.said.key, err.said.values ?? {}) : err.message,
          "scenario",
        );
      throw err;
    }
    printText(usageText(running));
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        resolve();
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
    await running.stop();
    return 0;
  },
};

export default sim;
