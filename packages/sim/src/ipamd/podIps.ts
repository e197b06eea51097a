// The CNI plugin's ADD and DEL as IPAMD serves them (datastore AssignPodIPv4Address / UnassignPodIPAddress):
// a pod gets a free address whose cooldown is over, from ENIs taken in random order; a freed address
// starts its cooldown.
import { freeAddressInCidr, modeCidrs, type NodePool, type PoolAddress } from "@eni-view/model";
import type { PodRef, SimRandom } from "../contracts.ts";
import { shuffled } from "../random.ts";

export interface PodIps {
  /** The pod's IP, the one it already holds, or null when no address is free right now. */
  assign(pod: PodRef): string | null;
  /** Idempotent, as CNI DEL is. */
  release(pod: PodRef): void;
}

export function createPodIps(
  pool: NodePool,
  options: { prefixDelegation: boolean; cooldownMs: number; random: SimRandom; now: () => number },
): PodIps {
  const { random } = options;
  const held = new Map<string, PoolAddress>();
  return {
    assign(pod) {
      const key = `${pod.namespace}/${pod.name}`;
      const known = held.get(key);
      if (known) return known.ip;
      const now = options.now();
      // IPAMD walks a Go map of ENIs: the order is random, so pods land on random ENIs.
      // and each ENI's CIDRs (its /32s, or its /28 prefixes) likewise.
      for (const eni of shuffled(
        random,
        pool.enis.filter((e) => !e.noManage && !e.trunk),
      )) {
        for (const cidr of shuffled(random, modeCidrs(eni, options.prefixDelegation))) {
          const ip = freeAddressInCidr(cidr, now, options.cooldownMs);
          if (ip === null) continue;
          let address = cidr.addresses.find((a) => a.ip === ip);
          if (address) address.pod = key;
          else {
            address = { ip, pod: key, releasedAt: null };
            cidr.addresses.push(address);
          }
          held.set(key, address);
          return ip;
        }
      }
      return null;
    },
    release(pod) {
      const key = `${pod.namespace}/${pod.name}`;
      const address = held.get(key);
      if (address === undefined) return;
      address.pod = null;
      address.releasedAt = options.now();
      held.delete(key);
    },
  };
}
