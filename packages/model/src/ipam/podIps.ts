// The CNI plugin's ADD and DEL as IPAMD serves them (datastore AssignPodIPv4Address / UnassignPodIPAddress):
// a pod gets a free address whose cooldown is over, from ENIs taken in random order; a freed address
// starts its cooldown. The simulator's IPAMD and the planner hand out pod IPs with it.
import { shuffled } from "../mapOrder.ts";
import type { Random } from "../seeded.ts";
import { freeAddressInCidr } from "./podAddress.ts";
import { modeCidrs, type NodePool, type PoolAddress } from "./pool.ts";

export interface PodIps {
  /** The pod's IP ("namespace/name" key), the one it already holds, or null when no address is free now. */
  assign(pod: string): string | null;
  /** Idempotent, as CNI DEL is. */
  release(pod: string): void;
}

export interface PodIpOptions {
  prefixDelegation: boolean;
  cooldownMs: number;
  /** Draws Go's map order; null walks ENIs and CIDRs in pool order (the tightest packing). */
  next: Random | null;
  now: () => number;
}

export function createPodIps(pool: NodePool, options: PodIpOptions): PodIps {
  const held = new Map<string, PoolAddress>();
  const order = <T>(items: readonly T[]): readonly T[] =>
    options.next ? shuffled(options.next, items) : items;
  return {
    assign(key) {
      const known = held.get(key);
      if (known) return known.ip;
      const now = options.now();
      // IPAMD walks a Go map of ENIs: the order is random, so pods land on random ENIs, and each ENI's
      // CIDRs (its /32s, or its /28 prefixes) likewise.
      for (const eni of order(pool.enis.filter((e) => !e.noManage && !e.trunk))) {
        for (const cidr of order(modeCidrs(eni, options.prefixDelegation))) {
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
    release(key) {
      const address = held.get(key);
      if (address === undefined) return;
      address.pod = null;
      address.releasedAt = options.now();
      held.delete(key);
    },
  };
}
