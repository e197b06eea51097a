// The API server's storage: objects per resource, one resourceVersion counter, and a bounded history of
// changes so a watch can resume from a recent resourceVersion (older ones get 410 Gone, as etcd
// compaction makes the real server do).
import type { SimClock, SimRandom } from "../contracts.ts";
import { uuid } from "../random.ts";
import { resourceDef } from "./resources.ts";
import type { KubeObject, NewObject, StoreChange } from "./types.ts";

export class StoreError extends Error {
  readonly reason: "NotFound" | "AlreadyExists";
  constructor(reason: "NotFound" | "AlreadyExists", message: string) {
    super(message);
    this.reason = reason;
  }
}

export function objectKey(namespace: string | undefined, name: string): string {
  return namespace === undefined ? name : `${namespace}/${name}`;
}

/** Kubernetes timestamps: RFC 3339 in UTC, whole seconds. */
export function kubeTime(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

export interface StoreOptions {
  clock: SimClock;
  random: SimRandom;
  /** Changes kept for watches to resume from; the oldest half is dropped when full. */
  historySize?: number;
  /** Where the resourceVersion counter starts (1 by default); also the oldest a watch may resume from. */
  firstResourceVersion?: number | undefined;
}

export class ObjectStore {
  readonly clock: SimClock;
  readonly random: SimRandom;
  private rv = 1;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly sorted = new Map<string, string[]>();
  private history: StoreChange[] = [];
  private compactedRv = 1;
  private readonly historySize: number;
  private readonly listeners = new Set<(change: StoreChange) => void>();
  private readonly pending: StoreChange[] = [];
  private delivering = false;

  constructor(options: StoreOptions) {
    this.clock = options.clock;
    this.random = options.random;
    this.historySize = options.historySize ?? 50_000;
    this.rv = options.firstResourceVersion ?? 1;
    this.compactedRv = this.rv;
  }

  resourceVersion(): string {
    return String(this.rv);
  }

  /** The oldest resourceVersion a watch can still start from. */
  oldestResourceVersion(): number {
    return this.compactedRv;
  }

  private bucket(resource: string): Map<string, KubeObject> {
    let bucket = this.objects.get(resource);
    if (!bucket) {
      resourceDef(resource);
      bucket = new Map();
      this.objects.set(resource, bucket);
    }
    return bucket;
  }

  get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.bucket(resource).get(objectKey(namespace, name));
  }

  /** Every object of a resource, in no particular order. */
  all(resource: string): IterableIterator<KubeObject> {
    return this.bucket(resource).values();
  }

  count(resource: string): number {
    return this.bucket(resource).size;
  }

  /** Keys in list order (namespace, then name), cached until an object is added or removed. */
  sortedKeys(resource: string): string[] {
    let keys = this.sorted.get(resource);
    if (!keys) {
      keys = [...this.bucket(resource).keys()].sort();
      this.sorted.set(resource, keys);
    }
    return keys;
  }

  byKey(resource: string, key: string): KubeObject | undefined {
    return this.bucket(resource).get(key);
  }

  private fill(resource: string, obj: NewObject, rv: number): KubeObject {
    const def = resourceDef(resource);
    if (def.namespaced !== (obj.metadata.namespace !== undefined)) {
      throw new Error(
        `${resource} ${obj.metadata.name}: namespace ${def.namespaced ? "missing" : "not allowed"}`,
      );
    }
    return {
      ...obj,
      metadata: {
        ...obj.metadata,
        uid: obj.metadata.uid ?? uuid(this.random),
        creationTimestamp: obj.metadata.creationTimestamp ?? kubeTime(this.clock.now()),
        resourceVersion: String(rv),
      },
    } as KubeObject;
  }

  create(resource: string, obj: NewObject): KubeObject {
    const bucket = this.bucket(resource);
    const key = objectKey(obj.metadata.namespace, obj.metadata.name);
    if (bucket.has(key))
      throw new StoreError("AlreadyExists", `${resource} "${obj.metadata.name}" already exists`);
    const stored = this.fill(resource, obj, ++this.rv);
    bucket.set(key, stored);
    this.sorted.delete(resource);
    this.record({ resource, type: "ADDED", object: stored, previous: null, rv: this.rv });
    return stored;
  }

  /** Stores a changed copy made by `change`; the stored object itself is never modified. */
  update(
    resource: string,
    namespace: string | undefined,
    name: string,
    change: (draft: KubeObject) => void,
  ): KubeObject {
    const bucket = this.bucket(resource);
    const key = objectKey(namespace, name);
    const previous = bucket.get(key);
    if (!previous) throw new StoreError("NotFound", `${resource} "${name}" not found`);
    const draft = structuredClone(previous);
    change(draft);
    draft.metadata.resourceVersion = String(++this.rv);
    bucket.set(key, draft);
    this.record({ resource, type: "MODIFIED", object: draft, previous, rv: this.rv });
    return draft;
  }

  remove(resource: string, namespace: string | undefined, name: string): KubeObject {
    const bucket = this.bucket(resource);
    const key = objectKey(namespace, name);
    const previous = bucket.get(key);
    if (!previous) throw new StoreError("NotFound", `${resource} "${name}" not found`);
    bucket.delete(key);
    this.sorted.delete(resource);
    const rv = ++this.rv;
    const object = { ...previous, metadata: { ...previous.metadata, resourceVersion: String(rv) } };
    this.record({ resource, type: "DELETED", object, previous, rv });
    return object;
  }

  /** Bulk load for big scenarios: no history entries and no listeners, like objects that predate every watch. */
  load(resource: string, objects: NewObject[]): void {
    const bucket = this.bucket(resource);
    for (const obj of objects) {
      bucket.set(objectKey(obj.metadata.namespace, obj.metadata.name), this.fill(resource, obj, ++this.rv));
    }
    this.sorted.delete(resource);
    this.compactedRv = this.rv;
    this.history = [];
  }

  /** Changes after `rv`, oldest first; null when `rv` is older than the history kept (410 Gone). */
  changesSince(rv: number): StoreChange[] | null {
    if (rv < this.compactedRv) return null;
    let lo = 0;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.history[mid] as StoreChange).rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    return this.history.slice(lo);
  }

  subscribe(listener: (change: StoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private record(change: StoreChange): void {
    this.history.push(change);
    if (this.history.length > this.historySize) {
      const drop = Math.floor(this.historySize / 2);
      this.compactedRv = (this.history[drop - 1] as StoreChange).rv;
      this.history = this.history.slice(drop);
    }
    // A listener may change the store (the kubelet answers a binding at once): its change is queued
    // behind the one being delivered, so every listener sees changes in resourceVersion order.
    this.pending.push(change);
    if (this.delivering) return;
    this.delivering = true;
    try {
      for (let next = this.pending.shift(); next; next = this.pending.shift()) {
        for (const listener of this.listeners) listener(next);
      }
    } finally {
      this.delivering = false;
      this.pending.length = 0;
    }
  }
}
