// A node a plan launches, as the node group would: the group's instance type (or the new one), the AZ and
// subnet with the fewest of the group's nodes (a replacement goes to the AZ of the node it replaces), and
// kubelet's max pods as the AMI computes it with the CNI settings aws-node runs with then, unless the group
// sets it (its nodes report a max pods the formula does not give).
import type { IpamdSettings } from "../awsNodeEnv.ts";
import { capacityFor } from "../capacity.ts";
import { nodeShape } from "../nodeShape.ts";
import type { ClusterIndex, GroupInfo, PlanNodeSpec } from "./clusterIndex.ts";

function formulaMaxPods(type: string, g: GroupInfo, prefixDelegation: boolean): number | null {
  try {
    return nodeShape(type, { prefixDelegation, provisioner: g.provisioner }).maxPods;
  } catch {
    const c = capacityFor(type, { prefixDelegation: g.provisioner === "kops" ? false : prefixDelegation });
    return c.maxPods === null ? null : g.provisioner === "kops" ? Math.min(110, c.maxPods) : c.maxPods;
  }
}

/** A group whose nodes report a max pods the AMI's formula would not give them has it set by hand. */
function explicitMaxPods(index: ClusterIndex, g: GroupInfo): number | null {
  if (g.explicitMaxPods !== null) return g.explicitMaxPods;
  const prefixDelegation = index.input.cni.prefixDelegation;
  for (const n of index.nodesOfGroup(g.name)) {
    if (n.instanceType === null || n.allocatablePods === null) continue;
    const formula = formulaMaxPods(n.instanceType, g, prefixDelegation);
    if (formula !== null && formula !== n.allocatablePods) {
      // Either PD's formula or the secondary-IP one: a node launched before a settings change is not "set".
      const other = formulaMaxPods(n.instanceType, g, !prefixDelegation);
      if (other !== n.allocatablePods) return n.allocatablePods;
    }
  }
  return null;
}

export function newNodeSpec(
  index: ClusterIndex,
  group: string,
  instanceType: string | undefined,
  replaces: string | null,
  settings: IpamdSettings,
  added: readonly PlanNodeSpec[],
  removed: ReadonlyMap<string, string | null>,
): PlanNodeSpec {
  const g = index.requireGroup(group);
  const type = instanceType ?? g.instanceType;
  const old = replaces === null ? undefined : index.nodes.get(replaces);
  let subnetId: string | null = old?.subnetId ?? null;
  if (subnetId === null) {
    const count = (s: string) =>
      [...index.nodes.values()].filter(
        (n) => n.group === group && n.subnetId === s && !removed.has(n.input.name),
      ).length + added.filter((a) => a.nodeGroup === group && a.subnetId === s).length;
    const zoneOf = (s: string) => index.subnets.get(s)?.zone ?? "";
    subnetId =
      [...g.subnets].sort((a, b) => count(a) - count(b) || zoneOf(a).localeCompare(zoneOf(b)))[0] ?? null;
  }
  const zone = (subnetId === null ? undefined : index.subnets.get(subnetId)?.zone) ?? old?.input.zone ?? null;
  const name = `${group}-planned-${added.length + 1}`;
  const maxPods = explicitMaxPods(index, g) ?? formulaMaxPods(type, g, settings.prefixDelegation) ?? 110;
  let cpuMilli = Number.POSITIVE_INFINITY;
  let memoryBytes = Number.POSITIVE_INFINITY;
  try {
    const shape = nodeShape(type, {
      prefixDelegation: settings.prefixDelegation,
      maxPods,
      provisioner: g.provisioner,
    });
    cpuMilli = shape.allocatableCpuMilli;
    memoryBytes = shape.allocatableMemoryKi * 1024;
  } catch {
    // The memory of this type is not in the table: take a running node's of the same type, else no limit.
    const twin = [...index.nodes.values()].find((n) => n.input.instanceType === type);
    cpuMilli = twin?.sched.cpuMilli ?? cpuMilli;
    memoryBytes = twin?.sched.memoryBytes ?? memoryBytes;
  }
  return {
    name,
    nodeGroup: group,
    instanceType: type,
    zone,
    subnetId,
    maxPods,
    cpuMilli,
    memoryBytes,
    labels: {
      ...g.labels,
      "kubernetes.io/hostname": name,
      "node.kubernetes.io/instance-type": type,
      ...(zone === null ? {} : { "topology.kubernetes.io/zone": zone }),
    },
    taints: g.taints,
    replaces,
  };
}
