// A generated (large) scenario, built straight into the store: nodes launched in EC2, every IPAMD brought
// to its steady state with PodNetwork.settle, pods already Running with their IPs. No events, no watch
// history and no controller churn, so 5,000 nodes and 150,000 pods start in seconds. What is left over
// is real work for the controllers: Pending pods of the full batch group (the scheduler reports them) and
// pods on overcommitted nodes with no IP (the kubelets retry their sandboxes).

import { runningStatus } from "../cluster/podStatus.ts";
import { systemServices } from "../cluster/services.ts";
import { awsNodeSpec, corednsSpec, kubeProxySpec } from "../cluster/systemWorkloads.ts";
import {
  daemonSetObject,
  deploymentObject,
  podFromTemplate,
  type WorkloadSpec,
} from "../cluster/workloads.ts";
import type { PodRef } from "../contracts.ts";
import { replicaSetObject, templateHash } from "../controllers/workloadRules.ts";
import { kubeTime } from "../kube/store.ts";
import type { KubeObject, NewObject } from "../kube/types.ts";
import { nameSuffix } from "../random.ts";
import type { BuildContext } from "./declared.ts";
import { type LaunchedNode, launchNode, namespaceObject } from "./nodes.ts";
import type { NodeGroupDecl } from "./scenario.ts";

export interface AdoptedPod {
  namespace: string;
  name: string;
  nodeName: string;
  ip: string | null;
}

const teams = ["payments", "search", "checkout", "catalog", "identity", "analytics"];
const images = ["nginx:1.27-alpine", "public.ecr.aws/docker/library/httpd:2.4", "registry.k8s.io/pause:3.10"];

/** Nodes per group by share, the rounding remainder going to the largest group. */
function groupCounts(groups: NodeGroupDecl[], nodes: number): number[] {
  const total = groups.reduce((s, g) => s + (g.share ?? 0), 0);
  const counts = groups.map((g) => Math.floor((nodes * (g.share ?? 0)) / total));
  let left = nodes - counts.reduce((s, c) => s + c, 0);
  for (let i = 0; left > 0; i = (i + 1) % counts.length, left--) counts[i] = (counts[i] ?? 0) + 1;
  return counts;
}

