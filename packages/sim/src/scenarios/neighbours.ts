// What else lives in a cluster's subnets: ENIs that AWS services create (a load balancer's, a VPC
// endpoint's, Lambda's), a fragmenting scatter of them, and subnet CIDR reservations. Placed before the
// nodes launch, so the nodes and IPAMDs find the subnets as a real, shared VPC leaves them.
import { formatIpv4, parseIpv4Cidr } from "@eni-view/model";
import type { Ec2State, ServiceInterfaceType, SimEni, SimRandom } from "../contracts.ts";
import { macAddress, privateDnsName, resourceId } from "../ec2/ids.ts";
import { subnetAddresses } from "../ec2/subnetAddresses.ts";
import type { Scenario } from "./scenario.ts";

/** An AWS service's ENI in a subnet: `addresses` of them picked as EC2 picks (scattered). */
export interface ServiceEniDecl {
  interfaceType: ServiceInterfaceType;
  description: string;
  requesterId?: string;
  addresses: number;
}

/** One single-address ENI in every `every` addresses (at the block's middle): free addresses remain,
 * but no aligned /28 is wholly free when `every` is 16 or less. */
export interface FragmentDecl {
  every: number;
  interfaceType: ServiceInterfaceType;
  description: string;
  requesterId?: string;
}

export interface ReservationDecl {
  cidr: string;
  type: "prefix" | "explicit";
  description: string;
}

export interface NeighbourDecls {
  services?: ServiceEniDecl[];
  fragment?: FragmentDecl;
  reservations?: ReservationDecl[];
}

export function serviceEni(
  state: Ec2State,
  random: SimRandom,
  subnetId: string,
  decl: { interfaceType: ServiceInterfaceType; description: string; requesterId?: string },
  ips: string[],
): SimEni {
  const subnet = state.subnets.get(subnetId)!;
  const [primaryIp = "", ...secondaryIps] = ips;
  return {
    id: resourceId(random, "eni"),
    subnetId,
    vpcId: state.vpcId,
    zone: subnet.zone,
    description: decl.description,
    status: "in-use",
    interfaceType: decl.interfaceType,
    ...(decl.requesterId === undefined ? {} : { requesterId: decl.requesterId }),
    macAddress: macAddress(random),
    ownerId: state.accountId,
    requesterManaged: decl.requesterId !== undefined,
    sourceDestCheck: true,
    groups: [],
    attachment: null,
    primaryIp,
    privateDnsName: privateDnsName(primaryIp, state.region),
    secondaryIps,
    prefixes: [],
    tags: {},
  };
}

/** Puts each declared subnet's reservations and service ENIs into the EC2 state. */
export function placeNeighbours(scenario: Scenario, state: Ec2State, random: SimRandom): void {
  for (const decl of scenario.subnets) {
    const subnet = [...state.subnets.values()].find((s) => s.cidr === decl.cidr && s.zone === decl.zone);
    if (subnet === undefined || decl.neighbours === undefined) continue;
    const { services = [], fragment, reservations = [] } = decl.neighbours;
    for (const r of reservations) {
      state.cidrReservations ??= new Map();
      const id = resourceId(random, "scr");
      state.cidrReservations.set(id, { id, subnetId: subnet.id, ...r });
    }
    // The address book is made here, with the reservations, before any ENI of the subnet exists.
    const book = subnetAddresses(state, subnet.id);
    if (fragment !== undefined) {
      const block = parseIpv4Cidr(subnet.cidr)!;
      for (let offset = Math.floor(fragment.every / 2); offset < block.size - 1; offset += fragment.every) {
        const ip = formatIpv4(block.base + offset);
        book.claim(ip);
        const eni = serviceEni(state, random, subnet.id, fragment, [ip]);
        state.enis.set(eni.id, eni);
      }
    }
    for (const s of services) {
      const eni = serviceEni(state, random, subnet.id, s, book.allocate(s.addresses, random));
      state.enis.set(eni.id, eni);
    }
  }
}
