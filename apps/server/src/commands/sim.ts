// `eni-view sim`: the simulated EKS cluster on 127.0.0.1, for kubectl, the aws CLI and eni-view itself.
import { builtInScenarios, ScenarioError, type Sim, startSim } from "@eni-view/sim";
import { type Command, parseCommandArgs, UsageError } from "./command.ts";
import { kubectlHints } from "./simHints.ts";
import { simOptionHelp, simOptionSpec, simSettings } from "./simOptions.ts";
import { printText } from "./terminalText.ts";

const help = `Usage: eni-view sim [--scenario NAME|FILE] [--speed N] [--state-dir DIR] [--seed N]
                    [--nodes N] [--pods-per-node N] [--faults JSON]

Starts a simulated EKS cluster and its AWS account on 127.0.0.1: a Kubernetes API (HTTPS, kubectl works),
an EC2 Query API (the aws CLI and SDKs work) and an admin endpoint for faults. The VPC CNI's IPAMD runs on
every node, so scaling a deployment attaches ENIs and assigns IPs as on a real cluster. Runs until Ctrl-C.
\`eni-view start\` and \`eni-view serve --source sim\` take the same options and add the dashboard.

${simOptionHelp(builtInScenarios)}

Examples:
  eni-view sim
  eni-view sim --scenario prefix-lab --speed 10
  eni-view sim --scenario large --nodes 5000 --state-dir /tmp/big`;

export function usageText(sim: Sim): string {
  return [
    `eni-view sim: scenario ${sim.scenario.name} (${sim.scenario.description})`,
    "",
    `  Kubernetes API  ${sim.kubernetesUrl}`,
    `  EC2 API         ${sim.ec2Url}   (region ${sim.region})`,
    `  admin (faults)  ${sim.adminUrl}/faults`,
    `  written         ${sim.kubeconfigPath}`,
    `                  ${sim.endpointsPath}`,
    "",
    "kubectl:",
    ...kubectlHints(sim),
    "",
    "aws CLI (any keys are accepted, but they must be set):",
    "  export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=sim AWS_EC2_METADATA_DISABLED=true",
    `  aws ec2 describe-network-interfaces --endpoint-url ${sim.ec2Url} --region ${sim.region}`,
    "",
    "Stop with Ctrl-C.",
  ].join("\n");
}

const sim: Command = {
  name: "sim",
  summary: "run a simulated EKS cluster (Kubernetes + EC2 APIs) for kubectl, aws and eni-view",
  help,
  async run(argv) {
    const { values } = parseCommandArgs(argv, simOptionSpec);
    let running: Sim;
    try {
      running = await startSim(await simSettings(values));
    } catch (err) {
      if (err instanceof ScenarioError) throw new UsageError(err.message, "scenario");
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
