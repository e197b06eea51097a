// EC2 objects -> model inputs. Accepts the PascalCase shape that both `aws ec2 ... --output json` and the
// AWS SDK v3 return (timestamps as strings or Dates). Copies only what the model reads: no tags beyond
// the CNI's own, no security groups, no owner ids.

import type {
  CidrReservationInput,
  EniInput,
  EniInterfaceType,
  Hypervisor,
  InstanceInput,
  InstanceTypeFacts,
  SubnetInput,
} from "@eni-view/model";
import { parseIpv4Cidr } from "@eni-view/model";
import { gotOf, type MappingReason } from "../mappingReason.ts";

/** An EC2 object that cannot be read as what was expected; `path` says where in it. */
export class Ec2MappingError extends Error {
  readonly code = "bad-ec2-object";
  readonly path: string;
  /** The message's form and parts, for saying it in another language. */
  readonly reason: MappingReason;
  constructor(path: string, message: string, reason: MappingReason) {
    super(`${path}: ${message}`);
    this.name = "Ec2MappingError";
    this.path = path;
    this.reason = reason;
  }
}

type Json = Record<string, unknown>;

const missing: MappingReason = { form: "missing", values: {} };

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function object(value: unknown, path: string): Json {
  if (!isObject(value))
    throw new Ec2MappingError(path, `expected an object, got ${describe(value)}`, {
      form: "not-object",
      values: gotOf(value),
    });
  return value;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "string" ? `"${value.slice(0, 40)}"` : typeof value;
}

function requiredString(o: Json, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== "string" || v === "")
    throw new Ec2MappingError(`${path}.${key}`, `missing (got ${describe(v)})`, {
      form: "missing-got",
      values: gotOf(v),
    });
  return v;
}

function optionalString(o: Json | undefined, key: string): string | null {
  const v = o?.[key];
  return typeof v === "string" && v !== "" ? v : null;
}

function optionalNumber(o: Json | undefined, key: string): number | null {
  const v = o?.[key];
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

/** Dates and date strings as ISO 8601 UTC; text that is not a date is kept as it is. */
export function isoTime(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value !== "string" || value === "") return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? value : new Date(t).toISOString();
}

function tags(o: Json, key: "TagSet" | "Tags"): Map<string, string> {
  const out = new Map<string, string>();
  const list = o[key];
  if (!Array.isArray(list)) return out;
  for (const t of list) {
    if (isObject(t) && typeof t.Key === "string" && typeof t.Value === "string") out.set(t.Key, t.Value);
  }
  return out;
}

const interfaceTypes: Record<string, EniInterfaceType> = {
  interface: "interface",
  trunk: "trunk",
  branch: "branch",
  efa: "efa",
  "efa-only": "efa-only",
};

// Tags the VPC CNI and the VPC resource controller put on the ENIs they create (CNI awsutils.go, RC).
const TAG_INSTANCE_ID = "node.k8s.amazonaws.com/instance_id";
const TAG_CREATED_AT = "node.k8s.amazonaws.com/createdAt";
const TAG_NO_MANAGE = "node.k8s.amazonaws.com/no_manage";
const TAG_TRUNK = "vpcresources.k8s.aws/trunk-eni-id";

