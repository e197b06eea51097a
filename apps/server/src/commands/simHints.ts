import type { Source } from "../sources/source.ts";

/** For the simulator: how to drive it with kubectl and switch its faults, printed under the URL. */
export function simHints(source: Source): string[] {
  const sim = (
    source as {
      endpoints?: { kubeconfigPath: string; adminUrl: string; ec2Url: string; region: string } | null;
    }
  ).endpoints;
  if (!sim) return [];
  return [
    "",
    "Try the scale lab with kubectl:",
    `  export KUBECONFIG=${sim.kubeconfigPath}`,
    "  kubectl get nodes",
    "  kubectl scale deployment nginx-deployment --replicas=30",
    "",
    "See the ENIs with the aws CLI (any access key works; the simulator checks only that the request is signed):",
    `  AWS_ACCESS_KEY_ID=sim AWS_SECRET_ACCESS_KEY=sim aws ec2 describe-network-interfaces --endpoint-url ${sim.ec2Url} --region ${sim.region}`,
    "",
    "Switch the simulator's faults (EC2 throttling, dropped watches, 403s):",
    `  curl -X PUT ${sim.adminUrl}/faults -d '{"ec2ThrottleRate": 1}'`,
  ];
}
