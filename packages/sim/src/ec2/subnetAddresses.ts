// The address book of each subnet of a simulated EC2 state (the model's SubnetAddresses), built from the
// ENIs already there on first use.
import { SubnetAddresses } from "@eni-view/model";
import type { Ec2State } from "../contracts.ts";

export { InsufficientAddressesError, SubnetAddresses } from "@eni-view/model";

const registries = new WeakMap<Ec2State, Map<string, SubnetAddresses>>();

/** The address book of one subnet of this EC2 state, built from the ENIs already there on first use. */
export function subnetAddresses(state: Ec2State, subnetId: string): SubnetAddresses {
  let registry = registries.get(state);
  if (registry === undefined) {
    registry = new Map();
    registries.set(state, registry);
  }
  const known = registry.get(subnetId);
  if (known !== undefined) return known;
  const subnet = state.subnets.get(subnetId);
  if (subnet === undefined) throw new RangeError(`no subnet ${subnetId} in the simulated VPC`);
  const reservations = [...(state.cidrReservations?.values() ?? [])].filter((r) => r.subnetId === subnetId);
  const book = new SubnetAddresses(subnetId, subnet.cidr, reservations);
  for (const eni of state.enis.values()) {
    if (eni.subnetId !== subnetId) continue;
    book.claim(eni.primaryIp);
    for (const ip of eni.secondaryIps) book.claim(ip);
    for (const prefix of eni.prefixes) book.claimPrefix(prefix);
  }
  registry.set(subnetId, book);
  return book;
}
