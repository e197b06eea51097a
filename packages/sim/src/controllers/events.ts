// Kubernetes events as components record them (core/v1 Event). Repeats of the same reason from the same
// source about the same object update one event's count and lastTimestamp, as client-go's event
// correlator does, so a pod retrying its sandbox every few seconds keeps one growing event.
import { kubeTime, type ObjectStore } from "../kube/store.ts";
import type { KubeObject } from "../kube/types.ts";

export interface EventSource {
  component: string;
  host?: string;
}

const eventTtlMs = 60 * 60 * 1000;

export class EventRecorder {
  private readonly store: ObjectStore;
  private seq = 0;
  /** correlation key -> event name */
  private readonly recent = new Map<string, { namespace: string; name: string; last: number }>();

  constructor(store: ObjectStore) {
    this.store = store;
  }

  record(
    involved: KubeObject,
    type: "Normal" | "Warning",
    reason: string,
    message: string,
    source: EventSource,
    fieldPath?: string,
  ): void {
    const now = this.store.clock.now();
    const time = kubeTime(now);
    const namespace = involved.metadata.namespace ?? "default";
    const key = [
      involved.metadata.uid,
      reason,
      type,
      source.component,
      source.host ?? "",
      fieldPath ?? "",
    ].join("|");
    const seen = this.recent.get(key);
    if (seen && this.store.get("events", seen.namespace, seen.name)) {
      seen.last = now;
      this.store.update("events", seen.namespace, seen.name, (e) => {
        e.count = (e.count ?? 1) + 1;
        e.lastTimestamp = time;
        e.message = message;
      });
      return;
    }
    // Event names are the object's name and a hex timestamp, as client-go makes them.
    const name = `${involved.metadata.name}.${(BigInt(Math.floor(now)) * 1_000_000n + BigInt(this.seq++ % 1_000_000)).toString(16)}`;
    this.store.create("events", {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name, namespace },
      involvedObject: {
        kind: involved.kind,
        namespace: involved.metadata.namespace,
        name: involved.metadata.name,
        uid: involved.metadata.uid,
        apiVersion: involved.apiVersion,
        resourceVersion: involved.metadata.resourceVersion,
        ...(fieldPath ? { fieldPath } : {}),
      },
      reason,
      message,
      source,
      firstTimestamp: time,
      lastTimestamp: time,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? "",
    });
    this.recent.set(key, { namespace, name, last: now });
  }

  /** Drops events older than an hour, as the API server's event TTL does. */
  expire(): void {
    const cutoff = this.store.clock.now() - eventTtlMs;
    for (const [key, seen] of this.recent) {
      if (seen.last >= cutoff) continue;
      this.recent.delete(key);
      if (this.store.get("events", seen.namespace, seen.name))
        this.store.remove("events", seen.namespace, seen.name);
    }
  }
}
