// What a later V8 heap snapshot holds that an earlier one of the same page did not: objects whose snapshot
// id is new in the later one (V8 keeps ids stable across snapshots of one heap), grouped by constructor
// or node type, with the path that keeps a sample of each group alive. A structure filling up to a bound
// shows here as a few groups that stop growing between later pairs; a leak as groups that keep growing.
//   node bench/tools/heap-diff.ts before.heapsnapshot after.heapsnapshot [groups]
import { readFileSync } from "node:fs";

interface Snapshot {
  nodeCount: number;
  types: string[];
  strings: string[];
  nodes: Uint32Array;
  nodeFields: number;
  edges: Uint32Array;
  edgeFields: number;
  edgeTypes: string[];
  firstEdge: Uint32Array;
  f: { type: number; name: number; id: number; selfSize: number; edgeCount: number };
  e: { type: number; nameOrIndex: number; toNode: number };
}

interface RawSnapshot {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[], ...unknown[]];
      edge_fields: string[];
      edge_types: [string[], ...unknown[]];
    };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

export function readSnapshot(path: string): Snapshot {
  const raw = JSON.parse(readFileSync(path, "utf8")) as RawSnapshot;
  const meta = raw.snapshot.meta;
  const nodeFields = meta.node_fields.length;
  const edgeFields = meta.edge_fields.length;
  const nodes = Uint32Array.from(raw.nodes);
  const edges = Uint32Array.from(raw.edges);
  const nf = (n: string) => meta.node_fields.indexOf(n);
  const ef = (n: string) => meta.edge_fields.indexOf(n);
  const f = {
    type: nf("type"),
    name: nf("name"),
    id: nf("id"),
    selfSize: nf("self_size"),
    edgeCount: nf("edge_count"),
  };
  const nodeCount = nodes.length / nodeFields;
  const firstEdge = new Uint32Array(nodeCount + 1);
  for (let i = 0, at = 0; i < nodeCount; i++) {
    firstEdge[i] = at;
    at += nodes[i * nodeFields + f.edgeCount]! * edgeFields;
    firstEdge[i + 1] = at;
  }
  return {
    nodeCount,
    types: meta.node_types[0],
    strings: raw.strings,
    nodes,
    nodeFields,
    edges,
    edgeFields,
    edgeTypes: meta.edge_types[0],
    firstEdge,
    f,
    e: { type: ef("type"), nameOrIndex: ef("name_or_index"), toNode: ef("to_node") },
  };
}

function nodeType(s: Snapshot, i: number): string {
  return s.types[s.nodes[i * s.nodeFields + s.f.type]!]!;
}

function nodeName(s: Snapshot, i: number): string {
  return s.strings[s.nodes[i * s.nodeFields + s.f.name]!]!;
}

/** The first property names of an object: plain objects of different shapes are told apart by them. */
function keysOf(s: Snapshot, i: number): string {
  const property = s.edgeTypes.indexOf("property");
  const keys: string[] = [];
  for (let ei = s.firstEdge[i]!; ei < s.firstEdge[i + 1]! && keys.length < 5; ei += s.edgeFields)
    if (s.edges[ei + s.e.type] === property) {
      const k = s.strings[s.edges[ei + s.e.nameOrIndex]!]!;
      if (k !== "__proto__" && k !== "map") keys.push(k);
    }
  return `{${keys.join(",")}}`;
}

/** Objects by constructor name (plain objects by their first keys), everything else by its node type
 * (strings, arrays, code, closures by name). */
function groupOf(s: Snapshot, i: number): string {
  const t = nodeType(s, i);
  const name = nodeName(s, i);
  if (t === "object") return name === "Object" ? `Object${keysOf(s, i)}` : name;
  if (t === "closure") return `closure ${name || "(anonymous)"}`;
  if (t === "native") return `native ${name.split(" ")[0]}`;
  return `(${t})`;
}

interface Group {
  count: number;
  bytes: number;
  /** Objects of the group that are new in this snapshot. */
  fresh: number[];
}

/** A shortest path from the GC roots to every node (breadth-first along strong edges): parent and edge. */
function shortestPaths(s: Snapshot): { parent: Int32Array; via: Uint32Array } {
  const weak = s.edgeTypes.indexOf("weak");
  const shortcut = s.edgeTypes.indexOf("shortcut");
  const internal = s.edgeTypes.indexOf("internal");
  // A WeakMap's value is listed twice: from its table and from its key. Only the key keeps it alive, so the
  // table's edge is not followed (else a value would look held by the map itself).
  const fromTable = (n: number, ei: number) => {
    if (s.edges[ei + s.e.type] !== internal) return false;
    const m = /^\d+ \/ part of key \(.* @(\d+)\) -> value/.exec(s.strings[s.edges[ei + s.e.nameOrIndex]!]!);
    return m !== null && Number(m[1]) !== s.nodes[n * s.nodeFields + s.f.id];
  };
  const parent = new Int32Array(s.nodeCount).fill(-1);
  const via = new Uint32Array(s.nodeCount);
  parent[0] = 0;
  let frontier = [0];
  while (frontier.length > 0) {
    const next: number[] = [];
    for (const n of frontier)
      for (let ei = s.firstEdge[n]!; ei < s.firstEdge[n + 1]!; ei += s.edgeFields) {
        const t = s.edges[ei + s.e.type]!;
        if (t === weak || t === shortcut || fromTable(n, ei)) continue;
        const to = s.edges[ei + s.e.toNode]! / s.nodeFields;
        if (parent[to] !== -1) continue;
        parent[to] = n;
        via[to] = ei;
        next.push(to);
      }
    frontier = next;
  }
  return { parent, via };
}

