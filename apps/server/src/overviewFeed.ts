// The overview stream's side of the feed (GET /api/stream?view=overview): the thin topology of model
// overview.ts kept beside the whole one, and per published change the thin delta (serialised once for
// every overview viewer) and the names of the nodes the change touched, whose detail goes to the viewers
// that have them in view. Thin nodes are cached per node object, so a change costs a diff over the
// changed nodes only, as the whole stream's does.
import {
  advanceOverview,
  diffTopology,
  encodeTopology,
  type GroupTotals,
  nodeDetail,
  type OverviewTopology,
  overviewOf,
  prepareNodeDetail,
  sameJson,
  type ThinCache,
  type Topology,
  type TopologyDelta,
} from "@eni-view/model";
import { sseFrame, type TopologyFeed } from "./topologyFeed.ts";

export interface OverviewChange {
  /** The thin delta's SSE frame (event `delta`, `groups` added when the totals changed). */
  frame: string;
  /** Nodes added, changed or removed by the change. */
  touched: ReadonlySet<string>;
}

export class OverviewFeed {
  private readonly feed: TopologyFeed;
  private readonly cache: ThinCache = new WeakMap();
  private thin: OverviewTopology | null = null;
  private readonly listeners = new Set<(change: OverviewChange) => void>();
  private stopObserving: (() => void) | null = null;

  constructor(feed: TopologyFeed) {
    this.feed = feed;
  }

  seq(): number {
    return this.feed.topology().seq;
  }

  private json: { seq: number; compact: boolean; text: string } | null = null;

  /** The overview of now, as the `overview` event's data (compact, like the whole snapshot); made once per
   * change for every viewer that opens the stream (800 ms of CPU at 100,000 nodes). */
  overviewJson(compact: boolean): string {
    const thin = this.current();
    if (this.json?.seq !== thin.seq || this.json.compact !== compact)
      this.json = { seq: thin.seq, compact, text: JSON.stringify(compact ? encodeTopology(thin) : thin) };
    return this.json.text;
  }

  /** The whole detail of these nodes as of now. */
  detailJson(names: Iterable<string>): string {
    return JSON.stringify(nodeDetail(this.feed.topology(), names));
  }

  private prepared = -1;

  /** Makes the current topology's detail index once its change is out (0.4 s of CPU at 100,000 nodes on an
   * idle machine, made on the ask it held up a page's first zoom after each change by that much and more):
   * the next node a page zooms to is then answered at once. Only while pages read the overview. */
  prepareDetail(): void {
    const t = this.feed.topology();
    if (this.prepared === t.seq) return;
    this.prepared = t.seq;
    setImmediate(() => {
      if (this.feed.topology() === t) prepareNodeDetail(t);
    });
  }

  subscribe(listener: (change: OverviewChange) => void): () => void {
    // Observed only while someone reads the overview: a server nobody views this way pays nothing.
    this.stopObserving ??= this.feed.observe((prev, next, delta) => this.changed(prev, next, delta));
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        this.stopObserving?.();
        this.stopObserving = null;
        this.thin = null;
        this.json = null;
      }
    };
  }

  private current(): OverviewTopology {
    const now = this.feed.topology();
    if (this.thin?.seq !== now.seq) this.thin = overviewOf(now, this.cache);
    return this.thin;
  }

  private changed(prev: Topology, next: Topology, delta: TopologyDelta): void {
    if (this.listeners.size === 0) return;
    const before = this.thin?.seq === prev.seq ? this.thin : overviewOf(prev, this.cache);
    const after = advanceOverview(before, prev, next, this.cache);
    this.thin = after;
    const thinDelta = diffTopology(before, after) ?? { seq: next.seq, generatedAt: next.generatedAt };
    const groups: GroupTotals[] | undefined = sameJson(before.groups, after.groups)
      ? undefined
      : after.groups;
    const touched = touchedNodes(prev, delta);
    const frame = sseFrame("delta", JSON.stringify(groups ? { ...thinDelta, groups } : thinDelta), next.seq);
    for (const listener of this.listeners) {
      try {
        listener({ frame, touched });
      } catch {
        // One broken viewer must not stop the others.
      }
    }
    this.prepareDetail();
  }
}

/** The nodes whose detail a change alters: nodes added, patched or removed, and the nodes of pods added,
 * changed or removed (a pod's status can change while its slot does not). */
export function touchedNodes(prev: Topology, delta: TopologyDelta): Set<string> {
  const touched = new Set<string>();
  for (const n of delta.nodes?.upsert ?? []) touched.add(n.name);
  for (const p of delta.nodes?.patch ?? []) touched.add(p.key);
  for (const name of delta.nodes?.remove ?? []) touched.add(name);
  for (const p of delta.pods?.upsert ?? []) touched.add(p.node);
  // A patch names its pod by key only (and its node only when that changed): the pod's node is found in
  // the topology before. The pods' names are asked first, so the 800,000 pods of a 100,000-node cluster
  // make no key text each.
  const patched = delta.pods?.patch ?? [];
  for (const p of patched) if (typeof p.set?.node === "string") touched.add(p.set.node);
  const keys = new Set([...(delta.pods?.remove ?? []), ...patched.map((p) => p.key)]);
  if (keys.size === 0) return touched;
  const names = new Set([...keys].map((k) => k.slice(k.indexOf("/") + 1)));
  for (const p of prev.pods)
    if (names.has(p.name) && keys.has(`${p.namespace}/${p.name}`)) touched.add(p.node);
  return touched;
}
