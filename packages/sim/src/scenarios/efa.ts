// EFA interfaces a node group's launch template asks for on a multi-card instance (p4d, p5, trn1): one
// interface of type "efa" per network card from card 1 on, at device index 1 of its card, each with an
// address of the node's subnet, as EC2's EFA guide launches them. The VPC CNI manages network card 0 only
// (unless ENABLE_MULTI_NIC), so IPAMD never counts or fills them: they are there to be drawn apart.

import { lookupInstanceType } from "@eni-view/model";
import type { Ec2State, SimInstance, SimRandom } from "../contracts.ts";
import { recordAttachment } from "../ec2/attachments.ts";
import { macAddress, privateDnsName, resourceId } from "../ec2/ids.ts";
import { subnetAddresses } from "../ec2/subnetAddresses.ts";

export function attachEfaInterfaces(
  state: Ec2State,
  random: SimRandom,
  instance: SimInstance,
  count: number,
): void {
  const cards = lookupInstanceType(instance.instanceType)?.networkCards ?? 1;
  if (count > cards - 1) {
    throw new RangeError(
      `${instance.instanceType} has ${cards} network card(s): at most ${cards - 1} EFA interface(s) beside card 0`,
    );
  }
  const primary = [...state.enis.values()].find((e) => e.attachment?.instanceId === instance.id);
  for (let card = 1; card <= count; card++) {
    const [ip] = subnetAddresses(state, instance.subnetId).allocate(1, random) as [string];
    const subnet = state.subnets.get(instance.subnetId)!;
    const eni = {
      id: resourceId(random, "eni"),
      subnetId: subnet.id,
      vpcId: subnet.vpcId,
      zone: subnet.zone,
      description: "",
      status: "in-use",
      interfaceType: "efa" as const,
      macAddress: macAddress(random),
      ownerId: state.accountId,
      requesterManaged: false,
      sourceDestCheck: true,
      groups: primary?.groups ?? [],
      attachment: {
        id: resourceId(random, "eni-attach"),
        instanceId: instance.id,
        deviceIndex: 1,
        networkCardIndex: card,
        status: "attached" as const,
        attachTime: instance.launchTime,
        deleteOnTermination: true,
      },
      primaryIp: ip,
      privateDnsName: privateDnsName(ip, state.region),
      secondaryIps: [],
      prefixes: [],
      tags: {},
    };
    state.enis.set(eni.id, eni);
    recordAttachment(state, eni);
  }
}
