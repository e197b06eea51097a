// The raw JSON shapes the simulated API server stores and serves: only the fields it sets or reads.
// Objects in the store are never changed in place; a change stores a new object (store.ts).
import type { ManagedFieldsEntry } from "./fieldManagers.ts";

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  creationTimestamp: string;
  generation?: number;
  generateName?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: ManagedFieldsEntry[];
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  // biome-ignore lint/suspicious/noExplicitAny: wire objects are open-ended JSON; each resource's builder types its own fields
  [field: string]: any;
}

/** A new object before the store gives it uid, resourceVersion and creationTimestamp. */
export type NewObject = Omit<KubeObject, "metadata"> & {
  metadata: Omit<ObjectMeta, "uid" | "resourceVersion" | "creationTimestamp"> & Partial<ObjectMeta>;
};

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

export interface StoreChange {
  resource: string;
  type: WatchEventType;
  /** The object after the change (for DELETED: the last state, with the deletion's resourceVersion). */
  object: KubeObject;
  /** The object before the change; null for ADDED. */
  previous: KubeObject | null;
  rv: number;
}
