// The AWS side a scenario starts from: the VPC and its subnets as EC2 state, and the VPC CNI settings
// from aws-node's env (the scenario's overrides on the add-on's defaults), read by the model's rules.

import { cniSettingsFromEnv } from "@eni-view/model";
import { awsNodeEnv } from "../cluster/systemWorkloads.ts";
import type { Ec2State, SimCniSettings, SimRandom } from "../contracts.ts";
import type { Scenario } from "./scenario.ts";

export const simAccountId = "111122223333";

export function ec2StateFor(scenario: Scenario, random: SimRandom): Ec2State {
  const vpcId = `vpc-${random.hex(17)}`;
  const state: Ec2State = {
    region: scenario.region,
    accountId: simAccountId,
    vpcId,
    vpcCidr: scenario.vpcCidr,
    subnets: new Map(),
    enis: new Map(),
    instances: new Map(),
  };
  for (const s of scenario.subnets) {
    const id = `subnet-${random.hex(17)}`;
    state.subnets.set(id, {
      id,
      vpcId,
      cidr: s.cidr,
      zone: s.zone,
      zoneId: s.zoneId,
      name: s.name,
      ...(s.ipv6Cidr ? { ipv6Cidr: s.ipv6Cidr } : {}),
      tags: {
        Name: s.name,
        [`kubernetes.io/cluster/${scenario.clusterName}`]: "shared",
        "kubernetes.io/role/elb": "1",
      },
    });
  }
  // Custom networking's pod subnets (ENIConfig), in the VPC's secondary CIDR: no node is launched there.
  for (const e of scenario.eniConfigs ?? []) {
    const id = `subnet-${random.hex(17)}`;
    const name = `${scenario.clusterName}-pods-${e.zone}`;
    state.subnets.set(id, {
      id,
      vpcId,
      cidr: e.cidr,
      zone: e.zone,
      zoneId: e.zoneId,
      name,
      tags: { Name: name, [`kubernetes.io/cluster/${scenario.clusterName}`]: "shared" },
    });
  }
  return state;
}

/** The subnet id each ENIConfig names, by ENIConfig name. */
export function eniConfigSubnets(scenario: Scenario, state: Ec2State): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of scenario.eniConfigs ?? []) {
    for (const subnet of state.subnets.values()) {
      if (subnet.cidr === e.cidr && subnet.zone === e.zone) out.set(e.name, subnet.id);
    }
  }
  return out;
}

export interface CniSetup {
  /** The aws-node container env, as the DaemonSet shows it. */
  env: Record<string, string>;
  settings: SimCniSettings;
}

export function cniSetupFor(scenario: Scenario): CniSetup {
  const env = awsNodeEnv(scenario.cni.env);
  const settings: SimCniSettings = cniSettingsFromEnv(env);
  if (env.ENABLE_IPv6 === "true") settings.ipv6 = true;
  return { env, settings };
}