/** One item of DescribeNetworkInterfaces' NetworkInterfaces. */
export function eniFromEc2(raw: unknown, path = "NetworkInterface"): EniInput {
  const o = object(raw, path);
  const id = requiredString(o, "NetworkInterfaceId", path);
  const tagMap = tags(o, "TagSet");
  const attachment = isObject(o.Attachment) ? o.Attachment : undefined;
  const secondaryIps: string[] = [];
  let primaryIp = optionalString(o, "PrivateIpAddress");
  if (Array.isArray(o.PrivateIpAddresses)) {
    for (const a of o.PrivateIpAddresses) {
      if (!isObject(a) || typeof a.PrivateIpAddress !== "string") continue;
      if (a.Primary === true) primaryIp = a.PrivateIpAddress;
      else secondaryIps.push(a.PrivateIpAddress);
    }
  }
  const prefixes: string[] = [];
  if (Array.isArray(o.Ipv4Prefixes)) {
    for (const p of o.Ipv4Prefixes)
      if (isObject(p) && typeof p.Ipv4Prefix === "string") prefixes.push(p.Ipv4Prefix);
  }
  const ipv6Addresses: string[] = [];
  if (Array.isArray(o.Ipv6Addresses)) {
    for (const a of o.Ipv6Addresses)
      if (isObject(a) && typeof a.Ipv6Address === "string") ipv6Addresses.push(a.Ipv6Address);
  }
  const ipv6Prefixes: string[] = [];
  if (Array.isArray(o.Ipv6Prefixes)) {
    for (const p of o.Ipv6Prefixes)
      if (isObject(p) && typeof p.Ipv6Prefix === "string") ipv6Prefixes.push(p.Ipv6Prefix);
  }
  const rawType = optionalString(o, "InterfaceType") ?? "interface";
  const description = optionalString(o, "Description") ?? "";
  const tagInstanceId = tagMap.get(TAG_INSTANCE_ID) ?? null;
  return {
    id,
    subnetId: requiredString(o, "SubnetId", path),
    vpcId: optionalString(o, "VpcId"),
    zone: optionalString(o, "AvailabilityZone"),
    status: optionalString(o, "Status") ?? "unknown",
    interfaceType: interfaceTypes[rawType] ?? "other",
    description,
    instanceId: optionalString(attachment, "InstanceId"),
    deviceIndex: optionalNumber(attachment, "DeviceIndex"),
    networkCardIndex: optionalNumber(attachment, "NetworkCardIndex") ?? 0,
    attachmentStatus: optionalString(attachment, "Status"),
    attachTime: isoTime(attachment?.AttachTime),
    primaryIp,
    secondaryIps,
    prefixes,
    ...(ipv6Addresses.length > 0 ? { ipv6Addresses } : {}),
    ...(ipv6Prefixes.length > 0 ? { ipv6Prefixes } : {}),
    noManage: tagMap.get(TAG_NO_MANAGE)?.toLowerCase() === "true",
    cniManaged: description.startsWith("aws-K8S-") || tagInstanceId !== null,
    requesterManaged: o.RequesterManaged === true,
    createdAt: isoTime(tagMap.get(TAG_CREATED_AT)),
    tagInstanceId,
    trunkEniId: tagMap.get(TAG_TRUNK) ?? null,
    ...(interfaceTypes[rawType] === undefined ? { typeName: rawType } : {}),
    ...(typeof o.RequesterId === "string" && o.RequesterId !== "" ? { requesterId: o.RequesterId } : {}),
  };
}

/** One item of GetSubnetCidrReservations' SubnetIpv4CidrReservations. */
export function cidrReservationFromEc2(raw: unknown, path = "SubnetCidrReservation"): CidrReservationInput {
  const o = object(raw, path);
  const type = o.ReservationType;
  if (type !== "prefix" && type !== "explicit") {
    throw new Ec2MappingError(
      `${path}.ReservationType`,
      `expected prefix or explicit, got ${describe(type)}`,
      {
        form: "not-reservation-type",
        values: gotOf(type),
      },
    );
  }
  return {
    id: requiredString(o, "SubnetCidrReservationId", path),
    subnetId: requiredString(o, "SubnetId", path),
    cidr: requiredString(o, "Cidr", path),
    type,
    description: optionalString(o, "Description") ?? "",
  };
}

/** One instance of DescribeInstances' Reservations[].Instances[]. */
export function instanceFromEc2(raw: unknown, path = "Instance"): InstanceInput {
  const o = object(raw, path);
  const placement = isObject(o.Placement) ? o.Placement : undefined;
  const state = isObject(o.State) ? o.State : undefined;
  return {
    id: requiredString(o, "InstanceId", path),
    instanceType: requiredString(o, "InstanceType", path),
    zone: optionalString(placement, "AvailabilityZone"),
    state: optionalString(state, "Name") ?? "unknown",
    privateIp: optionalString(o, "PrivateIpAddress"),
    privateDnsName: optionalString(o, "PrivateDnsName"),
    subnetId: optionalString(o, "SubnetId"),
    vpcId: optionalString(o, "VpcId"),
  };
}

