// Topology deltas: what changed between two topologies and how to apply it. The server diffs once per
// change and fans the delta out; the browser applies it. A changed node travels as the fields that changed,
// and per ENI the slots whose pod changed, so a one-pod change costs a few hundred bytes on the wire
// however many ENIs and slots the node has. Applying keeps every unchanged object as it was (structural
// sharing, down to the ENIs), so the view's memoised drawings stay valid, and finds the delta's keys by
// binary search in the key-sorted lists, so a delta costs the same at 150 pods and at 150,000.
import type {
  EniPatch,
  FieldPatch,
  ItemPatch,
  KeyedChange,
  NodePatch,
  Topology,
  TopologyDelta,
} from "./api.ts";
import type {
  CoolingIpReport,
  DetachedEniReport,
  EniReport,
  NodeReport,
  PendingPodReport,
  PodKey,
  PodReport,
  SlotReport,
  SubnetReport,
  ZoneReport,
} from "./types.ts";

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

type Json = Record<string, unknown>;

const nodeKey = (n: NodeReport): string => n.name;
export const podKey = (p: PodReport | PendingPodReport): PodKey => `${p.namespace}/${p.name}`;
const subnetKey = (s: SubnetReport | DetachedEniReport): string => s.id;
const zoneKey = (z: ZoneReport): string => z.zone;
// The cooling list is sorted by IP (cooling.ts), so the keyed walk keeps its order.
const coolingKey = (c: CoolingIpReport): string => c.ip;
const noneCooling: readonly CoolingIpReport[] = [];

/** Thrown when a delta does not fit the topology it is applied to (wrong seq, or a key it names is not
 * there): the client must take a fresh snapshot. */
export class DeltaSequenceError extends Error {
  readonly code = "delta-out-of-sequence";
  constructor(expected: number, got: number, detail?: string) {
    super(
      detail === undefined
        ? `delta ${got} does not follow topology ${expected}: reload the snapshot`
        : `delta ${got} does not fit topology ${expected} (${detail}): reload the snapshot`,
    );
    this.name = "DeltaSequenceError";
  }
}

// ---------------------------------------------------------------------------------------------
// Diff

/** The fields of `next` that differ from `prev` (those in `skip` aside), or null when none do. */
function diffFields<T>(prev: T, next: T, skip: ReadonlySet<string>): FieldPatch<T> | null {
  const a = prev as Json;
  const b = next as Json;
  let set: Json | undefined;
  let unset: string[] | undefined;
  for (const k in b) {
    if (skip.has(k)) continue;
    const v = b[k];
    if (v === undefined) {
      if (a[k] !== undefined) {
        unset ??= [];
        unset.push(k);
      }
    } else if (!sameJson(a[k], v)) {
      set ??= {};
      set[k] = v;
    }
  }
  for (const k in a) {
    if (!skip.has(k) && a[k] !== undefined && !(k in b)) {
      unset ??= [];
      unset.push(k);
    }
  }
  if (set === undefined && unset === undefined) return null;
  const patch: FieldPatch<T> = {};
  if (set !== undefined) patch.set = set as Partial<T>;
  if (unset !== undefined) patch.unset = unset;
  return patch;
}

const noSkip: ReadonlySet<string> = new Set();
const eniSkip: ReadonlySet<string> = new Set(["id", "slots"]);
const nodeSkip: ReadonlySet<string> = new Set(["enis"]);

/** What diffing an item gives: nothing changed, a patch, or "send it whole". */
const WHOLE = Symbol("whole");
type ItemDiff<P> = P | null | typeof WHOLE;

function diffItem<T>(key: string, prev: T, next: T): ItemDiff<ItemPatch<T>> {
  if (prev === next) return null;
  const fields = diffFields(prev, next, noSkip);
  return fields === null ? null : { key, ...fields };
}

/** Two slots at the same place: the same IP, prefix and any other field, the pod aside. */
function samePlace(a: SlotReport, b: SlotReport): boolean {
  if (a.ip !== b.ip || a.prefix !== b.prefix) return false;
  let count = 0;
  for (const k in a) if (k !== "pod" && (a as unknown as Json)[k] !== undefined) count++;
  for (const k in b) if (k !== "pod" && (b as unknown as Json)[k] !== undefined) count--;
  return count === 0;
}

