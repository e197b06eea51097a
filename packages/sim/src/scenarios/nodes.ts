// Bringing up a node: EC2 RunInstances through the PodNetwork, the Node and its Lease in the API, and
// the node's IPAMD.

import { leaseObject, nodeNameFor, nodeObject } from "../cluster/nodeObject.ts";
import { nodeShape } from "../cluster/nodeShape.ts";
import type { PodNetwork, SimRandom, SimSubnet } from "../contracts.ts";
import { kubeTime } from "../kube/store.ts";
import type { NewObject } from "../kube/types.ts";
import { uuid } from "../random.ts";
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
  const shape = nodeShape(group.instanceType, {
    prefixDelegation,
    maxPods: group.maxPods ?? null,
    memoryMiB: group.memoryMiB ?? null,
  });
  const instance = network.launchInstance({
    instanceType: group.instanceType,
    zone: subnet.zone,
    subnetId: subnet.id,
    tags: {
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
    internalIp: instance.privateIp,
    node: nodeObject({
      instance,
      shape,
      region: scenario.region,
      zoneId: subnet.zoneId,
      nodeGroup: group.name,
      capacityType: group.capacityType ?? "ON_DEMAND",
      ...(group.labels ? { extraLabels: group.labels } : {}),
      systemUuid: `ec2${uuid(random).slice(3)}`,
      bootId: uuid(random),
      createdAt,
    }),
    lease: leaseObject(name, createdAt),
  };
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
