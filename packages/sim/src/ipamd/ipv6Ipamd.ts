// One node's IPAMD in IPv6 mode (ENABLE_IPv6=true, which the VPC CNI runs only with prefix delegation): at
// start it asks EC2 for one /80 prefix on the primary ENI (AssignIpv6Addresses, Ipv6PrefixCount 1) and hands
// pods addresses from it. A /80 holds far more addresses than any max pods, so there is no warm pool to keep,
// no second ENI and no WARM_* target at work: kubelet's max pods is the only limit.
import type { InstanceTypeFacts, NodePool } from "@eni-view/model";
import type { NodeNetworkSpec, PodRef, SimEni } from "../contracts.ts";
import { enisAttachedTo } from "../ec2/attachments.ts";
import { addressInSlash80 } from "../ec2/ipv6.ts";
import { assignIpv6Prefixes } from "../ec2/mutations.ts";
import type { IpamdDeps, NodeIpamd } from "./nodeIpamd.ts";

const RECENT_EVENTS = 50;

export function createIpv6NodeIpamd(
  deps: IpamdDeps,
  spec: NodeNetworkSpec,
  facts: InstanceTypeFacts,
): NodeIpamd {
  const { state, clock, random, faults } = deps;
  let current = spec;
  const instance = state.instances.get(spec.instanceId);
  if (instance === undefined)
    throw new RangeError(`node ${spec.nodeName}: no instance ${spec.instanceId} in EC2`);
  const primary = (): SimEni => {
    const eni = enisAttachedTo(state, instance.id).find(
      (e) => e.attachment?.deviceIndex === 0 && e.attachment.networkCardIndex === 0,
    );
    if (eni === undefined)
      throw new Error(`IPAMD of ${current.nodeName}: instance ${instance.id} has no primary ENI`);
    return eni;
  };
  const eni0 = primary();
  if (eni0.ipv6Addresses === undefined)
    throw new RangeError(`node ${spec.nodeName}: IPv6 mode needs a subnet with an IPv6 CIDR block`);
  // The datastore as the introspection shows it: the primary ENI, no IPv4 pod addresses.
  const pool: NodePool = {
    enis: [
      {
        id: eni0.id,
        deviceIndex: 0,
        primary: true,
        trunk: false,
        efa: false,
        noManage: false,
        addedAt: clock.now(),
        cidrs: [],
      },
    ],
    lastDecreaseAt: null,
    lastInsufficientCidrAt: null,
  };
  const events: string[] = [];
  const note = (text: string) => {
    events.push(`${new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, "Z")} ${text}`);
    if (events.length > RECENT_EVENTS) events.shift();
  };
  const byPod = new Map<string, string>();
  // Addresses are handed out in order through the /80 and none is reused while the node lives: 2^48 of them
  // outlast any run, and a deleted pod's address is never given to a new pod at once.
  let nextOffset = 1n;
  let stopped = false;
  const key = (pod: PodRef) => `${pod.namespace}/${pod.name}`;
  const prefix = (): string | undefined => primary().ipv6Prefixes?.[0];

  function cycle(): void {
    if (stopped || prefix() !== undefined) return;
    if (faults.ec2ThrottleRate > 0 && random.next() < faults.ec2ThrottleRate) {
      note("AssignIpv6Addresses: RequestLimitExceeded: Request limit exceeded.");
      return;
    }
    const [got] = assignIpv6Prefixes(state, random, primary(), 1);
    note(`assigned IPv6 prefix ${got} to ${eni0.id}`);
  }

  function assign(pod: PodRef): string | null {
    const held = byPod.get(key(pod));
    if (held !== undefined) return held;
    const p = prefix();
    if (p === undefined) return null;
    const ip = addressInSlash80(p, nextOffset++);
    byPod.set(key(pod), ip);
    return ip;
  }

  return {
    pool,
    facts,
    instanceId: instance.id,
    events,
    lastDecision: () => null,
    attaching: () => false,
    update(next) {
      if (next.instanceId !== current.instanceId)
        throw new RangeError(
          `node ${next.nodeName}: instance id cannot change (${current.instanceId} -> ${next.instanceId})`,
        );
      current = next;
    },
    // The IP family is fixed when the cluster is made: a restart with other WARM_* settings changes nothing here.
    reconfigure(next) {
      note(`restarted with ${JSON.stringify(next)}`);
    },
    // One /80 on the primary ENI: no ENI is ever created, so an ENIConfig subnet changes nothing.
    useEniSubnet() {},
    adopt() {},
    cycle,
    stop() {
      stopped = true;
    },
    assign,
    release(pod) {
      byPod.delete(key(pod));
    },
    settle(pods) {
      cycle();
      const out = new Map<string, string>();
      for (const pod of pods) {
        const ip = assign(pod);
        if (ip !== null) out.set(key(pod), ip);
      }
      return out;
    },
  };
}
