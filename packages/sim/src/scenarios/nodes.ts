// Bringing up a node: EC2 RunInstances through the PodNetwork, the Node and its Lease in the API, and
// the node's IPAMD.

import { kindCapacity, type NodeShape, nodeShape } from "@eni-view/model";
import { leaseObject, nodeNameFor, nodeObject } from "../cluster/nodeObject.ts";
import type { Ec2State, PodNetwork, SimRandom, SimSubnet } from "../contracts.ts";
import type { EventRecorder } from "../controllers/events.ts";
import { kubeTime, type ObjectStore } from "../kube/store.ts";
import type { KubeObject, NewObject } from "../kube/types.ts";
import { uuid } from "../random.ts";
import { eniConfigSubnets } from "./ec2Setup.ts";
import { attachEfaInterfaces } from "./efa.ts";
import type { NodeGroupDecl, Scenario } from "./scenario.ts";

export interface LaunchedNode {
  name: string;
  instanceId: string;
  group: NodeGroupDecl;
  maxPods: number;
  internalIp: string;
  node: NewObject;
  lease: NewObject;
}

export function launchNode(
  scenario: Scenario,
  network: PodNetwork,
  random: SimRandom,
  group: NodeGroupDecl,
  subnet: SimSubnet,
  prefixDelegation: boolean,
  now: number,
): LaunchedNode {
  const windows = group.os === "windows";
  const shape = groupNodeShape(group, prefixDelegation, scenario.provisioner ?? "eks");
  const kops = scenario.provisioner === "kops";
  const instance = network.launchInstance({
    instanceType: group.instanceType,
    zone: subnet.zone,
    subnetId: subnet.id,
    tags: kops
      ? {
          Name: `${group.name}.${scenario.clusterName}`,
          KubernetesCluster: scenario.clusterName,
          "kops.k8s.io/instancegroup": group.name,
          "k8s.io/role/node": "1",
          [`kubernetes.io/cluster/${scenario.clusterName}`]: "owned",
          "aws:autoscaling:groupName": `${group.name}.${scenario.clusterName}`,
        }
      : {
          Name: `${scenario.clusterName}-${group.name}-Node`,
          "eks:cluster-name": scenario.clusterName,
          "eks:nodegroup-name": group.name,
          [`kubernetes.io/cluster/${scenario.clusterName}`]: "owned",
          "aws:autoscaling:groupName": `eks-${group.name}-${random.hex(8)}`,
        },
  });
  const createdAt = kubeTime(now);
  const name = nodeNameFor(instance.privateIp, scenario.region);
  return {
    name,
    instanceId: instance.id,
    group,
    maxPods: shape.maxPods,
    internalIp: instance.ipv6Address ?? instance.privateIp,
    node: nodeObject({
      instance,
      shape,
      region: scenario.region,
      zoneId: subnet.zoneId,
      nodeGroup: group.name,
      provisioner: scenario.provisioner ?? "eks",
      capacityType: group.capacityType ?? "ON_DEMAND",
      ...(group.labels ? { extraLabels: group.labels } : {}),
      ...(windows ? { os: "windows" as const } : {}),
      ...(group.taints ? { taints: group.taints } : {}),
      systemUuid: `ec2${uuid(random).slice(3)}`,
      bootId: uuid(random),
      createdAt,
    }),
    lease: leaseObject(name, createdAt),
  };
}

/** A new node of the group as its provisioner shapes it. The VPC CNI's prefix delegation is Linux's: a Windows
 * node's max pods is its primary ENI's IPv4 addresses less its own (EKS user guide, Windows support), as the
 * model's Windows node kind computes it (m5.large: 10 - 1 = 9). */
export function groupNodeShape(
  group: NodeGroupDecl,
  prefixDelegation: boolean,
  provisioner: "eks" | "kops",
): NodeShape {
  const windows = group.os === "windows";
  return nodeShape(group.instanceType, {
    prefixDelegation: prefixDelegation && !windows,
    maxPods:
      group.maxPods ??
      (windows ? kindCapacity(group.instanceType, { kind: "windows", ipv6: false }).maxPods : null),
    memoryMiB: group.memoryMiB ?? null,
    provisioner,
  });
}

