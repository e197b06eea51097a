// The simulated VPC CNI for the whole cluster: EC2 RunInstances for new nodes, one IPAMD per node on the
// simulated clock, and the plugin's ADD/DEL for kubelet. Implements the PodNetwork contract.
import { type IpamdSettings, resolveTargets } from "@eni-view/model";
import type {
  LaunchSpec,
  NodeNetworkSpec,
  PodNetwork,
  PodNetworkOptions,
  PodRef,
  SimCniSettings,
  SimInstance,
} from "../contracts.ts";
import { resourceId } from "../ec2/ids.ts";
import { instanceFacts } from "../ec2/instanceFacts.ts";
import { runInstance } from "../ec2/mutations.ts";
import { createIpv6NodeIpamd } from "./ipv6Ipamd.ts";
import { createNodeIpamd, type NodeIpamd } from "./nodeIpamd.ts";

export interface SimPodNetwork extends PodNetwork {
  /** A node's IPAMD (datastore, last decision, recent events), for introspection and tests. */
  ipamd(nodeName: string): NodeIpamd | undefined;
}

function factsOrThrow(instanceType: string) {
  const facts = instanceFacts(instanceType);
  if (facts === undefined) {
    throw new RangeError(`unknown instance type "${instanceType}": not in the built-in instance table`);
  }
  return facts;
}

export function createPodNetwork(options: PodNetworkOptions): SimPodNetwork {
  const { state, clock, random, faults, cni } = options;
  if (!(options.cycleMs > 0)) throw new RangeError(`cycleMs must be > 0, got ${options.cycleMs}`);
  if (!(options.attachDelayMs >= 0))
    throw new RangeError(`attachDelayMs must be >= 0, got ${options.attachDelayMs}`);
  const settings: IpamdSettings = { ...cni };
  resolveTargets(settings); // a bad target fails here, not on the first IPAMD cycle
  const group = { id: resourceId(random, "sg"), name: "eks-cluster-sg-sim" };
  const imageId = resourceId(random, "ami");
  const nodes = new Map<string, { ipamd: NodeIpamd; stopLoop: (() => void) | null }>();

  const node = (name: string) => {
    const found = nodes.get(name);
    if (found === undefined) throw new RangeError(`no IPAMD runs on node "${name}": call startNode first`);
    return found;
  };

  return {
    launchInstance(spec: LaunchSpec): SimInstance {
      factsOrThrow(spec.instanceType);
      return runInstance(state, random, spec, { imageId, group, now: clock.now() });
    },
    startNode(spec: NodeNetworkSpec, waitForAwsNode = false): void {
      if (nodes.has(spec.nodeName)) throw new RangeError(`node "${spec.nodeName}" already has an IPAMD`);
      const instance = state.instances.get(spec.instanceId);
      if (instance === undefined)
        throw new RangeError(`node "${spec.nodeName}": no instance ${spec.instanceId} in EC2`);
      const ipamd = (cni.ipv6 ? createIpv6NodeIpamd : createNodeIpamd)(
        {
          state,
          clock,
          random,
          faults,
          settings,
          attachDelayMs: options.attachDelayMs,
          cycleMs: options.cycleMs,
          group,
        },
        spec,
        factsOrThrow(instance.instanceType),
      );
      if (waitForAwsNode) {
        nodes.set(spec.nodeName, { ipamd, stopLoop: null });
        return;
      }
      // nodeInit fills the pool right away; then the reconcile loop takes over.
      ipamd.cycle();
      nodes.set(spec.nodeName, { ipamd, stopLoop: clock.every(options.cycleMs, ipamd.cycle) });
    },
    updateNode(spec: NodeNetworkSpec): void {
      node(spec.nodeName).ipamd.update(spec);
    },
    stopNode(nodeName: string): void {
      const found = nodes.get(nodeName);
      if (found === undefined) return;
      found.stopLoop?.();
      found.ipamd.stop();
      nodes.delete(nodeName);
    },
    assign(nodeName: string, pod: PodRef): string | null {
      const found = node(nodeName);
      return found.stopLoop === null ? null : found.ipamd.assign(pod);
    },
    useEniSubnet(nodeName: string, subnetId: string): void {
      nodes.get(nodeName)?.ipamd.useEniSubnet(subnetId);
    },
    adoptEni(nodeName: string, eniId: string): void {
      node(nodeName).ipamd.adopt(eniId);
    },
    pauseNode(nodeName: string): void {
      const found = nodes.get(nodeName);
      if (found?.stopLoop == null) return;
      found.stopLoop();
      found.stopLoop = null;
    },
    resumeNode(nodeName: string, next: SimCniSettings, eniSubnetId?: string | null): void {
      const found = node(nodeName);
      const wanted: IpamdSettings = { ...next };
      resolveTargets(wanted);
      found.ipamd.reconfigure(wanted, eniSubnetId);
      if (found.stopLoop !== null) return;
      // nodeInit runs at once, then the reconcile loop.
      found.ipamd.cycle();
      found.stopLoop = clock.every(options.cycleMs, found.ipamd.cycle);
    },
    release(nodeName: string, pod: PodRef): void {
      // A pod deleted after its node went away: nothing left to give back.
      nodes.get(nodeName)?.ipamd.release(pod);
    },
    settle(nodeName: string, pods: PodRef[]): Map<string, string> {
      return node(nodeName).ipamd.settle(pods);
    },
    ipamd: (nodeName) => nodes.get(nodeName)?.ipamd,
  };
}