/** The patch of one ENI (null when unchanged): pod changes slot by slot when its IPs stayed put. */
function diffEni(prev: EniReport, next: EniReport): EniPatch | null {
  if (prev === next) return null;
  const fields = diffFields(prev, next, eniSkip);
  const patch: EniPatch = { id: next.id, ...fields };
  let changed = fields !== null;
  const a = prev.slots;
  const b = next.slots;
  if (a !== b) {
    let samePlaces = a.length === b.length;
    for (let i = 0; samePlaces && i < a.length; i++) samePlaces = samePlace(a[i]!, b[i]!);
    if (samePlaces) {
      const pods: [number, PodKey | null][] = [];
      for (let i = 0; i < b.length; i++) {
        const pod = b[i]!.pod ?? null;
        if ((a[i]!.pod ?? null) !== pod) pods.push([i, pod]);
      }
      if (pods.length > 0) {
        patch.pods = pods;
        changed = true;
      }
    } else {
      patch.slots = b;
      changed = true;
    }
  }
  return changed ? patch : null;
}

function uniqueIds(enis: readonly EniReport[]): boolean {
  if (enis.length < 2) return true;
  return new Set(enis.map((e) => e.id)).size === enis.length;
}

/** The patch of one node (null when unchanged, WHOLE when its ENIs cannot be told apart by id). */
function diffNodeItem(key: string, prev: NodeReport, next: NodeReport): ItemDiff<NodePatch> {
  if (prev === next) return null;
  const fields = diffFields(prev, next, nodeSkip);
  const patch: NodePatch = { key, ...fields };
  let changed = fields !== null;
  if (prev.enis !== next.enis) {
    const a = prev.enis;
    const b = next.enis;
    if (!(uniqueIds(a) && uniqueIds(b))) return WHOLE;
    let sameOrder = a.length === b.length;
    for (let i = 0; sameOrder && i < a.length; i++) sameOrder = a[i]!.id === b[i]!.id;
    const before = sameOrder ? null : new Map(a.map((e) => [e.id, e]));
    const enis: EniPatch[] = [];
    const added: EniReport[] = [];
    for (let i = 0; i < b.length; i++) {
      const after = b[i]!;
      const old = before === null ? a[i]! : before.get(after.id);
      if (old === undefined) added.push(after);
      else {
        const p = diffEni(old, after);
        if (p !== null) enis.push(p);
      }
    }
    if (enis.length > 0) patch.enis = enis;
    if (added.length > 0) patch.addEnis = added;
    if (!sameOrder) patch.eniOrder = b.map((e) => e.id);
    changed ||= enis.length > 0 || !sameOrder;
  }
  return changed ? patch : null;
}

function strictlySortedKeys<T>(items: readonly T[], key: (item: T) => string): boolean {
  let last: string | null = null;
  for (const item of items) {
    const k = key(item);
    if (last !== null && k <= last) return false;
    last = k;
  }
  return true;
}

function addDiff<T, P extends ItemPatch<T>>(
  change: KeyedChange<T, P>,
  patches: P[],
  d: ItemDiff<P>,
  item: T,
): void {
  if (d === WHOLE) change.upsert.push(item);
  else if (d !== null) patches.push(d);
}

/**
 * The change between two lists in strictly increasing key order, in one merge walk that computes each key
 * once (applyDelta's sorted insertion then rebuilds the same order). False, with `change` and `patches`
 * part-filled, as soon as either list turns out not to be in order.
 */
