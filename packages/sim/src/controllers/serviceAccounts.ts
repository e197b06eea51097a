// The service account controller of kube-controller-manager, reduced to what clients see: every namespace
// has a ServiceAccount named "default" (made when the namespace appears, made again if deleted), which pods
// that name none run as. The system workloads' own accounts (aws-node, kube-proxy, coredns) are made with
// the cluster. A SecurityGroupPolicy's serviceAccountSelector reads these accounts' labels.
import type { ObjectStore } from "../kube/store.ts";
import type { NewObject, StoreChange } from "../kube/types.ts";

export function serviceAccountObject(namespace: string, name: string): NewObject {
  return { apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace } };
}

export class ServiceAccounts {
  private readonly store: ObjectStore;
  private readonly unsubscribe: () => void;

  constructor(store: ObjectStore, systemAccounts: readonly { namespace: string; name: string }[]) {
    this.store = store;
    for (const ns of store.all("namespaces")) this.ensure(ns.metadata.name);
    for (const a of systemAccounts) this.ensure(a.namespace, a.name);
    this.unsubscribe = store.subscribe((change) => this.observe(change));
  }

  stop(): void {
    this.unsubscribe();
  }

  private observe(change: StoreChange): void {
    const { resource, type, object } = change;
    if (resource === "namespaces" && type === "ADDED") this.later(object.metadata.name);
    // The controller puts back a deleted "default" unless its namespace is going away.
    if (resource === "serviceaccounts" && type === "DELETED" && object.metadata.name === "default")
      this.later(object.metadata.namespace as string);
  }

  /** After the change that asked for it has reached every watcher, as the controller acts on its informer. */
  private later(namespace: string): void {
    queueMicrotask(() => {
      const ns = this.store.get("namespaces", undefined, namespace);
      if (ns && !ns.metadata.deletionTimestamp) this.ensure(namespace);
    });
  }

  private ensure(namespace: string, name = "default"): void {
    if (!this.store.get("serviceaccounts", namespace, name))
      this.store.create("serviceaccounts", serviceAccountObject(namespace, name));
  }
}
