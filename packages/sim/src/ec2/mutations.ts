// The EC2 calls the VPC CNI makes, applied to the shared EC2 state in-process: RunInstances for a node,
// Create/Attach/Detach/DeleteNetworkInterface, Assign/UnassignPrivateIpAddresses (IPs or /28 prefixes).
// Each keeps the subnet's address book in step, so DescribeSubnets' free count stays right.
import type { Ec2State, LaunchSpec, SimEni, SimInstance, SimRandom } from "../contracts.ts";
import { forgetEni, recordAttachment } from "./attachments.ts";
import { macAddress, privateDnsName, resourceId } from "./ids.ts";
import { ipv6AddressIn, ipv6PrefixIn } from "./ipv6.ts";
import { subnetAddresses } from "./subnetAddresses.ts";

export interface SecurityGroup {
  id: string;
  name: string;
}

function subnetOf(state: Ec2State, subnetId: string) {
  const subnet = state.subnets.get(subnetId);
  if (subnet === undefined) throw new RangeError(`no subnet ${subnetId} in the simulated VPC`);
  return subnet;
}

export function runInstance(
  state: Ec2State,
  random: SimRandom,
  spec: LaunchSpec,
  extra: { imageId: string; group: SecurityGroup; now: number },
): SimInstance {
  const subnet = subnetOf(state, spec.subnetId);
  if (subnet.zone !== spec.zone) {
    throw new RangeError(`subnet ${subnet.id} is in ${subnet.zone}, not in ${spec.zone}`);
  }
  const [ip] = subnetAddresses(state, subnet.id).allocate(1, random) as [string];
  const id = resourceId(random, "i");
  // An IPv6 subnet (auto-assign IPv6 on, as EKS asks of an IPv6 cluster's subnets) gives the launch ENI an address.
  const ipv6 = subnet.ipv6Cidr === undefined ? undefined : ipv6AddressIn(state, random, subnet);
  const launchTime = new Date(extra.now).toISOString();
  const eni: SimEni = {
    id: resourceId(random, "eni"),
    subnetId: subnet.id,
    vpcId: subnet.vpcId,
    zone: subnet.zone,
    // The launch ENI keeps the (empty) description RunInstances gave it; only CNI-made ENIs say aws-K8S-.
    description: "",
    status: "in-use",
    interfaceType: "interface",
    macAddress: macAddress(random),
    ownerId: state.accountId,
    requesterManaged: false,
    sourceDestCheck: true,
    groups: [extra.group],
    attachment: {
      id: resourceId(random, "eni-attach"),
      instanceId: id,
      deviceIndex: 0,
      networkCardIndex: 0,
      status: "attached",
      attachTime: launchTime,
      deleteOnTermination: true,
    },
    primaryIp: ip,
    privateDnsName: privateDnsName(ip, state.region),
    secondaryIps: [],
    prefixes: [],
    ...(ipv6 ? { ipv6Addresses: [ipv6] } : {}),
    tags: {},
  };
  const instance: SimInstance = {
    id,
    instanceType: spec.instanceType,
    zone: subnet.zone,
    state: "running",
    privateIp: ip,
    privateDnsName: privateDnsName(ip, state.region),
    subnetId: subnet.id,
    vpcId: subnet.vpcId,
    imageId: extra.imageId,
    launchTime,
    tags: { ...spec.tags },
    ...(ipv6 ? { ipv6Address: ipv6 } : {}),
  };
  state.enis.set(eni.id, eni);
  recordAttachment(state, eni);
  state.instances.set(id, instance);
  return instance;
}

/** CreateNetworkInterface pre-loaded with secondary IPs or prefixes: all of them or nothing. */
export function createNetworkInterface(
  state: Ec2State,
  random: SimRandom,
  request: {
    subnetId: string;
    description: string;
    group: SecurityGroup;
    secondaryIps: number;
    prefixes: number;
    tags: Record<string, string>;
  },
): SimEni {
  const subnet = subnetOf(state, request.subnetId);
  const book = subnetAddresses(state, subnet.id);
  const [primary, ...secondary] = book.allocate(1 + request.secondaryIps, random) as [string, ...string[]];
  let prefixes: string[] = [];
  if (request.prefixes > 0) {
    try {
      prefixes = book.allocatePrefixes(request.prefixes, random);
    } catch (err) {
      book.release(primary);
      throw err;
    }
  }
  const eni: SimEni = {
    id: resourceId(random, "eni"),
    subnetId: subnet.id,
    vpcId: subnet.vpcId,
    zone: subnet.zone,
    description: request.description,
    status: "available",
    interfaceType: "interface",
    macAddress: macAddress(random),
    ownerId: state.accountId,
    requesterManaged: false,
    sourceDestCheck: true,
    groups: [request.group],
    attachment: null,
    primaryIp: primary,
    privateDnsName: privateDnsName(primary, state.region),
    secondaryIps: secondary,
    prefixes,
    tags: { ...request.tags },
  };
  state.enis.set(eni.id, eni);
  return eni;
}

