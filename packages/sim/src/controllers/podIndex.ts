// Pods by controlling owner and by node, kept current from the store's changes, so controllers never
// scan every pod of a 150,000-pod cluster.
import { type ObjectStore, objectKey } from "../kube/store.ts";
import type { KubeObject } from "../kube/types.ts";

function add(map: Map<string, Set<string>>, key: string | undefined, value: string) {
  if (!key) return;
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(value);
}

function drop(map: Map<string, Set<string>>, key: string | undefined, value: string) {
  if (!key) return;
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}

export function controllerUid(pod: KubeObject): string | undefined {
  return pod.metadata.ownerReferences?.find((r) => r.controller)?.uid;
}

export class PodIndex {
  private readonly store: ObjectStore;
  private readonly byOwner = new Map<string, Set<string>>();
  private readonly byNode = new Map<string, Set<string>>();
  readonly unsubscribe: () => void;

  constructor(store: ObjectStore) {
    this.store = store;
    for (const pod of store.all("pods")) this.insert(pod);
    this.unsubscribe = store.subscribe((change) => {
      if (change.resource !== "pods") return;
      if (change.previous) this.remove(change.previous);
      if (change.type !== "DELETED") this.insert(change.object);
    });
  }

  private insert(pod: KubeObject) {
    const key = objectKey(pod.metadata.namespace, pod.metadata.name);
    add(this.byOwner, controllerUid(pod), key);
    add(this.byNode, pod.spec?.nodeName, key);
  }

  private remove(pod: KubeObject) {
    const key = objectKey(pod.metadata.namespace, pod.metadata.name);
    drop(this.byOwner, controllerUid(pod), key);
    drop(this.byNode, pod.spec?.nodeName, key);
  }

  private resolve(keys: Set<string> | undefined): KubeObject[] {
    const out: KubeObject[] = [];
    for (const key of keys ?? []) {
      const pod = this.store.byKey("pods", key);
      if (pod) out.push(pod);
    }
    return out;
  }

  ownedBy(uid: string): KubeObject[] {
    return this.resolve(this.byOwner.get(uid));
  }

  onNode(nodeName: string): KubeObject[] {
    return this.resolve(this.byNode.get(nodeName));
  }
}
