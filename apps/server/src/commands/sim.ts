// `eni-view sim`: the simulated EKS cluster on 127.0.0.1, for kubectl, the aws CLI and eni-view itself.
import {
  builtInScenarios,
  FaultSettingsError,
  parseFaultSettings,
  ScenarioError,
  type Sim,
  startSim,
} from "@eni-view/sim";
import { type Command, parseCommandArgs, UsageError } from "./command.ts";

const help = `Usage: eni-view sim [--scenario NAME|FILE] [--speed N] [--state-dir DIR] [--seed N]
                    [--nodes N] [--pods-per-node N] [--faults JSON]

Starts a simulated EKS cluster and its AWS account on 127.0.0.1: a Kubernetes API (HTTPS, kubectl works),
an EC2 Query API (the aws CLI and SDKs work) and an admin endpoint for faults. The VPC CNI's IPAMD runs on
every node, so scaling a deployment attaches ENIs and assigns IPs as on a real cluster. Runs until Ctrl-C.

  --scenario NAME|FILE   ${builtInScenarios.join(", ")} (default scale-lab), or a scenario .json file
  --speed N              simulated time runs N times faster than the wall clock (default 1)
  --state-dir DIR        where kubeconfig and endpoints.json are written (default: a new temp directory)
  --seed N               seed of the simulation's randomness (default 1): same seed, same cluster
  --nodes N              generated scenarios (large): number of nodes (default 500)
  --pods-per-node N      generated scenarios (large): average pods per node (default 30)
  --faults JSON          faults from the start, e.g. '{"ec2ThrottleRate":0.2,"kubeLatencyMs":100}'
                         (change them later: curl -X PUT ADMIN/faults -d '{"dropWatches":true}')

Examples:
  eni-view sim
  eni-view sim --scenario prefix-lab --speed 10
  eni-view sim --scenario large --nodes 5000 --state-dir /tmp/big`;

function number(value: string | undefined, flag: string, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < 0) {
    throw new UsageError(`${flag} must be a ${integer ? "whole " : ""}number >= 0, got "${value}"`);
  }
  return n;
}

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
    `  export KUBECONFIG=${sim.kubeconfigPath}`,
    "  kubectl get nodes -o wide",
    ...(sim.scenario.deployments
      ?.slice(0, 1)
      .map(
        (d) =>
          `  kubectl scale deployment ${d.name} -n ${d.namespace} --replicas=${Math.max(8, d.replicas * 4)}`,
      ) ?? []),
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
    const { values } = parseCommandArgs(argv, {
      scenario: { type: "string" },
      speed: { type: "string" },
      "state-dir": { type: "string" },
      seed: { type: "string" },
      nodes: { type: "string" },
      "pods-per-node": { type: "string" },
      faults: { type: "string" },
    });
    const speed = number(values.speed, "--speed", false);
    if (speed === 0) throw new UsageError("--speed must be greater than 0");
    let faults: ReturnType<typeof parseFaultSettings> | undefined;
    if (values.faults !== undefined) {
      try {
        faults = parseFaultSettings(JSON.parse(values.faults));
      } catch (err) {
        if (err instanceof SyntaxError) throw new UsageError(`--faults is not JSON: ${err.message}`);
        if (err instanceof FaultSettingsError) throw new UsageError(`--faults: ${err.message}`);
        throw err;
      }
    }
    const nodes = number(values.nodes, "--nodes", true);
    const podsPerNode = number(values["pods-per-node"], "--pods-per-node", true);
    const seed = number(values.seed, "--seed", true);
    let running: Sim;
    try {
      running = await startSim({
        ...(values.scenario !== undefined ? { scenario: values.scenario } : {}),
        ...(speed !== undefined ? { speed } : {}),
        ...(seed !== undefined ? { seed } : {}),
        ...(values["state-dir"] !== undefined ? { stateDir: values["state-dir"] } : {}),
        ...(nodes !== undefined ? { nodes } : {}),
        ...(podsPerNode !== undefined ? { podsPerNode } : {}),
        ...(faults ? { faults } : {}),
      });
    } catch (err) {
      if (err instanceof ScenarioError) throw new UsageError(err.message, "scenario");
      throw err;
    }
    console.log(usageText(running));
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