export function namespaceObject(name: string): NewObject {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name, labels: { "kubernetes.io/metadata.name": name } },
    spec: { finalizers: ["kubernetes"] },
    status: { phase: "Active" },
  };
}

/** The label (ENIConfig's default key) naming the ENIConfig a node uses. */
export const ENI_CONFIG_LABEL = "k8s.amazonaws.com/eniConfig";

/** The CNINode features aws-node adds at start (ipamd.go nodeInit): CustomNetworking (naming the node's
 * ENIConfig) only when security groups for pods is on too, and SecurityGroupsForPods when there is a free
 * ENI slot for the trunk. */
export function cniNodeFeatures(
  cni: { podEni?: boolean; customNetworking: boolean },
  eniConfig: string | null,
  roomForTrunk: boolean,
): { name: string; value?: string }[] {
  if (!cni.podEni) return [];
  return [
    ...(cni.customNetworking && eniConfig !== null ? [{ name: "CustomNetworking", value: eniConfig }] : []),
    ...(roomForTrunk ? [{ name: "SecurityGroupsForPods" }] : []),
  ];
}

/** The CNINode the VPC resource controller keeps per node. */
export function cniNodeObject(nodeName: string, features: { name: string; value?: string }[]): NewObject {
  return {
    apiVersion: "vpcresources.k8s.aws/v1alpha1",
    kind: "CNINode",
    metadata: { name: nodeName },
    spec: { features },
  };
}

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

export interface NodeJoinContext {
  scenario: Scenario;
  store: ObjectStore;
  state: Ec2State;
  network: PodNetwork;
  random: SimRandom;
  events: EventRecorder;
}

/** A new node of a group joins: instance, Node and Lease, its IPAMD (its ENIConfig's subnet under custom
 * networking) and CNINode. `waitForAwsNode`: IPAMD starts only once aws-node runs there, as on a node
 * that boots into a running cluster. */
export function joinNode(
  ctx: NodeJoinContext,
  group: NodeGroupDecl,
  subnet: SimSubnet,
  cni: { prefixDelegation: boolean; customNetworking: boolean; podEni?: boolean },
  waitForAwsNode = false,
): { node: KubeObject; instanceId: string } {
  const { scenario, store, network } = ctx;
  const eniConfig = scenario.eniConfigs?.find((e) => e.zone === subnet.zone)?.name ?? null;
  const launchGroup =
    eniConfig === null ? group : { ...group, labels: { ...group.labels, [ENI_CONFIG_LABEL]: eniConfig } };
  const n = launchNode(
    scenario,
    network,
    ctx.random,
    launchGroup,
    subnet,
    cni.prefixDelegation,
    store.clock.now(),
  );
  if (group.efaInterfaces) {
    const instance = ctx.state.instances.get(n.instanceId)!;
    attachEfaInterfaces(ctx.state, ctx.random, instance, group.efaInterfaces, store.clock.now());
  }
  const node = store.create("nodes", n.node);
  recordNodeStart(ctx.events, node);
  store.create("leases", n.lease);
  const eniSubnetId =
    cni.customNetworking && eniConfig !== null
      ? eniConfigSubnets(scenario, ctx.state).get(eniConfig)
      : undefined;
  // A Windows node runs no aws-node and so no IPAMD: the VPC resource controller in the control plane
  // manages its primary ENI's IPs (controllers/windowsIpam.ts).
  if (group.os !== "windows")
    network.startNode(
      {
        nodeName: n.name,
        instanceId: n.instanceId,
        maxPods: n.maxPods,
        cordoned: false,
        ...(eniSubnetId ? { eniSubnetId } : {}),
      },
      waitForAwsNode,
    );
  if (scenario.cniNodes)
    store.create("cninodes", cniNodeObject(n.name, cniNodeFeatures(cni, eniConfig, true)));
  return { node, instanceId: n.instanceId };
}
