// A declared (small) scenario: nodes, system add-ons and deployments are created through the API store,
// so the controllers, scheduler, kubelets and IPAMDs bring the cluster up as a real one comes up.

import { systemServices } from "../cluster/services.ts";
import { awsNodeSpec, corednsSpec, kubeProxySpec } from "../cluster/systemWorkloads.ts";
import { daemonSetObject, deploymentObject } from "../cluster/workloads.ts";
import type { Ec2State, PodNetwork, SimRandom } from "../contracts.ts";
import type { EventRecorder } from "../controllers/events.ts";
import type { ObjectStore } from "../kube/store.ts";
import type { KubeObject, NewObject } from "../kube/types.ts";
import { type CniSetup, eniConfigSubnets } from "./ec2Setup.ts";
import { launchNode, namespaceObject } from "./nodes.ts";
import type { Scenario } from "./scenario.ts";

/** What a node's kubelet and the node controller report when a node joins (kubectl describe node). */
function recordNodeStart(events: EventRecorder, node: KubeObject): void {
  const name = node.metadata.name;
  const kubelet = { component: "kubelet", host: name };
  events.record(node, "Normal", "Starting", "Starting kubelet.", kubelet);
  for (const condition of ["NodeHasSufficientMemory", "NodeHasNoDiskPressure", "NodeHasSufficientPID"]) {
    events.record(node, "Normal", condition, `Node ${name} status is now: ${condition}`, kubelet);
  }
  events.record(
    node,
    "Normal",
    "NodeAllocatableEnforced",
    "Updated Node Allocatable limit across pods",
    kubelet,
  );
  events.record(
    node,
    "Normal",
    "RegisteredNode",
    `Node ${name} event: Registered Node ${name} in Controller`,
    {
      component: "node-controller",
    },
  );
  events.record(node, "Normal", "NodeReady", `Node ${name} status is now: NodeReady`, kubelet);
}

export interface BuildContext {
  scenario: Scenario;
  store: ObjectStore;
  state: Ec2State;
  network: PodNetwork;
  random: SimRandom;
  cni: CniSetup;
  events: EventRecorder;
}

export function systemNamespaces(scenario: Scenario): string[] {
  const names = new Set(["default", "kube-node-lease", "kube-public", "kube-system"]);
  for (const d of scenario.deployments ?? []) names.add(d.namespace);
  return [...names];
}

/** The label (ENIConfig's default key) naming the ENIConfig a node uses. */
export const ENI_CONFIG_LABEL = "k8s.amazonaws.com/eniConfig";

/** The ENIConfig object of a declared one, as `kubectl get eniconfig -o json` shows it. */
function eniConfigObject(name: string, subnetId: string, securityGroups: string[]): NewObject {
  return {
    apiVersion: "crd.k8s.amazonaws.com/v1alpha1",
    kind: "ENIConfig",
    metadata: { name },
    spec: { subnet: subnetId, securityGroups },
  };
}

/** The CNINode the VPC resource controller keeps per node; CustomNetworking names its ENIConfig. */
function cniNodeObject(nodeName: string, eniConfig: string | null): NewObject {
  return {
    apiVersion: "vpcresources.k8s.aws/v1alpha1",
    kind: "CNINode",
    metadata: { name: nodeName },
    spec: { features: eniConfig === null ? [] : [{ name: "CustomNetworking", value: eniConfig }] },
  };
}

export function buildDeclared(ctx: BuildContext): void {
  const { scenario, store, state, network, random, cni } = ctx;
  for (const ns of systemNamespaces(scenario)) store.create("namespaces", namespaceObject(ns));
  for (const service of systemServices(scenario.system.corednsReplicas > 0))
    store.create("services", service);
  // Nodes go to the scenario's node subnets only; ENIConfig pod subnets hold pod ENIs.
  const nodeSubnets = [...state.subnets.values()].filter((subnet) =>
    scenario.subnets.some((s) => s.cidr === subnet.cidr && s.zone === subnet.zone),
  );
  const podSubnets = eniConfigSubnets(scenario, state);
  const eniConfigOf = (zone: string) => scenario.eniConfigs?.find((e) => e.zone === zone)?.name ?? null;
  let securityGroups: string[] = [];
  for (const group of scenario.nodeGroups) {
    for (const subnet of nodeSubnets) {
      for (let i = 0; i < (group.perSubnet ?? 1); i++) {
        const eniConfig = eniConfigOf(subnet.zone);
        const launchGroup =
          eniConfig === null
            ? group
            : { ...group, labels: { ...group.labels, [ENI_CONFIG_LABEL]: eniConfig } };
        const n = launchNode(
          scenario,
          network,
          random,
          launchGroup,
          subnet,
          cni.settings.prefixDelegation,
          store.clock.now(),
        );
        const node = store.create("nodes", n.node);
        recordNodeStart(ctx.events, node);
        store.create("leases", n.lease);
        // Pods take the node's security groups, as an ENIConfig usually repeats them.
        if (securityGroups.length === 0) {
          const primary = [...state.enis.values()].find((e) => e.attachment?.instanceId === n.instanceId);
          securityGroups = primary?.groups.map((g) => g.id) ?? [];
        }
        const eniSubnetId =
          cni.settings.customNetworking && eniConfig !== null ? podSubnets.get(eniConfig) : undefined;
        network.startNode({
          nodeName: n.name,
          instanceId: n.instanceId,
          maxPods: n.maxPods,
          cordoned: false,
          ...(eniSubnetId ? { eniSubnetId } : {}),
        });
        if (scenario.cniNodes) {
          store.create("cninodes", cniNodeObject(n.name, cni.settings.customNetworking ? eniConfig : null));
        }
      }
    }
  }
  for (const e of scenario.eniConfigs ?? []) {
    const subnetId = podSubnets.get(e.name);
    if (subnetId) store.create("eniconfigs", eniConfigObject(e.name, subnetId, securityGroups));
  }
  if (scenario.system.awsNode) {
    store.create("daemonsets", daemonSetObject(awsNodeSpec(scenario.region, cni.env, scenario.cni.version)));
  }
  if (scenario.system.kubeProxy) store.create("daemonsets", daemonSetObject(kubeProxySpec(scenario.region)));
  if (scenario.system.corednsReplicas > 0) {
    store.create(
      "deployments",
      deploymentObject(corednsSpec(scenario.region), scenario.system.corednsReplicas),
    );
  }
  for (const d of scenario.deployments ?? []) {
    const spec = { namespace: d.namespace, name: d.name, labels: d.labels, containers: d.containers };
    store.create(
      "deployments",
      deploymentObject(d.nodeSelector ? { ...spec, nodeSelector: d.nodeSelector } : spec, d.replicas),
    );
  }
}