function mergeSorted<T, P extends ItemPatch<T>>(
  prev: readonly T[],
  next: readonly T[],
  key: (item: T) => string,
  diff: (key: string, prev: T, next: T) => ItemDiff<P>,
  change: KeyedChange<T, P>,
  patches: P[],
): boolean {
  let i = 0;
  let j = 0;
  let ka = prev.length > 0 ? key(prev[0]!) : null;
  let kb = next.length > 0 ? key(next[0]!) : null;
  const advanceA = (): boolean => {
    i++;
    const k = i < prev.length ? key(prev[i]!) : null;
    if (k !== null && k <= ka!) return false;
    ka = k;
    return true;
  };
  const advanceB = (): boolean => {
    j++;
    const k = j < next.length ? key(next[j]!) : null;
    if (k !== null && k <= kb!) return false;
    kb = k;
    return true;
  };
  // A list known to be in order (an earlier diff or applyDelta found it so) lets a run of objects both
  // lists share go by without computing their keys: they are the same keys in the same order.
  const prevInOrder = sortedLists.has(prev);
  while (ka !== null || kb !== null) {
    if (kb === null || (ka !== null && ka < kb)) {
      change.remove.push(ka!);
      if (!advanceA()) return false;
    } else if (ka === null || kb < ka) {
      change.upsert.push(next[j]!);
      if (!advanceB()) return false;
    } else if (prevInOrder && prev[i] === next[j]) {
      while (i + 1 < prev.length && j + 1 < next.length && prev[i + 1] === next[j + 1]) {
        i++;
        j++;
      }
      // Both now at the run's last object, whose key the next ones must exceed.
      ka = key(prev[i]!);
      kb = ka;
      if (!advanceA() || !advanceB()) return false;
    } else {
      addDiff(change, patches, diff(kb, prev[i]!, next[j]!), next[j]!);
      if (!advanceA() || !advanceB()) return false;
    }
  }
  sortedLists.add(prev);
  sortedLists.add(next);
  return true;
}

/**
 * diffKeyed's change, for lists with unique keys where an unchanged item is the same object in both (a
 * report rebuilt from the previous one, as a plan's is) and `prev` is not in key order: only the items not
 * in both lists are keyed, where diffKeyed keys and maps all of them (a third of a second for a plan's
 * 140,000 pods). Null when the lists share too little for that to pay.
 */
function diffShared<T, P extends ItemPatch<T>>(
  prev: readonly T[],
  next: readonly T[],
  key: (item: T) => string,
  diff: (key: string, prev: T, next: T) => ItemDiff<P>,
): KeyedChange<T, P> | null | undefined {
  const inPrev = new Set<T>(prev);
  const inNext = new Set<T>(next);
  const gone = new Map<string, T>();
  for (const item of prev) if (!inNext.has(item)) gone.set(key(item), item);
  if (gone.size > prev.length / 2) return undefined;
  const change: KeyedChange<T, P> = { upsert: [], remove: [] };
  const patches: P[] = [];
  const replaced = new Map<T, T>();
  const added: T[] = [];
  for (const item of next) {
    if (inPrev.has(item)) continue;
    const k = key(item);
    const old = gone.get(k);
    if (old === undefined) {
      change.upsert.push(item);
      added.push(item);
      continue;
    }
    gone.delete(k);
    replaced.set(old, item);
    addDiff(change, patches, diff(k, old, item), item);
  }
  const removed = new Set(gone.values());
  change.remove = [...gone.keys()];
  // The order applyDelta builds on an unsorted list: kept items in their places, new ones appended.
  let j = 0;
  let inOrder = true;
  for (const item of prev) {
    if (removed.has(item)) continue;
    if (next[j++] !== (replaced.get(item) ?? item)) {
      inOrder = false;
      break;
    }
  }
  for (let a = 0; inOrder && a < added.length; a++) inOrder = next[j++] === added[a];
  if (!inOrder) change.order = next.map(key);
  if (patches.length > 0) change.patch = patches;
  return change.upsert.length + change.remove.length + patches.length > 0 || change.order ? change : null;
}

