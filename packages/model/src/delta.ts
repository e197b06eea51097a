// Topology deltas: what changed between two topologies, keyed by node name and pod key, and how to
// apply it. The server diffs once per change and fans the delta out; the browser applies it. Both
// sides keep every unchanged object as it was (structural sharing), so a one-pod change costs a few
// hundred bytes on the wire and leaves the view's memoised node boxes untouched.
import type { Topology, TopologyDelta } from "./api.ts";
import type { NodeReport, PendingPodReport, PodKey, PodReport } from "./types.ts";

/** Structural equality of JSON-shaped values (plain objects, arrays, strings, numbers, booleans, null). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let count = 0;
  for (const key in ao) {
    if (ao[key] === undefined) continue;
    count++;
    if (!sameJson(ao[key], bo[key])) return false;
  }
  for (const key in bo) if (bo[key] !== undefined) count--;
  return count === 0;
}

const nodeKey = (n: NodeReport): string => n.name;
const podKey = (p: PodReport | PendingPodReport): PodKey => `${p.namespace}/${p.name}`;

interface KeyedChange<T> {
  upsert: T[];
  remove: string[];
}

function diffKeyed<T>(
  prev: readonly T[],
  next: readonly T[],
  key: (item: T) => string,
): KeyedChange<T> | null {
  if (prev === next) return null;
  const upsert: T[] = [];
  // Usual case: the same items in the same order, so walk both lists together without building maps.
  if (prev.length === next.length) {
    let i = 0;
    for (; i < next.length; i++) {
      const before = prev[i]!;
      const after = next[i]!;
      if (before === after) continue;
      if (key(before) !== key(after)) break;
      if (!sameJson(before, after)) upsert.push(after);
    }
    if (i === next.length) return upsert.length === 0 ? null : { upsert, remove: [] };
    upsert.length = 0;
  }
  const before = new Map<string, T>();
  for (const item of prev) before.set(key(item), item);
  const seen = new Set<string>();
  for (const item of next) {
    const k = key(item);
    seen.add(k);
    const old = before.get(k);
    if (old === undefined || !sameJson(old, item)) upsert.push(item);
  }
  const remove: string[] = [];
  for (const k of before.keys()) if (!seen.has(k)) remove.push(k);
  return upsert.length === 0 && remove.length === 0 ? null : { upsert, remove };
}

/** The delta that turns `prev` into `next`, or null when nothing but seq and generatedAt differ. */
export function diffTopology(prev: Topology, next: Topology): TopologyDelta | null {
  const delta: TopologyDelta = { seq: next.seq, generatedAt: next.generatedAt };
  let changed = false;
  const nodes = diffKeyed(prev.nodes, next.nodes, nodeKey);
  if (nodes) {
    delta.nodes = nodes;
    changed = true;
  }
  const pods = diffKeyed(prev.pods, next.pods, podKey);
  if (pods) {
    delta.pods = pods;
    changed = true;
  }
  const pending = diffKeyed(prev.pending, next.pending, podKey);
  if (pending) {
    delta.pending = pending;
    changed = true;
  }
  // Small parts travel whole when anything in them changed.
  if (!sameJson(prev.summary, next.summary)) {
    delta.summary = next.summary;
    changed = true;
  }
  if (!sameJson(prev.cluster, next.cluster)) {
    delta.cluster = next.cluster;
    changed = true;
  }
  if (!sameJson(prev.subnets, next.subnets)) {
    delta.subnets = next.subnets;
    changed = true;
  }
  if (!sameJson(prev.zones, next.zones)) {
    delta.zones = next.zones;
    changed = true;
  }
  if (!sameJson(prev.detachedEnis, next.detachedEnis)) {
    delta.detachedEnis = next.detachedEnis;
    changed = true;
  }
  if (!sameJson(prev.warnings, next.warnings)) {
    delta.warnings = next.warnings;
    changed = true;
  }
  if (!sameJson(prev.sources, next.sources)) {
    delta.sources = next.sources;
    changed = true;
  }
  return changed ? delta : null;
}

function insertSorted<T>(items: T[], item: T, key: (item: T) => string): void {
  const k = key(item);
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(items[mid]!) < k) lo = mid + 1;
    else hi = mid;
  }
  items.splice(lo, 0, item);
}

/** Replaced items keep their place; new items keep a key-sorted list sorted, else go to the end. */
function applyKeyed<T>(
  prev: readonly T[],
  change: KeyedChange<T> | undefined,
  key: (item: T) => string,
): T[] {
  if (!change) return prev as T[];
  const removed = new Set(change.remove);
  const updates = new Map<string, T>();
  for (const item of change.upsert) updates.set(key(item), item);
  // One pass: each key is computed once, and whether the list was in key order is learnt on the way.
  let sorted = true;
  let lastKey = "";
  const out: T[] = [];
  for (const item of prev) {
    const k = key(item);
    if (k < lastKey) sorted = false;
    lastKey = k;
    if (removed.has(k)) continue;
    const update = updates.get(k);
    if (update !== undefined) {
      out.push(update);
      updates.delete(k);
    } else {
      out.push(item);
    }
  }
  for (const item of updates.values()) {
    if (sorted) insertSorted(out, item, key);
    else out.push(item);
  }
  return out;
}

/** Thrown when a delta does not follow the topology it is applied to: the client must take a fresh snapshot. */
export class DeltaSequenceError extends Error {
  readonly code = "delta-out-of-sequence";
  constructor(expected: number, got: number) {
    super(`delta ${got} does not follow topology ${expected}: reload the snapshot`);
    this.name = "DeltaSequenceError";
  }
}

/** `prev` with `delta` applied. Every part the delta does not name is the same object as in `prev`. */
export function applyDelta(prev: Topology, delta: TopologyDelta): Topology {
  if (delta.seq !== prev.seq + 1) throw new DeltaSequenceError(prev.seq, delta.seq);
  return {
    ...prev,
    seq: delta.seq,
    generatedAt: delta.generatedAt,
    summary: delta.summary ?? prev.summary,
    cluster: delta.cluster ?? prev.cluster,
    nodes: applyKeyed(prev.nodes, delta.nodes, nodeKey),
    pods: applyKeyed(prev.pods, delta.pods, podKey),
    pending: applyKeyed(prev.pending, delta.pending, podKey),
    subnets: delta.subnets ?? prev.subnets,
    zones: delta.zones ?? prev.zones,
    detachedEnis: delta.detachedEnis ?? prev.detachedEnis,
    warnings: delta.warnings ?? prev.warnings,
    sources: delta.sources ?? prev.sources,
  };
}
