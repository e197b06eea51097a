// The garbage collector, the namespace controller and the pod GC, reduced to what clients see: objects
// whose owner is gone are deleted (ReplicaSets of a deleted Deployment, their pods), a Terminating
// namespace is emptied and then removed, and pods bound to a deleted node are removed.
import type { SimClock } from "../contracts.ts";
import { deletePod } from "../kube/podDeletion.ts";
import { resources } from "../kube/resources.ts";
import type { ObjectStore } from "../kube/store.ts";
import type { KubeObject, StoreChange } from "../kube/types.ts";
import type { PodIndex } from "./podIndex.ts";
import { type Runner, runSoon } from "./runSoon.ts";

export class GarbageCollector {
  private readonly store: ObjectStore;
  private readonly pods: PodIndex;
  private readonly runner: Runner;
  private readonly goneOwners = new Set<string>();
  private readonly goneNodes = new Set<string>();
  private readonly terminating = new Set<string>();
  private readonly unsubscribe: () => void;
  private readonly stopRetry: () => void;

  constructor(store: ObjectStore, clock: SimClock, pods: PodIndex) {
    this.store = store;
    this.pods = pods;
    this.runner = runSoon(clock, 200, () => this.pass());
    this.unsubscribe = store.subscribe((change) => this.observe(change));
    // Pods in a Terminating namespace may take their grace period: look again now and then.
    this.stopRetry = clock.every(2_000, () => {
      if (this.terminating.size) this.runner.request();
    });
  }

  stop(): void {
    this.unsubscribe();
    this.stopRetry();
    this.runner.cancel();
  }

  private observe(change: StoreChange): void {
    const { resource, object } = change;
    if (change.type === "DELETED") {
      if (resource === "nodes") this.goneNodes.add(object.metadata.name);
      else if (resource === "replicasets" || resource === "deployments" || resource === "daemonsets") {
        this.goneOwners.add(object.metadata.uid);
      } else if (resource !== "pods" || !this.terminating.size) return;
    } else if (resource === "namespaces" && object.metadata.deletionTimestamp) {
      this.terminating.add(object.metadata.name);
    } else return;
    this.runner.request();
  }

  private pass(): void {
    const { store } = this;
    for (const uid of this.goneOwners) {
      for (const rs of [...store.all("replicasets")]) {
        if (rs.metadata.ownerReferences?.some((r) => r.uid === uid)) {
          store.remove("replicasets", rs.metadata.namespace, rs.metadata.name);
        }
      }
      for (const pod of this.pods.ownedBy(uid)) {
        deletePod(store, pod.metadata.namespace as string, pod.metadata.name, "", null, false);
      }
    }
    this.goneOwners.clear();
    for (const node of this.goneNodes) {
      for (const pod of this.pods.onNode(node)) {
        if (store.get("pods", pod.metadata.namespace, pod.metadata.name)) {
          store.remove("pods", pod.metadata.namespace, pod.metadata.name);
        }
      }
    }
    this.goneNodes.clear();
    for (const ns of [...this.terminating]) this.emptyNamespace(ns);
  }

  private emptyNamespace(ns: string): void {
    const { store } = this;
    let left = 0;
    for (const def of resources) {
      if (!def.namespaced) continue;
      const inNs = [...store.all(def.name)].filter((o: KubeObject) => o.metadata.namespace === ns);
      for (const obj of inNs) {
        if (def.name === "pods") {
          // Graceful: the pod stays Terminating until its kubelet has stopped it.
          if (deletePod(store, ns, obj.metadata.name, "", null, false).metadata.deletionTimestamp) left++;
        } else store.remove(def.name, ns, obj.metadata.name);
      }
    }
    if (left > 0) return;
    this.terminating.delete(ns);
    if (store.get("namespaces", undefined, ns)) store.remove("namespaces", undefined, ns);
  }
}
