// DescribeSubnets, with availableIpAddressCount from the subnet's address book.
import type { Ec2State, SimSubnet } from "../contracts.ts";
import { Ec2Error } from "./errors.ts";
import { compileFilters, type FilterFields } from "./filters.ts";
import { byKey, paginate } from "./paginate.ts";
import { filtersParam, listParam, maxResultsParam, type Params, refuseIdsWithMaxResults } from "./params.ts";
import { subnetAddresses } from "./subnetAddresses.ts";
import { el, list, tagSet } from "./xml.ts";

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
    list("ipv6CidrBlockAssociationSet", [], () => "") +
    el("availableIpAddressCount", subnetAddresses(state, s.id).available()) +
    el("availabilityZone", s.zone) +
    el("availabilityZoneId", s.zoneId) +
    el("defaultForAz", false) +
    el("mapPublicIpOnLaunch", false) +
    el("assignIpv6AddressOnCreation", false) +
    tagSet(s.tags)
  );
}

export function describeSubnets(state: Ec2State, params: Params): string {
  const ids = listParam(params, "SubnetId");
  const filters = filtersParam(params);
  const maxResults = maxResultsParam(params, 5, 1000);
  refuseIdsWithMaxResults(ids, "SubnetId", maxResults);
  let subnets: SimSubnet[];
  if (ids.length > 0) {
    const missing = ids.filter((id) => !state.subnets.has(id));
    if (missing.length > 0) {
      throw new Ec2Error("InvalidSubnetID.NotFound", `The subnet ID '${missing.join(", ")}' does not exist`);
    }
    subnets = [...new Set(ids)].map((id) => state.subnets.get(id) as SimSubnet);
  } else {
    subnets = [...state.subnets.values()].sort(byKey((s) => s.id));
  }
  const matches = compileFilters(filters, subnetFilters(state));
  const page = paginate(
    subnets.filter(matches),
    (s) => s.id,
    maxResults,
    params.get("NextToken"),
    "DescribeSubnets",
  );
  return list("subnetSet", page.items, (s) => subnetXml(s, state)) + el("nextToken", page.nextToken);
}
