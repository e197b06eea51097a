// What `sim`, `start` and `serve --source sim` print under their URLs: how to drive the simulator with
// kubectl and the aws CLI. The kubectl lines name a deployment, namespace and replica counts read from
// the running simulator, so every command printed exists in the scenario started (the large scenario has
// no nginx-deployment; its deployments are generated per team and pinned to node groups).
import type { Sim } from "@eni-view/sim";
import { t } from "../i18n/cliText.ts";
import type { Source } from "../sources/source.ts";

type KubeObject = ReturnType<Sim["store"]["all"]> extends IterableIterator<infer T> ? T : never;
type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (v !== null && typeof v === "object" ? (v as Json) : {});

/** Pods past the nodes' max pods in the second suggestion: a few, so they fit in the Pending tray. */
const OVERFLOW = 7;

export interface ScaleHint {
  namespace: string;
  name: string;
  /** Replicas that fill the deployment's nodes to their max pods. */
  fill: number;
}

/** The first application deployment (not kube-system) and the replicas that fill the nodes it can run
 * on: its nodeSelector's Ready, schedulable nodes, their allocatable pods minus the pods on them now. */
export function scaleHint(store: Sim["store"]): ScaleHint | null {
  const deployment = [...store.all("deployments")].find((d) => obj(d.metadata).namespace !== "kube-system");
  if (!deployment) return null;
  const spec = obj(deployment.spec);
  const selector = obj(obj(obj(spec.template).spec).nodeSelector);
  const replicas = typeof spec.replicas === "number" ? spec.replicas : 1;
  const fits = (node: KubeObject) => {
    const labels = obj(obj(node.metadata).labels);
    return (
      obj(node.spec).unschedulable !== true && Object.entries(selector).every(([k, v]) => labels[k] === v)
    );
  };
  const nodes = new Map<string, number>();
  for (const node of store.all("nodes")) {
    if (!fits(node)) continue;
    const pods = Number(obj(obj(node.status).allocatable).pods);
    if (Number.isFinite(pods)) nodes.set(String(obj(node.metadata).name), pods);
  }
  let room = [...nodes.values()].reduce((a, b) => a + b, 0);
  for (const pod of store.all("pods")) {
    const nodeName = obj(pod.spec).nodeName;
    const phase = obj(pod.status).phase;
    if (typeof nodeName === "string" && nodes.has(nodeName) && phase !== "Succeeded" && phase !== "Failed")
      room--;
  }
  return {
    namespace: String(obj(deployment.metadata).namespace),
    name: String(obj(deployment.metadata).name),
    fill: replicas + Math.max(0, room),
  };
}

/** The kubectl lines for a running simulator. */
export function kubectlHints(sim: Pick<Sim, "kubeconfigPath" | "store">): string[] {
  const hint = scaleHint(sim.store);
  const lines = [`  export KUBECONFIG=${sim.kubeconfigPath}`, "  kubectl get nodes -o wide"];
  if (hint) {
    const ns = hint.namespace === "default" ? "" : ` -n ${hint.namespace}`;
    const scale = `  kubectl scale deployment ${hint.name}${ns} --replicas=`;
    const fill = `${scale}${hint.fill}`;
    const over = `${scale}${hint.fill + OVERFLOW}`;
    const width = Math.max(fill.length, over.length) + 2;
    lines.push(
      `${fill.padEnd(width)}${t("sim.hint.fill")}`,
      `${over.padEnd(width)}${t("sim.hint.over", { count: OVERFLOW })}`,
    );
  } else lines.push("  kubectl get pods -A -o wide");
  return lines;
}

/** For serve and start on the simulator: kubectl, the aws CLI and the fault switch, under the URL. */
export function simHints(source: Source): string[] {
  const sim = (source as { endpoints?: Sim | null }).endpoints;
  if (!sim) return [];
  return [
    "",
    t("sim.hint.drive", { name: sim.scenario.name }),
    ...kubectlHints(sim),
    "",
    t("sim.hint.aws"),
    `  AWS_ACCESS_KEY_ID=sim AWS_SECRET_ACCESS_KEY=sim aws ec2 describe-network-interfaces --endpoint-url ${sim.ec2Url} --region ${sim.region}`,
    "",
    t("sim.hint.faults"),
    `  curl -X PUT ${sim.adminUrl}/faults -d '{"ec2ThrottleRate": 1}'`,
  ];
}
