// DescribeNetworkInterfaces: every ENI of the simulated VPC, by id or by filter, paged with MaxResults.
import type { Ec2State, SimEni } from "../contracts.ts";
import { networkInterfaceXml } from "./eniXml.ts";
import { Ec2Error } from "./errors.ts";
import type { FilterFields } from "./filters.ts";
import type { Params } from "./params.ts";
import { select, wellFormedId } from "./selection.ts";
import { el, list } from "./xml.ts";

const eniFilters: FilterFields<SimEni> = {
  fields: {
    "network-interface-id": (e) => e.id,
    "attachment.instance-id": (e) => e.attachment?.instanceId,
    "attachment.device-index": (e) => e.attachment?.deviceIndex,
    "attachment.attachment-id": (e) => e.attachment?.id,
    "attachment.status": (e) => e.attachment?.status,
    "attachment.network-card-index": (e) => e.attachment?.networkCardIndex,
    "attachment.delete-on-termination": (e) => e.attachment?.deleteOnTermination,
    "vpc-id": (e) => e.vpcId,
    "subnet-id": (e) => e.subnetId,
    "availability-zone": (e) => e.zone,
    status: (e) => e.status,
    description: (e) => e.description,
    "interface-type": (e) => e.interfaceType,
    "mac-address": (e) => e.macAddress,
    "owner-id": (e) => e.ownerId,
    "requester-managed": (e) => e.requesterManaged,
    "source-dest-check": (e) => e.sourceDestCheck,
    "private-ip-address": (e) => [e.primaryIp, ...e.secondaryIps],
    "addresses.private-ip-address": (e) => [e.primaryIp, ...e.secondaryIps],
    "addresses.primary": (e) => [true, ...e.secondaryIps.map(() => false)],
    "private-dns-name": (e) => e.privateDnsName,
    "ipv4-prefix": (e) => e.prefixes,
    "group-id": (e) => e.groups.map((g) => g.id),
    "group-name": (e) => e.groups.map((g) => g.name),
  },
  tags: (e) => e.tags,
};

export function describeNetworkInterfaces(state: Ec2State, params: Params): string {
  const page = select(params, {
    action: "DescribeNetworkInterfaces",
    idParam: "NetworkInterfaceId",
    malformed: (id) =>
      wellFormedId(id, "eni")
        ? null
        : new Ec2Error("InvalidNetworkInterfaceID.Malformed", `Invalid id: "${id}" (expecting "eni-...")`),
    items: state.enis,
    key: (e) => e.id,
    filters: eniFilters,
    notFound: (missing) =>
      new Ec2Error(
        "InvalidNetworkInterfaceID.NotFound",
        `The networkInterface ID${missing.length > 1 ? "s" : ""} '${missing.join(", ")}' does not exist`,
      ),
  });
  return (
    list("networkInterfaceSet", page.items, (e) => networkInterfaceXml(e, state)) +
    el("nextToken", page.nextToken)
  );
}