export function attachNetworkInterface(
  state: Ec2State,
  random: SimRandom,
  eni: SimEni,
  instanceId: string,
  deviceIndex: number,
  now: number,
): void {
  eni.status = "attaching";
  eni.attachment = {
    id: resourceId(random, "eni-attach"),
    instanceId,
    deviceIndex,
    networkCardIndex: 0,
    status: "attaching",
    attachTime: new Date(now).toISOString(),
    // The CNI sets DeleteOnTermination on the ENIs it attaches, so they go with the instance.
    deleteOnTermination: true,
  };
  recordAttachment(state, eni);
}

/** What IMDS then shows: the attachment is done. */
export function finishAttach(eni: SimEni): void {
  eni.status = "in-use";
  if (eni.attachment) eni.attachment.status = "attached";
}

export function assignPrivateIps(state: Ec2State, random: SimRandom, eni: SimEni, count: number): string[] {
  const ips = subnetAddresses(state, eni.subnetId).allocate(count, random);
  eni.secondaryIps.push(...ips);
  return ips;
}

export function assignPrefixes(state: Ec2State, random: SimRandom, eni: SimEni, count: number): string[] {
  const prefixes = subnetAddresses(state, eni.subnetId).allocatePrefixes(count, random);
  eni.prefixes.push(...prefixes);
  return prefixes;
}

/** AssignIpv6Addresses with Ipv6PrefixCount: /80 prefixes of the ENI's subnet's /64. */
export function assignIpv6Prefixes(state: Ec2State, random: SimRandom, eni: SimEni, count: number): string[] {
  const subnet = subnetOf(state, eni.subnetId);
  const got: string[] = [];
  eni.ipv6Prefixes ??= [];
  for (let i = 0; i < count; i++) {
    const prefix = ipv6PrefixIn(state, random, subnet);
    eni.ipv6Prefixes.push(prefix);
    got.push(prefix);
  }
  return got;
}

/** UnassignPrivateIpAddresses, of secondary IPs and of /28 prefixes (Ipv4Prefixes). */
export function unassign(state: Ec2State, eni: SimEni, ips: string[], prefixes: string[]): void {
  const book = subnetAddresses(state, eni.subnetId);
  const dropIps = new Set(ips);
  const dropPrefixes = new Set(prefixes);
  eni.secondaryIps = eni.secondaryIps.filter((ip) => !dropIps.has(ip));
  eni.prefixes = eni.prefixes.filter((p) => !dropPrefixes.has(p));
  for (const ip of dropIps) book.release(ip);
  for (const p of dropPrefixes) book.releasePrefix(p);
}

export function detachNetworkInterface(eni: SimEni): void {
  eni.status = "detaching";
  if (eni.attachment) eni.attachment.status = "detaching";
}

/** DeleteNetworkInterface: the ENI and every address on it go back to the subnet. */
export function deleteNetworkInterface(state: Ec2State, eni: SimEni): void {
  const book = subnetAddresses(state, eni.subnetId);
  book.release(eni.primaryIp);
  for (const ip of eni.secondaryIps) book.release(ip);
  for (const p of eni.prefixes) book.releasePrefix(p);
  forgetEni(state, eni);
  state.enis.delete(eni.id);
}

/** TerminateInstances: the instance ends; the ENIs attached with DeleteOnTermination go with it. */
export function terminateInstance(state: Ec2State, instanceId: string): void {
  const instance = state.instances.get(instanceId);
  if (instance === undefined || instance.state === "terminated") return;
  for (const eni of [...state.enis.values()]) {
    if (eni.attachment?.instanceId !== instanceId) continue;
    if (eni.attachment.deleteOnTermination) deleteNetworkInterface(state, eni);
    else detachNetworkInterface(eni);
  }
  instance.state = "terminated";
}