function diffKeyed<T, P extends ItemPatch<T>>(
  prev: readonly T[],
  next: readonly T[],
  key: (item: T) => string,
  diff: (key: string, prev: T, next: T) => ItemDiff<P>,
  shared = false,
): KeyedChange<T, P> | null {
  if (prev === next) return null;
  const change: KeyedChange<T, P> = { upsert: [], remove: [] };
  const patches: P[] = [];
  const done = (): KeyedChange<T, P> | null => {
    if (patches.length > 0) change.patch = patches;
    return change.upsert.length + change.remove.length + patches.length > 0 || change.order ? change : null;
  };
  // Usual case: the same items in the same order, so walk both lists together.
  if (prev.length === next.length) {
    let i = 0;
    for (; i < next.length; i++) {
      const before = prev[i]!;
      const after = next[i]!;
      if (before === after) continue;
      const k = key(after);
      if (key(before) !== k) break;
      addDiff(change, patches, diff(k, before, after), after);
    }
    if (i === next.length) return done();
    change.upsert.length = 0;
    patches.length = 0;
  }
  if (mergeSorted(prev, next, key, diff, change, patches)) return done();
  change.upsert.length = 0;
  change.remove.length = 0;
  patches.length = 0;
  const prevSorted = strictlySortedKeys(prev, key);
  if (shared && !prevSorted) {
    const quick = diffShared(prev, next, key, diff);
    if (quick !== undefined) return quick;
  }
  const before = new Map<string, T>();
  for (const item of prev) before.set(key(item), item);
  const nextKeys = next.map(key);
  const seen = new Set(nextKeys);
  if (before.size !== prev.length || seen.size !== next.length) {
    // A key twice in one list: keys cannot say which is which, so the list goes whole, in order.
    return { upsert: [...next], remove: [], order: nextKeys };
  }
  const added: string[] = [];
  for (let n = 0; n < next.length; n++) {
    const k = nextKeys[n]!;
    const item = next[n]!;
    const old = before.get(k);
    if (old === undefined) {
      change.upsert.push(item);
      added.push(k);
    } else addDiff(change, patches, diff(k, old, item), item);
  }
  for (const k of before.keys()) if (!seen.has(k)) change.remove.push(k);
  // The order applyDelta would build (kept keys in their old order, new ones put in place or appended):
  // when it is not the new order, the delta says the order. Into a list in key order applyDelta puts
  // each new key in place, so what it builds is the new keys in key order: the new order is that exactly
  // when it is in key order. (Inserting them one by one here took minutes for the first build's 600,000
  // pods at 20,000 nodes.)
  if (prevSorted) {
    if (!strictlySortedKeys(nextKeys, (k) => k)) change.order = nextKeys;
    return done();
  }
  const removed = new Set(change.remove);
  const built = prev.map(key).filter((k) => !removed.has(k));
  for (const k of added) built.push(k);
  if (built.some((k, n) => k !== nextKeys[n])) change.order = nextKeys;
  return done();
}

/** Changed fields of a small object (the summary), or null when it is the same. */
function diffSet<T>(prev: T, next: T): Partial<T> | null {
  if (prev === next) return null;
  const fields = diffFields(prev, next, noSkip);
  if (fields === null) return null;
  // Its fields are all required numbers, so a field is never unset; send the whole object if one is.
  return fields.unset ? next : (fields.set ?? null);
}

/** The delta that turns `prev` into `next`, or null when nothing but seq and generatedAt differ. `shared`:
 * `next` was built from `prev` (buildReport with it as the previous report), so every pod that did not
 * change is the same object in both, and pod keys are unique (see diffShared). */
export function diffTopology(prev: Topology, next: Topology, shared = false): TopologyDelta | null {
  const delta: TopologyDelta = { seq: next.seq, generatedAt: next.generatedAt };
  let changed = false;
  const nodes = diffKeyed(prev.nodes, next.nodes, nodeKey, diffNodeItem);
  if (nodes) {
    delta.nodes = nodes;
    changed = true;
  }
  const pods = diffKeyed(prev.pods, next.pods, podKey, diffItem, shared);
  if (pods) {
    delta.pods = pods;
    changed = true;
  }
  const pending = diffKeyed(prev.pending, next.pending, podKey, diffItem, shared);
  if (pending) {
    delta.pending = pending;
    changed = true;
  }
  const summary = diffSet(prev.summary, next.summary);
  if (summary) {
    delta.summary = summary;
    changed = true;
  }
  if (!sameJson(prev.cluster, next.cluster)) {
    delta.cluster = next.cluster;
    changed = true;
  }
  const subnets = diffKeyed(prev.subnets, next.subnets, subnetKey, diffItem);
  if (subnets) {
    delta.subnets = subnets;
    changed = true;
  }
  const zones = diffKeyed(prev.zones, next.zones, zoneKey, diffItem);
  if (zones) {
    delta.zones = zones;
    changed = true;
  }
  const detached = diffKeyed(prev.detachedEnis, next.detachedEnis, subnetKey, diffItem);
  if (detached) {
    delta.detachedEnis = detached;
    changed = true;
  }
  if (!sameJson(prev.warnings, next.warnings)) {
    delta.warnings = next.warnings;
    changed = true;
  }
  const cooling = diffKeyed(prev.cooling ?? noneCooling, next.cooling ?? noneCooling, coolingKey, diffItem);
  if (cooling) {
    delta.cooling = cooling;
    changed = true;
  }
  if (!sameJson(prev.sources, next.sources)) {
    delta.sources = next.sources;
    changed = true;
  }
  return changed ? delta : null;
}

