// DescribeInstances: one reservation per instance (each node was its own RunInstances call), with the
// instance's ENIs nested as EC2 nests them.
import type { Ec2State, SimEni, SimInstance } from "../contracts.ts";
import { enisAttachedTo } from "./attachments.ts";
import { instanceNetworkInterfaceXml } from "./eniXml.ts";
import { Ec2Error } from "./errors.ts";
import type { FilterFields } from "./filters.ts";
import type { Params } from "./params.ts";
import { select, wellFormedId } from "./selection.ts";
import { el, list, node, tagSet } from "./xml.ts";

const stateCodes: Record<SimInstance["state"], number> = {
  pending: 0,
  running: 16,
  stopping: 64,
  stopped: 80,
  terminated: 48,
};

function instanceFilters(enisOf: (id: string) => SimEni[]): FilterFields<SimInstance> {
  return {
    fields: {
      "instance-id": (i) => i.id,
      "instance-type": (i) => i.instanceType,
      "availability-zone": (i) => i.zone,
      "instance-state-name": (i) => i.state,
      "instance-state-code": (i) => stateCodes[i.state],
      "vpc-id": (i) => i.vpcId,
      "subnet-id": (i) => i.subnetId,
      "image-id": (i) => i.imageId,
      "private-ip-address": (i) => i.privateIp,
      "private-dns-name": (i) => i.privateDnsName,
      "network-interface.network-interface-id": (i) => enisOf(i.id).map((e) => e.id),
      "network-interface.addresses.private-ip-address": (i) =>
        enisOf(i.id).flatMap((e) => [e.primaryIp, ...e.secondaryIps]),
    },
    tags: (i) => i.tags,
  };
}

/** Graviton families carry a "g" after the generation (m6g, c7gn, r8gd), and a1 is Arm too. */
function architecture(instanceType: string): string {
  return /^(a1|[a-z]+\d+g[a-z]*)\./.test(instanceType) ? "arm64" : "x86_64";
}

function instanceXml(i: SimInstance, enis: SimEni[], state: Ec2State): string {
  const primary = enis.find((e) => e.attachment?.deviceIndex === 0);
  return (
    el("instanceId", i.id) +
    el("imageId", i.imageId) +
    node("instanceState", el("code", stateCodes[i.state]), el("name", i.state)) +
    el("privateDnsName", i.privateDnsName) +
    el("dnsName", "") +
    el("amiLaunchIndex", 0) +
    el("instanceType", i.instanceType) +
    el("launchTime", i.launchTime) +
    node("placement", el("availabilityZone", i.zone), el("groupName", ""), el("tenancy", "default")) +
    node("monitoring", el("state", "disabled")) +
    el("subnetId", i.subnetId) +
    el("vpcId", i.vpcId) +
    el("privateIpAddress", i.privateIp) +
    el("ipv6Address", i.ipv6Address) +
    el("sourceDestCheck", true) +
    list("groupSet", primary?.groups ?? [], (g) => el("groupId", g.id) + el("groupName", g.name)) +
    el("architecture", architecture(i.instanceType)) +
    el("rootDeviceType", "ebs") +
    el("rootDeviceName", "/dev/xvda") +
    el("virtualizationType", "hvm") +
    tagSet(i.tags) +
    el("hypervisor", "xen") +
    list("networkInterfaceSet", enis, (e) => instanceNetworkInterfaceXml(e, state)) +
    el("ebsOptimized", false) +
    el("enaSupport", true)
  );
}

export function describeInstances(state: Ec2State, params: Params): string {
  const enisOf = (id: string) => enisAttachedTo(state, id);
  const page = select(params, {
    action: "DescribeInstances",
    idParam: "InstanceId",
    malformed: (id) =>
      wellFormedId(id, "i") ? null : new Ec2Error("InvalidInstanceID.Malformed", `Invalid id: "${id}"`),
    items: state.instances,
    key: (i) => i.id,
    filters: instanceFilters(enisOf),
    notFound: (missing) =>
      new Ec2Error(
        "InvalidInstanceID.NotFound",
        `The instance ID${missing.length > 1 ? "s" : ""} '${missing.join(", ")}' do${missing.length > 1 ? "" : "es"} not exist`,
      ),
  });
  return (
    list(
      "reservationSet",
      page.items,
      (i) =>
        el("reservationId", `r-${i.id.slice(2)}`) +
        el("ownerId", state.accountId) +
        list("groupSet", [], () => "") +
        list("instancesSet", [i], (x) => instanceXml(x, enisOf(x.id), state)),
    ) + el("nextToken", page.nextToken)
  );
}