/** One item of DescribeSubnets' Subnets. */
export function subnetFromEc2(raw: unknown, path = "Subnet"): SubnetInput {
  const o = object(raw, path);
  const tagMap = tags(o, "Tags");
  const available = o.AvailableIpAddressCount;
  if (typeof available !== "number") {
    throw new Ec2MappingError(`${path}.AvailableIpAddressCount`, `missing (got ${describe(available)})`, {
      form: "missing-got",
      values: gotOf(available),
    });
  }
  const id = requiredString(o, "SubnetId", path);
  const cidr = requiredString(o, "CidrBlock", path);
  // A subnet's size, free addresses and every address on the page come from its CIDR block.
  if (parseIpv4Cidr(cidr) === null) {
    throw new Ec2MappingError(
      `${path}.CidrBlock`,
      `subnet ${id}: ${JSON.stringify(cidr.slice(0, 40))} is not an IPv4 CIDR block such as 192.168.0.0/19`,
      { form: "not-cidr", values: { id, cidr: JSON.stringify(cidr.slice(0, 40)) } },
    );
  }
  return {
    id,
    vpcId: optionalString(o, "VpcId"),
    cidr,
    zone: optionalString(o, "AvailabilityZone"),
    availableIps: available,
    name: tagMap.get("Name") ?? null,
    // The CNI's subnet discovery (ENABLE_SUBNET_DISCOVERY) puts new ENIs in subnets with this tag key.
    ...(tagMap.has("kubernetes.io/role/cni") ? { cniDiscovery: true } : {}),
  };
}

const hypervisors: Record<string, Hypervisor> = { nitro: "nitro", xen: "xen" };

/** One item of DescribeInstanceTypes' InstanceTypes. */
export function instanceTypeFromEc2(raw: unknown, path = "InstanceType"): InstanceTypeFacts {
  const o = object(raw, path);
  const network = object(o.NetworkInfo, `${path}.NetworkInfo`);
  const vcpu = isObject(o.VCpuInfo) ? o.VCpuInfo : undefined;
  const defaultCard = optionalNumber(network, "DefaultNetworkCardIndex") ?? 0;
  const ipv4PerEni = optionalNumber(network, "Ipv4AddressesPerInterface");
  if (ipv4PerEni === null)
    throw new Ec2MappingError(`${path}.NetworkInfo.Ipv4AddressesPerInterface`, "missing", missing);
  // With several network cards, only the default card's ENIs are the CNI's (unless ENABLE_MULTI_NIC).
  let maxEnis = optionalNumber(network, "MaximumNetworkInterfaces");
  if (Array.isArray(network.NetworkCards)) {
    for (const card of network.NetworkCards) {
      if (isObject(card) && card.NetworkCardIndex === defaultCard) {
        maxEnis = optionalNumber(card, "MaximumNetworkInterfaces") ?? maxEnis;
      }
    }
  }
  if (maxEnis === null)
    throw new Ec2MappingError(`${path}.NetworkInfo.MaximumNetworkInterfaces`, "missing", missing);
  return {
    instanceType: requiredString(o, "InstanceType", path),
    vcpus: optionalNumber(vcpu, "DefaultVCpus"),
    hypervisor: hypervisors[optionalString(o, "Hypervisor") ?? ""] ?? "unknown",
    bareMetal: o.BareMetal === true,
    maxEnis,
    ipv4PerEni,
    defaultNetworkCardIndex: defaultCard,
    networkCards: optionalNumber(network, "MaximumNetworkCards") ?? 1,
    branchEnis: null,
    trunkingCompatible: null,
  };
}
