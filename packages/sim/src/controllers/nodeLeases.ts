// Kubelets renew their node's Lease in kube-node-lease every 10 s (what `kubectl describe node` shows as
// RenewTime). Only for small clusters: at thousands of nodes the renewals would be most of the API's
// changes and push everything else out of the watch history.
import type { SimClock } from "../contracts.ts";
import type { ObjectStore } from "../kube/store.ts";

export const leaseRenewalMaxNodes = 200;
const renewEveryMs = 10_000;

function microTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}000Z`;
}

/** Returns a stop function; does nothing for clusters above leaseRenewalMaxNodes. */
export function renewNodeLeases(store: ObjectStore, clock: SimClock): () => void {
  if (store.count("nodes") > leaseRenewalMaxNodes) return () => {};
  return clock.every(renewEveryMs, () => {
    for (const lease of [...store.all("leases")]) {
      if (lease.metadata.namespace !== "kube-node-lease") continue;
      store.update("leases", lease.metadata.namespace, lease.metadata.name, (l) => {
        l.spec.renewTime = microTime(clock.now());
      });
    }
  });
}