export function buildGenerated(
  ctx: BuildContext,
  size: { nodes: number; podsPerNode: number },
): AdoptedPod[] {
  const { scenario, store, state, network, random, cni } = ctx;
  const now = store.clock.now();
  const time = kubeTime(now);
  const namespaces = ["default", "kube-node-lease", "kube-public", "kube-system", ...teams];
  store.load("namespaces", namespaces.map(namespaceObject));
  store.load("services", systemServices(scenario.system.corednsReplicas > 0));

  const subnets = [...state.subnets.values()];
  const counts = groupCounts(scenario.nodeGroups, size.nodes);
  const nodes: LaunchedNode[] = [];
  scenario.nodeGroups.forEach((group, g) => {
    for (let i = 0; i < (counts[g] ?? 0); i++) {
      const subnet = subnets[nodes.length % subnets.length];
      if (!subnet) throw new Error("the scenario has no subnets");
      nodes.push(launchNode(scenario, network, random, group, subnet, cni.settings.prefixDelegation, now));
    }
  });
  store.load(
    "nodes",
    nodes.map((n) => n.node),
  );
  store.load(
    "leases",
    nodes.map((n) => n.lease),
  );

  const pods: NewObject[] = [];
  const adopted: AdoptedPod[] = [];
  /** Pods placed on each node, with the IP-using ones to settle. */
  const perNode = new Map<string, { count: number; ipPods: NewObject[] }>(
    nodes.map((n) => [n.name, { count: 0, ipPods: [] }]),
  );

  const daemonSets: WorkloadSpec[] = [];
  if (scenario.system.awsNode) daemonSets.push(awsNodeSpec(scenario.region, cni.env, scenario.cni.version));
  if (scenario.system.kubeProxy) daemonSets.push(kubeProxySpec(scenario.region));
  for (const spec of daemonSets) {
    const ds = store.create("daemonsets", daemonSetObject(spec));
    const hash = templateHash(ds.spec.template).slice(0, 10);
    for (const n of nodes) {
      const pod = podFromTemplate(
        ds,
        `${spec.name}-${nameSuffix(random)}`,
        { "controller-revision-hash": hash, "pod-template-generation": "1" },
        n.name,
      );
      pod.status = runningStatus(pod as KubeObject, n.internalIp, n.internalIp, time, random);
      pods.push(pod);
      (perNode.get(n.name) as { count: number }).count++;
      adopted.push({ namespace: spec.namespace, name: pod.metadata.name, nodeName: n.name, ip: null });
    }
  }

  // Application deployments, each pinned to one node group by nodeSelector and sized to fill it.
  const workloads: { rs: KubeObject; nodes: LaunchedNode[]; replicas: number; overflow: boolean }[] = [];
  const addDeployment = (
    spec: WorkloadSpec,
    replicas: number,
    groupNodes: LaunchedNode[],
    overflow: boolean,
  ) => {
    const d = store.create("deployments", deploymentObject(spec, replicas));
    const rs = store.create("replicasets", replicaSetObject(d));
    workloads.push({ rs, nodes: groupNodes, replicas, overflow });
  };
  if (scenario.system.corednsReplicas > 0) {
    addDeployment(corednsSpec(scenario.region), scenario.system.corednsReplicas, nodes, false);
  }
  let serial = 0;
  // The overflow group holds only its max pods; the other groups take up the rest of the pods asked for,
  // so the cluster averages --pods-per-node (system pods included).
  const total = nodes.length * size.podsPerNode;
  const overflowNodes = nodes.filter((n) => n.group.fill === "overflow");
  const overflowHeld = overflowNodes.reduce((sum, n) => sum + n.maxPods, 0);
  const otherNodes = nodes.length - overflowNodes.length;
  const perOtherNode = otherNodes > 0 ? Math.ceil((total - overflowHeld) / otherNodes) : 0;
  scenario.nodeGroups.forEach((group) => {
    const groupNodes = nodes.filter((n) => n.group === group);
    if (groupNodes.length === 0) return;
    const room = groupNodes[0] ? groupNodes[0].maxPods - daemonSets.length : 0;
    const wanted = Math.max(0, perOtherNode - daemonSets.length);
    // overflow: the group is filled to max pods and about one pod in five nodes more stays Pending.
    let demand = groupNodes.length * Math.min(room, wanted);
    if (group.fill === "overflow")
      demand = groupNodes.length * room + Math.max(1, Math.ceil(groupNodes.length / 5));
    while (demand > 0) {
      const replicas = Math.min(demand, random.int(20, 200));
      demand -= replicas;
      serial++;
      const team = teams[serial % teams.length] as string;
      const name = `${team}-svc-${String(serial).padStart(4, "0")}`;
      addDeployment(
        {
          namespace: team,
          name,
          labels: { app: name, "app.kubernetes.io/part-of": team },
          nodeSelector: { "eks.amazonaws.com/nodegroup": group.name },
          containers: [
            {
              name: "app",
              image: random.pick(images),
              ports: [{ containerPort: 8080 }],
              requests: { cpu: "10m", memory: "16Mi" },
            },
          ],
        },
        replicas,
        groupNodes,
        group.fill === "overflow",
      );
    }
  });

  // Place each workload's pods round-robin over its nodes, up to each node's max pods.
  for (const w of workloads) {
    let cursor = random.int(0, w.nodes.length);
    for (let i = 0; i < w.replicas; i++) {
      const pod = podFromTemplate(w.rs, `${w.rs.metadata.name}-${nameSuffix(random)}`, {});
      let placed: LaunchedNode | undefined;
      for (let tries = 0; tries < w.nodes.length; tries++) {
        const n = w.nodes[(cursor + tries) % w.nodes.length] as LaunchedNode;
        const slot = perNode.get(n.name) as { count: number; ipPods: NewObject[] };
        if (slot.count < n.maxPods) {
          placed = n;
          cursor = (cursor + tries + 1) % w.nodes.length;
          slot.count++;
          slot.ipPods.push(pod);
          break;
        }
      }
      if (placed) pod.spec.nodeName = placed.name;
      pods.push(pod);
    }
  }

  // Every IPAMD straight to its steady state; pods that got no IP stay Pending on their node.
  const byName = new Map(nodes.map((n) => [n.name, n]));
  for (const [nodeName, slot] of perNode) {
    const n = byName.get(nodeName) as LaunchedNode;
    network.startNode({ nodeName, instanceId: n.instanceId, maxPods: n.maxPods, cordoned: false });
    const refs: PodRef[] = slot.ipPods.map((p) => ({
      namespace: p.metadata.namespace as string,
      name: p.metadata.name,
    }));
    const ips = network.settle(nodeName, refs);
    for (const pod of slot.ipPods) {
      const ip = ips.get(`${pod.metadata.namespace}/${pod.metadata.name}`);
      if (ip === undefined) continue;
      pod.status = runningStatus(pod as KubeObject, n.internalIp, ip, time, random);
      adopted.push({ namespace: pod.metadata.namespace as string, name: pod.metadata.name, nodeName, ip });
    }
  }
  store.load("pods", pods);
  return adopted;
}
