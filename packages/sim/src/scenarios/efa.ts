// EFA interfaces a node group's launch template asks for on a multi-card instance (p4d, p5, trn1): one
// interface of type "efa" per network card from card 1 on, at device index 1 of its card, each with an
// address of the node's subnet, as EC2's EFA guide launches them. The VPC CNI manages network card 0 only
// (unless ENABLE_MULTI_NIC), so IPAMD never counts or fills them: they are there to be drawn apart.
import { lookupInstanceType } from "@eni-view/model";
import type { Ec2State, SimInstance, SimRandom } from "../contracts.ts";
import { attachNetworkInterface, createNetworkInterface, finishAttach } from "../ec2/mutations.ts";

export function attachEfaInterfaces(
  state: Ec2State,
  random: SimRandom,
  instance: SimInstance,
  count: number,
  now: number,
): void {
  const cards = lookupInstanceType(instance.instanceType)?.networkCards ?? 1;
  if (count > cards - 1) {
    throw new RangeError(
      `${instance.instanceType} has ${cards} network card(s): at most ${cards - 1} EFA interface(s) beside card 0`,
    );
  }
  // They take the security group of the instance's primary ENI, as a launch template gives all its interfaces.
  const group = [...state.enis.values()].find((e) => e.attachment?.instanceId === instance.id)?.groups[0];
  if (group === undefined) throw new RangeError(`instance ${instance.id} has no primary ENI`);
  for (let card = 1; card <= count; card++) {
    const eni = createNetworkInterface(state, random, {
      subnetId: instance.subnetId,
      description: "",
      group,
      secondaryIps: 0,
      prefixes: 0,
      tags: {},
    });
    eni.interfaceType = "efa";
    attachNetworkInterface(state, random, eni, instance.id, 1, now);
    eni.attachment!.networkCardIndex = card;
    // Launched with the instance: attached from the start, not attaching.
    finishAttach(eni);
  }
}
