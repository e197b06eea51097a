// A declared (small) scenario: nodes, system add-ons and deployments are created through the API store,
// so the controllers, scheduler, kubelets and IPAMDs bring the cluster up as a real one comes up.

import { systemServices } from "../cluster/services.ts";
import { awsNodeSpec, corednsSpec, kubeProxySpec } from "../cluster/systemWorkloads.ts";
import { daemonSetObject, deploymentObject } from "../cluster/workloads.ts";
import type { Ec2State, PodNetwork, SimRandom } from "../contracts.ts";
import type { EventRecorder } from "../controllers/events.ts";
import type { ObjectStore } from "../kube/store.ts";
import type { NewObject } from "../kube/types.ts";
import { type CniSetup, eniConfigSubnets } from "./ec2Setup.ts";
import { joinNode, namespaceObject } from "./nodes.ts";
import type { Scenario } from "./scenario.ts";

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

/** The ENIConfig object of a declared one, as `kubectl get eniconfig -o json` shows it. */
function eniConfigObject(name: string, subnetId: string, securityGroups: string[]): NewObject {
  return {
    apiVersion: "crd.k8s.amazonaws.com/v1alpha1",
    kind: "ENIConfig",
    metadata: { name },
    spec: { subnet: subnetId, securityGroups },
  };
}

export function buildDeclared(ctx: BuildContext): void {
  const { scenario, store, state, cni } = ctx;
  for (const ns of systemNamespaces(scenario)) store.create("namespaces", namespaceObject(ns));
  for (const service of systemServices(scenario.system.corednsReplicas > 0))
    store.create("services", service);
  // Nodes go to the scenario's node subnets only; ENIConfig pod subnets hold pod ENIs.
  const nodeSubnets = [...state.subnets.values()].filter((subnet) =>
    scenario.subnets.some((s) => s.cidr === subnet.cidr && s.zone === subnet.zone),
  );
  const podSubnets = eniConfigSubnets(scenario, state);
  let securityGroups: string[] = [];
  for (const group of scenario.nodeGroups) {
    for (const subnet of nodeSubnets) {
      for (let i = 0; i < (group.perSubnet ?? 1); i++) {
        const joined = joinNode(ctx, group, subnet, cni.settings);
        // Pods take the node's security groups, as an ENIConfig usually repeats them.
        if (securityGroups.length === 0) {
          const primary = [...state.enis.values()].find(
            (e) => e.attachment?.instanceId === joined.instanceId,
          );
          securityGroups = primary?.groups.map((g) => g.id) ?? [];
        }
      }
    }
  }
  for (const e of scenario.eniConfigs ?? []) {
    const subnetId = podSubnets.get(e.name);
    if (subnetId) store.create("eniconfigs", eniConfigObject(e.name, subnetId, securityGroups));
  }
  // The VPC CNI add-on's ConfigMap, read by the VPC resource controller in the control plane (Windows IPAM).
  if (scenario.cni.configMap) {
    store.create("configmaps", {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "amazon-vpc-cni", namespace: "kube-system" },
      data: { ...scenario.cni.configMap },
    });
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
  // kOps installs a LimitRange that gives every container a 100m CPU request (limit-range.addons.k8s.io).
  if (scenario.provisioner === "kops") {
    store.create("limitranges", {
      apiVersion: "v1",
      kind: "LimitRange",
      metadata: { name: "limits", namespace: "default" },
      spec: { limits: [{ type: "Container", defaultRequest: { cpu: "100m" } }] },
    });
  }
  for (const d of scenario.deployments ?? []) {
    const spec = {
      namespace: d.namespace,
      name: d.name,
      labels: d.labels,
      containers: d.containers,
      ...(d.nodeSelector ? { nodeSelector: d.nodeSelector } : {}),
      ...(d.tolerations ? { tolerations: d.tolerations as Record<string, string>[] } : {}),
    };
    store.create("deployments", deploymentObject(spec, d.replicas));
  }
}