// ---------------------------------------------------------------------------------------------
// Apply

/** The first index whose key is not below `k` in a key-sorted list. */
export function lowerBound<T>(items: readonly T[], k: string, key: (item: T) => string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(items[mid]!) < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// Lists known to be in strictly increasing key order. A list is checked once (one walk, or a diff's merge
// walk) and the lists applyDelta builds from it stay sorted, so later deltas skip the walk. Each list is
// only ever read with its own key, so the list alone is the cache key; topologies are never changed in
// place, so what was found stays true.
const sortedLists = new WeakSet<readonly unknown[]>();
const unsortedLists = new WeakSet<readonly unknown[]>();

function isSorted<T>(items: readonly T[], key: (item: T) => string): boolean {
  if (sortedLists.has(items)) return true;
  if (unsortedLists.has(items)) return false;
  const sorted = strictlySortedKeys(items, key);
  (sorted ? sortedLists : unsortedLists).add(items);
  return sorted;
}

function applyFields<T>(prev: T, patch: FieldPatch<T>): T {
  if (patch.set === undefined && patch.unset === undefined) return prev;
  const out = { ...(prev as Json), ...(patch.set as Json | undefined) };
  if (patch.unset === undefined) return out as T;
  const gone = new Set(patch.unset);
  const kept: Json = {};
  for (const k in out) if (!gone.has(k)) kept[k] = out[k];
  return kept as T;
}

type Patcher<T, P> = (prev: T, patch: P) => T;

function applyEni(prev: EniReport, patch: EniPatch, bad: (why: string) => Error): EniReport {
  const out = applyFields(prev, patch);
  if (patch.slots !== undefined) return { ...out, slots: patch.slots };
  if (patch.pods === undefined) return out;
  const slots = prev.slots.slice();
  for (const [i, pod] of patch.pods) {
    const slot = slots[i];
    if (slot === undefined) throw bad(`ENI ${prev.id} has no slot ${i}`);
    slots[i] = { ...slot, pod };
  }
  return out === prev ? { ...prev, slots } : { ...out, slots };
}

function applyNode(prev: NodeReport, patch: NodePatch, bad: (why: string) => Error): NodeReport {
  const out = applyFields(prev, patch);
  if (patch.enis === undefined && patch.addEnis === undefined && patch.eniOrder === undefined) return out;
  const patches = new Map((patch.enis ?? []).map((p) => [p.id, p]));
  const patchOne = (e: EniReport): EniReport => {
    const p = patches.get(e.id);
    return p === undefined ? e : applyEni(e, p, bad);
  };
  let enis: EniReport[];
  if (patch.eniOrder === undefined) {
    enis = prev.enis.map(patchOne);
  } else {
    const byId = new Map<string, EniReport>();
    for (const e of prev.enis) byId.set(e.id, e);
    for (const e of patch.addEnis ?? []) byId.set(e.id, e);
    enis = patch.eniOrder.map((id) => {
      const e = byId.get(id);
      if (e === undefined) throw bad(`node ${prev.name} has no ENI ${id}`);
      return patchOne(e);
    });
  }
  return out === prev ? { ...prev, enis } : { ...out, enis };
}

function applyKeyed<T, P extends ItemPatch<T>>(
  prev: readonly T[],
  change: KeyedChange<T, P> | undefined,
  key: (item: T) => string,
  patchItem: Patcher<T, P>,
  bad: (why: string) => Error,
): T[] {
  if (!change) return prev as T[];
  const upsert = change.upsert ?? [];
  const remove = change.remove ?? [];
  const patches = change.patch ?? [];
  if (change.order === undefined && isSorted(prev, key)) {
    const out = prev.slice();
    for (const k of remove) {
      const i = lowerBound(out, k, key);
      if (i < out.length && key(out[i]!) === k) out.splice(i, 1);
    }
    for (const p of patches) {
      const i = lowerBound(out, p.key, key);
      if (i >= out.length || key(out[i]!) !== p.key) throw bad(`no "${p.key}" to change`);
      out[i] = patchItem(out[i]!, p);
    }
    for (const item of upsert) {
      const k = key(item);
      const i = lowerBound(out, k, key);
      if (i < out.length && key(out[i]!) === k) out[i] = item;
      else out.splice(i, 0, item);
    }
    sortedLists.add(out);
    return out;
  }
  // Not in key order (or the delta gives the order): one walk with a map.
  const removed = new Set(remove);
  const out: T[] = [];
  const at = new Map<string, number>();
  for (const item of prev) {
    const k = key(item);
    if (removed.has(k)) continue;
    at.set(k, out.length);
    out.push(item);
  }
  for (const p of patches) {
    const i = at.get(p.key);
    if (i === undefined) throw bad(`no "${p.key}" to change`);
    out[i] = patchItem(out[i]!, p);
  }
  for (const item of upsert) {
    const k = key(item);
    const i = at.get(k);
    if (i === undefined || change.order !== undefined) {
      at.set(k, out.length);
      out.push(item);
    } else out[i] = item;
  }
  if (change.order === undefined) return out;
  // Every key an upsert: the list was sent whole (it had a key twice), in order.
  if (change.order.length === upsert.length) return upsert.slice();
  return change.order.map((k) => {
    const i = at.get(k);
    if (i === undefined) throw bad(`no "${k}" to put in order`);
    return out[i]!;
  });
}

/** `prev` with `delta` applied. Every part the delta does not name is the same object as in `prev`. */
export function applyDelta(prev: Topology, delta: TopologyDelta): Topology {
  if (delta.seq !== prev.seq + 1) throw new DeltaSequenceError(prev.seq, delta.seq);
  return patchTopology(prev, delta);
}

/** applyDelta without the sequence check, for a delta that is not the stream's next (a plan's, made
 * against the topology it names itself). Throws DeltaSequenceError when a key it names is not there. */
export function patchTopology(prev: Topology, delta: TopologyDelta): Topology {
  const bad = (why: string) => new DeltaSequenceError(prev.seq, delta.seq, why);
  const node: Patcher<NodeReport, NodePatch> = (n, p) => applyNode(n, p, bad);
  const next: Topology = {
    ...prev,
    seq: delta.seq,
    generatedAt: delta.generatedAt,
    summary: delta.summary ? { ...prev.summary, ...delta.summary } : prev.summary,
    cluster: delta.cluster ?? prev.cluster,
    nodes: applyKeyed(prev.nodes, delta.nodes, nodeKey, node, bad),
    pods: applyKeyed(prev.pods, delta.pods, podKey, applyFields, bad),
    pending: applyKeyed(prev.pending, delta.pending, podKey, applyFields, bad),
    subnets: applyKeyed(prev.subnets, delta.subnets, subnetKey, applyFields, bad),
    zones: applyKeyed(prev.zones, delta.zones, zoneKey, applyFields, bad),
    detachedEnis: applyKeyed(prev.detachedEnis, delta.detachedEnis, subnetKey, applyFields, bad),
    warnings: delta.warnings ?? prev.warnings,
    sources: delta.sources ?? prev.sources,
  };
  // A topology with no IP cooling down has no list at all.
  if (delta.cooling !== undefined) {
    const cooling = applyKeyed(prev.cooling ?? noneCooling, delta.cooling, coolingKey, applyFields, bad);
    if (cooling.length > 0) next.cooling = cooling;
    else delete next.cooling;
  }
  return next;
}
