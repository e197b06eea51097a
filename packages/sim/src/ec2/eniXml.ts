// An ENI as EC2 writes it: the `networkInterfaceSet` item of DescribeNetworkInterfaces, and the
// slimmer one inside DescribeInstances (no tags, an attachment without the instance id).
import type { Ec2State, SimEni } from "../contracts.ts";
import { privateDnsName } from "./ids.ts";
import { el, list, node, tagSet } from "./xml.ts";

function addresses(eni: SimEni, region: string): string {
  const all = [
    { ip: eni.primaryIp, primary: true },
    ...eni.secondaryIps.map((ip) => ({ ip, primary: false })),
  ];
  return list(
    "privateIpAddressesSet",
    all,
    (a) =>
      el("privateIpAddress", a.ip) +
      el("privateDnsName", privateDnsName(a.ip, region)) +
      el("primary", a.primary),
  );
}

function common(eni: SimEni): string {
  return (
    el("networkInterfaceId", eni.id) +
    el("subnetId", eni.subnetId) +
    el("vpcId", eni.vpcId) +
    el("description", eni.description) +
    el("ownerId", eni.ownerId) +
    el("requesterId", eni.requesterId) +
    el("requesterManaged", eni.requesterManaged) +
    el("status", eni.status) +
    el("macAddress", eni.macAddress) +
    el("privateIpAddress", eni.primaryIp) +
    el("privateDnsName", eni.privateDnsName) +
    el("sourceDestCheck", eni.sourceDestCheck) +
    list("groupSet", eni.groups, (g) => el("groupId", g.id) + el("groupName", g.name))
  );
}

function tail(eni: SimEni, state: Ec2State): string {
  return (
    addresses(eni, state.region) +
    list("ipv4PrefixSet", eni.prefixes, (p) => el("ipv4Prefix", p)) +
    list(
      "ipv6AddressesSet",
      eni.ipv6Addresses ?? [],
      (a) => el("ipv6Address", a) + el("isPrimaryIpv6", false),
    ) +
    list("ipv6PrefixSet", eni.ipv6Prefixes ?? [], (p) => el("ipv6Prefix", p)) +
    el("interfaceType", eni.interfaceType)
  );
}

/** DescribeInstances' nested attachment leaves out the instance it is nested in. */
function attachmentXml(eni: SimEni, ownerId: string | null): string {
  const a = eni.attachment;
  if (a === null) return "";
  return node(
    "attachment",
    el("attachmentId", a.id),
    ownerId === null ? "" : el("instanceId", a.instanceId) + el("instanceOwnerId", ownerId),
    el("deviceIndex", a.deviceIndex),
    el("networkCardIndex", a.networkCardIndex),
    el("status", a.status),
    el("attachTime", a.attachTime),
    el("deleteOnTermination", a.deleteOnTermination),
  );
}

export function networkInterfaceXml(eni: SimEni, state: Ec2State): string {
  return (
    common(eni) +
    el("availabilityZone", eni.zone) +
    attachmentXml(eni, state.accountId) +
    tagSet(eni.tags) +
    tail(eni, state)
  );
}

/** InstanceNetworkInterface: what DescribeInstances nests; EC2 gives it no tags. */
export function instanceNetworkInterfaceXml(eni: SimEni, state: Ec2State): string {
  return common(eni) + attachmentXml(eni, null) + tail(eni, state);
}
