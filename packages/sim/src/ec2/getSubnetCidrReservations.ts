// GetSubnetCidrReservations: the CIDR reservations of one subnet (SubnetId is required, as in EC2), by
// filter (reservationType, subnet-id, owner-id, tags), paged with MaxResults. IPv4 only: the simulated VPC
// has no IPv6.
import type { Ec2State, SimCidrReservation } from "../contracts.ts";
import { Ec2Error } from "./errors.ts";
import type { Params } from "./params.ts";
import { select } from "./selection.ts";
import { el, list, tagSet } from "./xml.ts";

export function getSubnetCidrReservations(state: Ec2State, params: Params): string {
  const subnetId = params.get("SubnetId");
  if (subnetId === undefined || subnetId === "") {
    throw new Ec2Error("MissingParameter", "The request must contain the parameter SubnetId");
  }
  if (!state.subnets.has(subnetId)) {
    throw new Ec2Error("InvalidSubnetID.NotFound", `The subnet ID '${subnetId}' does not exist`);
  }
  const mine = new Map<string, SimCidrReservation>();
  for (const r of state.cidrReservations?.values() ?? []) if (r.subnetId === subnetId) mine.set(r.id, r);
  const page = select(params, {
    action: "GetSubnetCidrReservations",
    // No id list in this action: the parameter never appears, so every reservation of the subnet is a candidate.
    idParam: "SubnetCidrReservationId",
    items: mine,
    key: (r) => r.id,
    filters: {
      fields: {
        reservationType: (r) => r.type,
        "subnet-id": (r) => r.subnetId,
        "owner-id": () => state.accountId,
      },
      tags: () => ({}),
    },
    notFound: (missing) =>
      new Ec2Error("InvalidSubnetCidrReservationID.NotFound", `'${missing.join(", ")}' does not exist`),
  });
  return (
    list(
      "subnetIpv4CidrReservationSet",
      page.items,
      (r) =>
        el("subnetCidrReservationId", r.id) +
        el("subnetId", r.subnetId) +
        el("cidr", r.cidr) +
        el("reservationType", r.type) +
        el("ownerId", state.accountId) +
        el("description", r.description) +
        tagSet({}),
    ) +
    list("subnetIpv6CidrReservationSet", [], () => "") +
    el("nextToken", page.nextToken)
  );
}
