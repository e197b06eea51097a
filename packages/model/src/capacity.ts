// Max ENIs, pod IPs and max pods per instance type, by the formulas AWS publishes for the VPC CNI
// (eni-max-pods.txt header, amazon-eks-ami max-pods-calculator.sh).
import { resolveInstanceType } from "./limits/lookup.ts";
import type { CapacityOptions, InstanceTypeFacts, NodeCapacity } from "./types.ts";

/** aws-node and kube-proxy: hostNetwork pods that count toward max pods but take no VPC IP. */
export const HOST_NETWORK_SYSTEM_PODS = 2;
/** IPv4 addresses in one delegated /28 prefix. */
export const IPS_PER_PREFIX = 16;

/** max-pods-calculator.sh caps prefix-delegation max pods at 110 up to 30 vCPUs, 250 above. */
export function prefixDelegationCap(vcpus: number): number {
  return vcpus > 30 ? 250 : 110;
}

/** The CNI only delegates prefixes on Nitro and bare-metal instances; elsewhere it keeps secondary IPs. */
export function supportsPrefixDelegation(facts: InstanceTypeFacts): boolean {
  return facts.hypervisor === "nitro" || facts.bareMetal;
}

/** A capacity with every figure unknown but those given: an unknown type's, or a kind's fixed one. */
export function blankCapacity(instanceType: string, fields: Partial<NodeCapacity>): NodeCapacity {
  return {
    instanceType,
    known: true,
    vcpus: null,
    maxEnis: null,
    ipv4PerEni: null,
    podEnis: null,
    podIpsPerEni: null,
    podIps: null,
    maxPods: null,
    maxPodsUncapped: null,
    mode: "secondary-ip",
    notes: [],
    ...fields,
  };
}

export function capacityFor(
  instanceType: string,
  options: CapacityOptions = {},
  extra: readonly InstanceTypeFacts[] = [],
): NodeCapacity {
  const askedMode = options.prefixDelegation ? "prefix-delegation" : "secondary-ip";
  const facts = resolveInstanceType(instanceType, extra);
  if (facts === undefined) {
    return blankCapacity(instanceType, {
      known: false,
      mode: askedMode,
      notes: [`unknown instance type "${instanceType}": not in the built-in table, capacity not computed`],
    });
  }

  const notes: string[] = [];
  let prefixDelegation = options.prefixDelegation === true;
  if (prefixDelegation && !supportsPrefixDelegation(facts)) {
    prefixDelegation = false;
    notes.push(
      `${facts.instanceType} is not a Nitro instance: the CNI cannot delegate prefixes and uses secondary IPs`,
    );
  }

  let enis = facts.maxEnis;
  if (options.maxEni != null && options.maxEni > 0 && options.maxEni < enis) {
    enis = options.maxEni;
    notes.push(`MAX_ENI=${options.maxEni} limits the node to ${enis} ENIs`);
  }
  const unmanaged = Math.max(0, options.unmanagedEnis ?? 0);
  // Custom networking gives the primary ENI no pod IPs: pods only get IPs on the ENIs attached after it.
  const podEnis = Math.max(0, enis - unmanaged - (options.customNetworking ? 1 : 0));
  const perEniSecondary = facts.ipv4PerEni - 1;
  const podIpsPerEni = prefixDelegation ? perEniSecondary * IPS_PER_PREFIX : perEniSecondary;
  const podIps = podEnis * podIpsPerEni;
  const uncapped = podIps + HOST_NETWORK_SYSTEM_PODS;

  let maxPods: number | null = uncapped;
  let maxPodsUncapped: number | null = null;
  if (prefixDelegation) {
    maxPodsUncapped = uncapped;
    if (facts.vcpus !== null) {
      maxPods = Math.min(uncapped, prefixDelegationCap(facts.vcpus));
    } else if (uncapped > 110) {
      // The cap is 110 or 250 depending on vCPUs; with no published vCPU count either could apply.
      maxPods = null;
      notes.push(
        `vCPUs of ${facts.instanceType} unknown: prefix-delegation max pods is 110 (<= 30 vCPUs) or 250, uncapped ${uncapped}`,
      );
    }
  }

  return {
    instanceType: facts.instanceType,
    known: true,
    vcpus: facts.vcpus,
    maxEnis: facts.maxEnis,
    ipv4PerEni: facts.ipv4PerEni,
    podEnis,
    podIpsPerEni,
    podIps,
    maxPods,
    maxPodsUncapped,
    mode: prefixDelegation ? "prefix-delegation" : "secondary-ip",
    notes,
  };
}
