// Kubernetes events as components record them (core/v1 Event), correlated as client-go does: an exact
// repeat (same object, source, reason and message) raises one event's count; past 10 events that differ
// only in message (a sandbox id each time) the rest go into one "(combined from similar events)" event.
import { kubeTime, type ObjectStore } from "../kube/store.ts";
import type { KubeObject } from "../kube/types.ts";

export interface EventSource {
  component: string;
  host?: string;
}

const eventTtlMs = 60 * 60 * 1000;
/** client-go's EventAggregator: after this many similar events the rest are combined. */
const maxSimilar = 10;

export class EventRecorder {
  private readonly store: ObjectStore;
  private seq = 0;
  /** correlation key -> event name */
  private readonly recent = new Map<string, { namespace: string; name: string; last: number }>();
  /** similar-event key -> distinct messages seen */
  private readonly similar = new Map<string, { distinct: number; last: number }>();

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
    const similarKey = [
      involved.metadata.uid,
      reason,
      type,
      source.component,
      source.host ?? "",
      fieldPath ?? "",
    ].join("|");
    const similar = this.similar.get(similarKey) ?? { distinct: 0, last: now };
    similar.last = now;
    this.similar.set(similarKey, similar);
    let key = `${similarKey}|${message}`;
    if (!this.recent.has(key) && ++similar.distinct > maxSimilar) {
      key = `${similarKey}|combined`;
      message = `(combined from similar events): ${message}`;
    }
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
    for (const [key, seen] of this.similar) if (seen.last < cutoff) this.similar.delete(key);
    for (const [key, seen] of this.recent) {
      if (seen.last >= cutoff) continue;
      this.recent.delete(key);
      if (this.store.get("events", seen.namespace, seen.name))
        this.store.remove("events", seen.namespace, seen.name);
    }
  }
}
