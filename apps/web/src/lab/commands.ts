// The lines a step asks the user to type, as they must be typed where eni-view runs: on the simulator with
// its own KUBECONFIG, EC2 endpoint and admin URL; on a real cluster the plain kubectl and aws commands.
import type { Command, LabEnv } from "./labTypes.ts";

/** The KUBECONFIG line of the running simulator; nothing on a real cluster (kubectl already points there). */
export function kubeconfigLines(env: LabEnv): Command[] {
  return env.sim ? [{ text: `export KUBECONFIG=${env.sim.kubeconfig}` }] : [];
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
