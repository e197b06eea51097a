// The lines a step asks the user to type, as they must be typed where eni-view runs: on the simulator with
// its own KUBECONFIG, EC2 endpoint and admin URL; on a real cluster the plain kubectl and aws commands.
import type { Report } from "@eni-view/model";
import type { Command, LabEnv, LabStep, StepView } from "./labTypes.ts";

/** The KUBECONFIG line of the running simulator; nothing on a real cluster (kubectl already points there). */
function kubeconfigLines(env: LabEnv): Command[] {
  return env.sim ? [{ text: `export KUBECONFIG=${env.sim.kubeconfig}` }] : [];
}

/** A step as the panel shows it: its lines after the KUBECONFIG line every step starts with. */
export function stepView(step: LabStep, topo: Report, env: LabEnv): StepView {
  const view = step.view(topo, env);
  return { ...view, commands: [...kubeconfigLines(env), ...view.commands] };
}

/** An aws CLI command; on the simulator it names its EC2 endpoint and takes any access key. */
export function awsCommand(env: LabEnv, region: string | null, args: string): string {
  if (env.sim)
    return `AWS_ACCESS_KEY_ID=sim AWS_SECRET_ACCESS_KEY=sim aws ${args} --endpoint-url ${env.sim.ec2Url} --region ${env.sim.region}`;
  return `aws ${args}${region ? ` --region ${region}` : ""}`;
}

/** A line of `kubectl scale` for the lab's deployment. */
export function scaleCommand(name: string, replicas: number): string {
  return `kubectl scale deployment ${name} --replicas=${replicas}`;
}
