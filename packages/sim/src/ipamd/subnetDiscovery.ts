// ENABLE_SUBNET_DISCOVERY (on by default since CNI v1.18): a new ENI goes to the subnet with the most free
// addresses among the node's own subnet and the subnets of its AZ tagged kubernetes.io/role/cni.
import type { Ec2State, SimInstance } from "../contracts.ts";
import { subnetAddresses } from "../ec2/subnetAddresses.ts";

export const CNI_SUBNET_TAG = "kubernetes.io/role/cni";

export function subnetForNewEni(state: Ec2State, instance: SimInstance): string {
  let best = instance.subnetId;
  let bestFree = subnetAddresses(state, best).available();
  for (const subnet of state.subnets.values()) {
    if (subnet.id === instance.subnetId || subnet.zone !== instance.zone || subnet.vpcId !== instance.vpcId)
      continue;
    if (subnet.tags[CNI_SUBNET_TAG] !== "1") continue;
    const free = subnetAddresses(state, subnet.id).available();
    if (free > bestFree) [best, bestFree] = [subnet.id, free];
  }
  return best;
}
