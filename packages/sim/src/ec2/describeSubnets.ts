// DescribeSubnets, with availableIpAddressCount from the subnet's address book.
import type { Ec2State, SimSubnet } from "../contracts.ts";
import { Ec2Error } from "./errors.ts";
import type { FilterFields } from "./filters.ts";
import type { Params } from "./params.ts";
import { select, wellFormedId } from "./selection.ts";
import { subnetAddresses } from "./subnetAddresses.ts";
import { el, list, node, tagSet } from "./xml.ts";

function subnetFilters(state: Ec2State): FilterFields<SimSubnet> {
  return {
    fields: {
      "subnet-id": (s) => s.id,
      "vpc-id": (s) => s.vpcId,
      "availability-zone": (s) => s.zone,
      "availability-zone-id": (s) => s.zoneId,
      "cidr-block": (s) => s.cidr,
      cidr: (s) => s.cidr,
      cidrBlock: (s) => s.cidr,
      state: () => "available",
      "default-for-az": () => false,
      "owner-id": () => state.accountId,
      "available-ip-address-count": (s) => subnetAddresses(state, s.id).available(),
    },
    tags: (s) => s.tags,
  };
}

function subnetXml(s: SimSubnet, state: Ec2State): string {
  return (
    el("subnetId", s.id) +
    el("subnetArn", `arn:aws:ec2:${state.region}:${state.accountId}:subnet/${s.id}`) +
    el("state", "available") +
    el("ownerId", state.accountId) +
    el("vpcId", s.vpcId) +
    el("cidrBlock", s.cidr) +
    list(
      "ipv6CidrBlockAssociationSet",
      s.ipv6Cidr === undefined ? [] : [s.ipv6Cidr],
      (cidr) =>
        el("associationId", `subnet-cidr-assoc-${s.id.slice("subnet-".length)}`) +
        el("ipv6CidrBlock", cidr) +
        node("ipv6CidrBlockState", el("state", "associated")),
    ) +
    el("availableIpAddressCount", subnetAddresses(state, s.id).available()) +
    el("availabilityZone", s.zone) +
    el("availabilityZoneId", s.zoneId) +
    el("defaultForAz", false) +
    el("mapPublicIpOnLaunch", false) +
    el("assignIpv6AddressOnCreation", s.ipv6Cidr !== undefined) +
    tagSet(s.tags)
  );
}

export function describeSubnets(state: Ec2State, params: Params): string {
  const page = select(params, {
    action: "DescribeSubnets",
    idParam: "SubnetId",
    malformed: (id) =>
      wellFormedId(id, "subnet") ? null : new Ec2Error("InvalidSubnetID.Malformed", `Invalid id: "${id}"`),
    items: state.subnets,
    key: (s) => s.id,
    filters: subnetFilters(state),
    notFound: (missing) =>
      new Ec2Error("InvalidSubnetID.NotFound", `The subnet ID '${missing.join(", ")}' does not exist`),
  });
  return list("subnetSet", page.items, (s) => subnetXml(s, state)) + el("nextToken", page.nextToken);
}
