// The CNI plugin's ADD and DEL for one node: the model's pod-IP rules (createPodIps) keyed by the
// simulator's pod references, drawing Go's map order from the simulator's seeded generator.
import { createPodIps as modelPodIps, type NodePool } from "@eni-view/model";
import type { PodRef, SimRandom } from "../contracts.ts";

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
  // The options object is read on every call: IPAMD's restart with new settings changes it in place.
  const ips = modelPodIps(pool, {
    get prefixDelegation() {
      return options.prefixDelegation;
    },
    get cooldownMs() {
      return options.cooldownMs;
    },
    next: () => options.random.next(),
    now: options.now,
  });
  const key = (pod: PodRef) => `${pod.namespace}/${pod.name}`;
  return {
    assign: (pod) => ips.assign(key(pod)),
    release: (pod) => ips.release(key(pod)),
  };
}
