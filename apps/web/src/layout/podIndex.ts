// Pods by key, built on first use: hover and the node panel need a lookup, but rebuilding a 150,000-entry map
// on every live update when nobody asks would cost more than the update itself.
import type { PodReport } from "@eni-view/model";

export interface PodIndex {
  get(key: string): PodReport | undefined;
}

export function lazyPodIndex(pods: readonly PodReport[]): PodIndex {
  let map: Map<string, PodReport> | null = null;
  return {
    get(key) {
      if (!map) {
        map = new Map();
        for (const p of pods) map.set(`${p.namespace}/${p.name}`, p);
      }
      return map.get(key);
    },
  };
}
