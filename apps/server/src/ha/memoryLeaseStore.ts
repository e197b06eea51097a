// A Lease kept in memory with the API server's concurrency rules (a create of an existing Lease and an
// update from an old resourceVersion are refused with 409): leader election's tests run on it with a
// stepped clock.
import { KubeApiError } from "../sources/kube/kubeClient.ts";
import type { LeaseRecord, LeaseStore, StoredLease } from "./leaseStore.ts";

export class MemoryLeaseStore implements LeaseStore {
  current: StoredLease | null = null;
  private version = 0;
  /** Answers fail while this is set (an API server out of reach). */
  down = false;

  private check(): void {
    if (this.down) throw new KubeApiError("cannot reach the Kubernetes API", null, "Unreachable");
  }

  private store(record: LeaseRecord): StoredLease {
    this.current = { record: structuredClone(record), resourceVersion: String(++this.version) };
    return structuredClone(this.current);
  }

  async get(): Promise<StoredLease | null> {
    this.check();
    return structuredClone(this.current);
  }

  async create(record: LeaseRecord): Promise<StoredLease> {
    this.check();
    if (this.current) throw new KubeApiError("AlreadyExists", 409, "AlreadyExists");
    return this.store(record);
  }

  async update(record: LeaseRecord, resourceVersion: string): Promise<StoredLease> {
    this.check();
    if (!this.current) throw new KubeApiError("NotFound", 404, "NotFound");
    if (resourceVersion !== this.current.resourceVersion) throw new KubeApiError("Conflict", 409, "Conflict");
    return this.store(record);
  }
}