function edgeLabel(s: Snapshot, ei: number): string {
  const type = s.edgeTypes[s.edges[ei + s.e.type]!]!;
  const v = s.edges[ei + s.e.nameOrIndex]!;
  return type === "element" || type === "hidden" ? "[]" : String(s.strings[v]);
}

/** The last `depth` steps of the path from the roots to `target`, innermost last. */
function pathTail(s: Snapshot, p: ReturnType<typeof shortestPaths>, target: number, depth: number): string {
  if (p.parent[target] === -1) return "(unreachable)";
  const steps: string[] = [];
  for (let n = target; n !== 0 && steps.length < depth; n = p.parent[n]!)
    steps.push(`${groupOf(s, p.parent[n]!)} .${edgeLabel(s, p.via[n]!)}`);
  return steps.reverse().join(" -> ");
}

/** Count and self size by group, and for each group the objects that `known` does not hold. */
function groups(s: Snapshot, known: Set<number> | null): Map<string, Group> {
  const out = new Map<string, Group>();
  for (let i = 0; i < s.nodeCount; i++) {
    const g = groupOf(s, i);
    const size = s.nodes[i * s.nodeFields + s.f.selfSize]!;
    const fresh = known !== null && !known.has(s.nodes[i * s.nodeFields + s.f.id]!);
    const e = out.get(g);
    if (e) {
      e.count++;
      e.bytes += size;
      if (fresh) e.fresh.push(i);
    } else out.set(g, { count: 1, bytes: size, fresh: fresh ? [i] : [] });
  }
  return out;
}

const isNative = (name: string) => name.startsWith("native ");

/**
 * Groups whose total grew from the earlier snapshot to the later one, most first (net: objects replaced by
 * new ones of the same kind cancel out), each with the commonest ends of the paths that keep its new
 * objects alive.
 * Native (Blink) objects are listed apart: they are not in the V8 heap the benchmark weighs.
 */
export function diff(beforePath: string, afterPath: string, shown = 25): string {
  const a = readSnapshot(beforePath);
  const known = new Set<number>();
  for (let i = 0; i < a.nodeCount; i++) known.add(a.nodes[i * a.nodeFields + a.f.id]!);
  const before = groups(a, null);
  const b = readSnapshot(afterPath);
  const after = groups(b, known);
  const total = (m: Map<string, Group>, native: boolean) =>
    [...m].filter(([n]) => isNative(n) === native).reduce((t, [, g]) => t + g.bytes, 0);
  const rows = [...after]
    .map(([name, g]) => {
      const old = before.get(name);
      return { name, g, dBytes: g.bytes - (old?.bytes ?? 0), dCount: g.count - (old?.count ?? 0) };
    })
    .filter((r) => r.dBytes > 0)
    .sort((x, y) => y.dBytes - x.dBytes);
  const paths = shortestPaths(b);
  const mb = (n: number) => `${(n / 1e6).toFixed(3)} MB`;
  const lines = [
    `V8 objects: ${mb(total(before, false))} -> ${mb(total(after, false))}; native: ${mb(total(before, true))} -> ${mb(total(after, true))}`,
  ];
  for (const { name, g, dBytes, dCount } of rows.filter((x) => !isNative(x.name)).slice(0, shown)) {
    lines.push(
      `${String(dBytes).padStart(10)} B ${String(dCount).padStart(7)} objects  ${name}  (now ${g.count}, ${g.bytes} B)`,
    );
    const holders = new Map<string, number>();
    for (const i of g.fresh) {
      const k = pathTail(b, paths, i, 5);
      holders.set(k, (holders.get(k) ?? 0) + b.nodes[i * b.nodeFields + b.f.selfSize]!);
    }
    for (const [k, bytes] of [...holders].sort((x, y) => y[1] - x[1]).slice(0, 4))
      lines.push(`      ${String(bytes).padStart(9)} B  ${k}`);
  }
  return lines.join("\n");
}

/** Where every object of one group hangs from the roots: the commonest paths (last `depth` steps). */
export function holders(path: string, group: string, depth = 10): string {
  const s = readSnapshot(path);
  const paths = shortestPaths(s);
  const by = new Map<string, number>();
  for (let i = 0; i < s.nodeCount; i++) {
    if (groupOf(s, i) !== group) continue;
    const k = pathTail(s, paths, i, depth);
    by.set(k, (by.get(k) ?? 0) + 1);
  }
  return [...by]
    .sort((x, y) => y[1] - x[1])
    .slice(0, 12)
    .map(([k, n]) => `${String(n).padStart(7)} x ${k}`)
    .join("\n");
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--holders");
  if (at >= 0) {
    const [file, group, depth] = [args[0], args[at + 1], args[at + 2]];
    if (!file || !group)
      throw new Error("usage: node bench/tools/heap-diff.ts snap.heapsnapshot --holders GROUP [depth]");
    console.log(holders(file, group, depth ? Number(depth) : 10));
    process.exit(0);
  }
  const [before, after, shown] = args;
  if (!before || !after)
    throw new Error(
      "usage: node bench/tools/heap-diff.ts before.heapsnapshot after.heapsnapshot [groups] | snap.heapsnapshot --holders GROUP [depth]",
    );
  console.log(diff(before, after, shown ? Number(shown) : 25));
}
