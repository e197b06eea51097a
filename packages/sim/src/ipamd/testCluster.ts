// The scale lab of the domain page, section 0, on the AWS half alone: VPC 192.168.0.0/16, one /24 per AZ
// in ap-northeast-2a/b/c, 3 x t3.medium (max pods 17), the VPC CNI's defaults, a manual clock.
import type { Ec2State, FaultSettings, NodeNetworkSpec, SimCniSettings } from "../contracts.ts";
import { noFaults } from "../contracts.ts";
import { createPodNetwork, type SimPodNetwork } from "./podNetwork.ts";
import { type ManualClock, manualClock, seededRandom } from "./testClock.ts";

export const cniDefaults: SimCniSettings = {
  prefixDelegation: false,
  warmEniTarget: null,
  warmIpTarget: null,
  minimumIpTarget: null,
  warmPrefixTarget: null,
  maxEni: null,
  ipCooldownSeconds: 30,
  customNetworking: false,
};

export interface TestCluster {
  state: Ec2State;
  clock: ManualClock;
  faults: FaultSettings;
  network: SimPodNetwork;
  nodes: NodeNetworkSpec[];
}

export function labState(subnetCidrs = ["192.168.1.0/24", "192.168.2.0/24", "192.168.3.0/24"]): Ec2State {
  const zones = ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"];
  const state: Ec2State = {
    region: "ap-northeast-2",
    accountId: "111122223333",
    vpcId: "vpc-0a1b2c3d4e5f60718",
    vpcCidr: "192.168.0.0/16",
    subnets: new Map(),
    enis: new Map(),
    instances: new Map(),
  };
  subnetCidrs.forEach((cidr, i) => {
    const id = `subnet-0${i + 1}aaaaaaaaaaaaaaa`;
    const zone = zones[i % 3] as string;
    state.subnets.set(id, {
      id,
      vpcId: state.vpcId,
      cidr,
      zone,
      zoneId: `apne2-az${(i % 3) + 1}`,
      name: `lab-public-${zone.slice(-2)}`,
      tags: { Name: `lab-public-${zone.slice(-2)}` },
    });
  });
  return state;
}

export function testCluster(
  options: {
    cni?: Partial<SimCniSettings>;
    instanceType?: string;
    maxPods?: number;
    subnets?: string[];
    seed?: number;
  } = {},
): TestCluster {
  const state = labState(options.subnets);
  const clock = manualClock();
  const faults: FaultSettings = { ...noFaults, forbidden: [] };
  const network = createPodNetwork({
    state,
    clock,
    random: seededRandom(options.seed ?? 7),
    faults,
    cni: { ...cniDefaults, ...options.cni },
    attachDelayMs: 3_000,
    cycleMs: 5_000,
  });
  const nodes = [...state.subnets.values()].map((subnet, i) => {
    const instance = network.launchInstance({
      instanceType: options.instanceType ?? "t3.medium",
      zone: subnet.zone,
      subnetId: subnet.id,
      tags: { Name: `lab-node-${i + 1}` },
    });
    const spec = {
      nodeName: instance.privateDnsName,
      instanceId: instance.id,
      maxPods: options.maxPods ?? 17,
      cordoned: false,
    };
    network.startNode(spec);
    return spec;
  });
  return { state, clock, faults, network, nodes };
}

/** ENIs attached to an instance (what `aws ec2 describe-network-interfaces` would count). */
export function enisOf(state: Ec2State, instanceId: string) {
  return [...state.enis.values()].filter((e) => e.attachment?.instanceId === instanceId);
}

export function secondaryIpsOf(state: Ec2State, instanceId: string): number {
  return enisOf(state, instanceId).reduce((n, e) => n + e.secondaryIps.length, 0);
}
