// The compact form of a Topology for the first snapshot a page loads (GET /api/stream?encoding=compact,
// GET /api/topology?encoding=compact). The plain JSON of a big cluster repeats every field name on every
// object, every pod key twice (in its slot and in the pod list), every node name and ENI id in each of
// the node's pods, and the same owners, labels and capacity objects thousands of times. Here:
// - lists of objects are columns (field names once); a column whose values repeat is a dictionary of the
//   distinct values plus one small number per row;
// - a slot names its pod by its number in the pod list, and a pod held by a slot takes its node, IP and
//   ENI from that slot (only pods placed elsewhere, or nowhere, carry them);
// - slot IPs are numbers, each the difference from the previous slot's address.
// decode(encode(t)) is deep-equal to t for any Topology (extra or missing fields included), so the page
// sees exactly what plain JSON would give it.
import type { Topology } from "./api.ts";
import type { EniReport, NodeReport, PodReport, SlotReport } from "./types.ts";

export const COMPACT_FORMAT = "eni-view/compact-1";

type Json = Record<string, unknown>;

/** One field of a list of objects: the values (`a`: rows that lack the field), or a dictionary of
 * distinct values and each row's index into it (-1: the row lacks the field). */
export type Column = { v: unknown[]; a?: number[] } | { d: unknown[]; i: number[] };

/** A list of objects as columns, one per field any of them has. */
export interface Table {
  n: number;
  cols: Record<string, Column>;
}

export interface CompactTopology {
  format: typeof COMPACT_FORMAT;
  /** Every part of the topology but nodes, pods and pending, as it is. */
  rest: Json;
  /** Nodes without their ENIs; `eniCounts[i]` ENIs of the flat `enis` table belong to node i. */
  nodes: Table;
  eniCounts: number[];
  /** ENIs without their slots; `slotCounts[i]` slots of the flat slot columns belong to ENI i. */
  enis: Table;
  slotCounts: number[];
  /** Each slot's IPv4 address as the difference from the previous numeric one, or as written when it
   * is not a plain dotted quad. */
  slotIps: (number | string)[];
  /** Each slot's pod: its index in `pods`, its key when no pod has that key, or null. */
  slotPods: (number | string | null)[];
  /** Slot fields besides ip and pod (prefix). */
  slotRest: Table;
  /** Pods without node, ip and eni... */
  pods: Table;
  /** ...which, for pods not where their first slot says, are here: `at` gives their index in `pods`. */
  placed: { at: number[]; fields: Table };
  pending: Table;
}

// ---------------------------------------------------------------------------------------------
// Columns

/** Whether the first rows of a long column are nearly all different (names, IPs): no dictionary then. */
function mostlyDistinct(values: readonly unknown[], present: readonly boolean[]): boolean {
  if (values.length < 1024) return false;
  const seen = new Set<unknown>();
  let rows = 0;
  for (let r = 0; r < values.length && rows < 256; r++) {
    if (!present[r]) continue;
    const v = values[r];
    seen.add(typeof v === "object" && v !== null ? JSON.stringify(v) : v);
    rows++;
  }
  return rows === 256 && seen.size > 224;
}

function encodeColumn(values: unknown[], present: boolean[]): Column {
  const n = values.length;
  // A dictionary pays when values repeat; give up on it as soon as half the rows are distinct.
  const limit = Math.max(1, n >> 1);
  const dict: unknown[] = [];
  const prim = new Map<unknown, number>();
  const objs = new Map<string, number>();
  const idx = new Array<number>(n);
  let useDict = n >= 4 && !mostlyDistinct(values, present);
  for (let r = 0; useDict && r < n; r++) {
    if (!present[r]) {
      idx[r] = -1;
      continue;
    }
    const v = values[r];
    const isObj = typeof v === "object" && v !== null;
    const map: Map<unknown, number> = isObj ? objs : prim;
    const k = isObj ? JSON.stringify(v) : v;
    let at = map.get(k);
    if (at === undefined) {
      at = dict.length;
      if (at >= limit) useDict = false;
      dict.push(v);
      map.set(k, at);
    }
    idx[r] = at;
  }
  if (useDict) return { d: dict, i: idx };
  const absent: number[] = [];
  const out = new Array<unknown>(n);
  for (let r = 0; r < n; r++) {
    if (present[r]) out[r] = values[r];
    else {
      out[r] = null;
      absent.push(r);
    }
  }
  return absent.length > 0 ? { v: out, a: absent } : { v: out };
}

function encodeTable(rows: readonly unknown[], skip: ReadonlySet<string>): Table {
  const keys: string[] = [];
  const known = new Set<string>();
  for (const row of rows) {
    for (const k in row as Json) {
      if (!known.has(k) && !skip.has(k) && (row as Json)[k] !== undefined) {
        known.add(k);
        keys.push(k);
      }
    }
  }
  const cols: Record<string, Column> = {};
  for (const k of keys) {
    const values = new Array<unknown>(rows.length);
    const present = new Array<boolean>(rows.length);
    for (let r = 0; r < rows.length; r++) {
      const v = (rows[r] as Json)[k];
      values[r] = v;
      present[r] = v !== undefined;
    }
    cols[k] = encodeColumn(values, present);
  }
  return { n: rows.length, cols };
}

function bad(what: string): Error {
  return new Error(`compact topology: ${what}`);
}

function isTable(t: unknown): t is Table {
  return (
    typeof t === "object" &&
    t !== null &&
    typeof (t as Table).n === "number" &&
    typeof (t as Table).cols === "object" &&
    (t as Table).cols !== null
  );
}

const ABSENT = Symbol("absent");

/** A column as a function from row to value (ABSENT: the row lacks the field), after checking its length. */
function reader(c: Column, n: number, where: string): (r: number) => unknown {
  if ("d" in c) {
    if (!Array.isArray(c.d) || !Array.isArray(c.i) || c.i.length !== n)
      throw bad(`column ${where} does not have ${n} rows`);
    const { d, i } = c;
    return (r) => {
      const at = i[r]!;
      return at >= 0 ? d[at] : ABSENT;
    };
  }
  if (!Array.isArray(c.v) || c.v.length !== n) throw bad(`column ${where} does not have ${n} rows`);
  const v = c.v;
  if (c.a === undefined || c.a.length === 0) return (r) => v[r];
  const absent = new Set(c.a);
  return (r) => (absent.has(r) ? ABSENT : v[r]);
}

function readers(t: unknown, name: string): { n: number; keys: string[]; read: ((r: number) => unknown)[] } {
  if (!isTable(t)) throw bad(`"${name}" is not a table`);
  const keys = Object.keys(t.cols);
  return { n: t.n, keys, read: keys.map((k) => reader(t.cols[k] as Column, t.n, `${name}.${k}`)) };
}

/** Adds row `r`'s fields to `o`. */
function fill(o: Json, r: number, keys: readonly string[], read: readonly ((r: number) => unknown)[]): void {
  for (let c = 0; c < keys.length; c++) {
    const v = read[c]!(r);
    if (v !== ABSENT) o[keys[c]!] = v;
  }
}

/** The rows of a table, each a fresh object with the fields it had. */
function decodeTable(t: unknown, name: string): Json[] {
  const { n, keys, read } = readers(t, name);
  const rows: Json[] = new Array(n);
  for (let r = 0; r < n; r++) {
    const o: Json = {};
    fill(o, r, keys, read);
    rows[r] = o;
  }
  return rows;
}

/** Whether every row has exactly the fields `want` (in any order) and no others. */
function hasExactly(t: unknown, want: readonly string[]): boolean {
  if (!isTable(t)) return false;
  const keys = Object.keys(t.cols);
  if (keys.length !== want.length || !want.every((k) => keys.includes(k))) return false;
  return keys.every((k) => {
    const c = t.cols[k] as Column;
    return "d" in c ? Array.isArray(c.i) && !c.i.includes(-1) : c.a === undefined || c.a.length === 0;
  });
}

// ---------------------------------------------------------------------------------------------
// IPv4 as numbers

/** The address as a number when it is a canonical dotted quad (so that printing it gives it back). */
function ipv4Number(ip: unknown): number | null {
  if (typeof ip !== "string" || ip.length < 7 || ip.length > 15) return null;
  let n = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || dots === 3) return null;
      n = n * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      // No leading zeros: "010" would not print back as itself.
      if (digits > 0 && part === 0) return null;
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return null;
    } else return null;
  }
  if (digits === 0 || dots !== 3) return null;
  return n * 256 + part;
}

function ipv4String(n: number): string {
  return `${Math.floor(n / 16777216) % 256}.${Math.floor(n / 65536) % 256}.${Math.floor(n / 256) % 256}.${n % 256}`;
}

// ---------------------------------------------------------------------------------------------
// Encode and decode

const podKeyOf = (p: { namespace: string; name: string }): string => `${p.namespace}/${p.name}`;
const big = new Set(["nodes", "pods", "pending"]);
const noSkip: ReadonlySet<string> = new Set();
const nodeSkip: ReadonlySet<string> = new Set(["enis"]);
const eniSkip: ReadonlySet<string> = new Set(["slots"]);
const slotSkip: ReadonlySet<string> = new Set(["ip", "pod"]);
const podSkip: ReadonlySet<string> = new Set(["node", "ip", "eni"]);

export function encodeTopology(t: Topology): CompactTopology {
  const rest: Json = {};
  for (const k in t)
    if (!big.has(k) && (t as unknown as Json)[k] !== undefined) rest[k] = (t as unknown as Json)[k];

  const podIndex = new Map<string, number>();
  t.pods.forEach((p, i) => {
    podIndex.set(podKeyOf(p), i);
  });
  // Where each pod's first slot is: node, ENI and IP, for pods that match it.
  const holderNode: (string | undefined)[] = new Array(t.pods.length);
  const holderEni: (string | undefined)[] = new Array(t.pods.length);
  const holderIp: (string | undefined)[] = new Array(t.pods.length);

  const eniCounts: number[] = [];
  const enis: EniReport[] = [];
  const slotCounts: number[] = [];
  const slots: SlotReport[] = [];
  const slotIps: (number | string)[] = [];
  const slotPods: (number | string | null)[] = [];
  let lastIp = 0;
  for (const node of t.nodes) {
    eniCounts.push(node.enis.length);
    for (const eni of node.enis) {
      enis.push(eni);
      slotCounts.push(eni.slots.length);
      for (const slot of eni.slots) {
        slots.push(slot);
        const n = ipv4Number(slot.ip);
        if (n === null) slotIps.push(slot.ip);
        else {
          slotIps.push(n - lastIp);
          lastIp = n;
        }
        const pod = slot.pod;
        if (typeof pod !== "string") {
          // Only null is written: a slot without a pod field stays without one through slotRest's absence.
          slotPods.push(null);
          continue;
        }
        const at = podIndex.get(pod);
        if (at === undefined) slotPods.push(pod);
        else {
          slotPods.push(at);
          if (holderNode[at] === undefined) {
            holderNode[at] = node.name;
            holderEni[at] = eni.id;
            holderIp[at] = slot.ip;
          }
        }
      }
    }
  }

  const at: number[] = [];
  const placedRows: Json[] = [];
  t.pods.forEach((p, i) => {
    if (
      holderNode[i] !== undefined &&
      p.node === holderNode[i] &&
      p.eni === holderEni[i] &&
      p.ip === holderIp[i]
    )
      return;
    at.push(i);
    placedRows.push({ node: p.node, ip: p.ip, eni: p.eni });
  });

  // A slot's pod field is written as slotPods; a slot whose pod is missing (not null) says so here.
  const slotExtra = slots.some((s) => s.pod === undefined)
    ? slots.map((s) => (s.pod === undefined ? { ...s, noPod: true } : s))
    : slots;

  return {
    format: COMPACT_FORMAT,
    rest,
    nodes: encodeTable(t.nodes, nodeSkip),
    eniCounts,
    enis: encodeTable(enis, eniSkip),
    slotCounts,
    slotIps,
    slotPods,
    slotRest: encodeTable(slotExtra, slotSkip),
    pods: encodeTable(t.pods, podSkip),
    placed: { at, fields: encodeTable(placedRows, noSkip) },
    pending: encodeTable(t.pending, noSkip),
  };
}

function numbers(v: unknown, name: string): number[] {
  if (!Array.isArray(v)) throw bad(`"${name}" is not a list`);
  return v as number[];
}

const podFields = ["namespace", "name", "phase", "status", "owner", "labels"] as const;

/** The pods without their places, as objects of one shape when they have the model's fields. */
function decodePods(t: unknown): PodReport[] {
  if (!hasExactly(t, podFields)) return decodeTable(t, "pods") as unknown as PodReport[];
  const { n, keys, read } = readers(t, "pods");
  const col = (k: string) => read[keys.indexOf(k)]!;
  const [ns, name, phase, status, owner, labels] = podFields.map(col) as ((r: number) => unknown)[];
  const pods: PodReport[] = new Array(n);
  for (let r = 0; r < n; r++) {
    pods[r] = {
      namespace: ns!(r),
      name: name!(r),
      node: undefined,
      ip: undefined,
      eni: undefined,
      phase: phase!(r),
      status: status!(r),
      owner: owner!(r),
      labels: labels!(r),
    } as unknown as PodReport;
  }
  return pods;
}

/** The Topology a compact form stands for; throws an Error naming what is wrong with a malformed one. */
export function decodeTopology(c: unknown): Topology {
  if (typeof c !== "object" || c === null || (c as CompactTopology).format !== COMPACT_FORMAT)
    throw bad(`not in the ${COMPACT_FORMAT} format`);
  const w = c as CompactTopology;
  if (typeof w.rest !== "object" || w.rest === null) throw bad(`"rest" is not an object`);

  const pods = decodePods(w.pods);
  const podKeys = pods.map(podKeyOf);
  const placed = w.placed;
  if (typeof placed !== "object" || placed === null) throw bad(`"placed" is missing`);
  const placedAt = numbers(placed.at, "placed.at");
  const placedRows = decodeTable(placed.fields, "placed.fields");
  if (placedRows.length !== placedAt.length)
    throw bad(`"placed" has ${placedAt.length} pods but ${placedRows.length} places`);
  const explicit = new Uint8Array(pods.length);
  for (let k = 0; k < placedAt.length; k++) {
    const i = placedAt[k]!;
    const pod = pods[i] as unknown as Json;
    if (pod === undefined) throw bad(`placed pod ${i} is not in the pod list`);
    explicit[i] = 1;
    const row = placedRows[k]!;
    for (const f of podSkip) {
      if (f in row) pod[f] = row[f];
      else delete pod[f];
    }
  }

  const nodes = decodeTable(w.nodes, "nodes") as unknown as NodeReport[];
  const enis = decodeTable(w.enis, "enis") as unknown as EniReport[];
  const slotRest = readers(w.slotRest, "slotRest");
  const eniCounts = numbers(w.eniCounts, "eniCounts");
  const slotCounts = numbers(w.slotCounts, "slotCounts");
  const slotIps = w.slotIps;
  const slotPods = w.slotPods;
  const slotCount = slotRest.n;
  if (eniCounts.length !== nodes.length) throw bad("eniCounts does not match the nodes");
  if (slotCounts.length !== enis.length) throw bad("slotCounts does not match the ENIs");
  if (!Array.isArray(slotIps) || slotIps.length !== slotCount) throw bad("slotIps does not match the slots");
  if (!Array.isArray(slotPods) || slotPods.length !== slotCount)
    throw bad("slotPods does not match the slots");
  // The usual slot: ip, pod and perhaps a prefix; anything else is added field by field.
  const prefixAt = slotRest.keys.indexOf("prefix");
  const readPrefix = prefixAt >= 0 ? slotRest.read[prefixAt]! : null;
  const otherKeys = slotRest.keys.filter((k) => k !== "prefix");
  const otherRead = slotRest.read.filter((_, i) => i !== prefixAt);
  const noPodAt = otherKeys.indexOf("noPod");

  let e = 0;
  let s = 0;
  let lastIp = 0;
  for (let ni = 0; ni < nodes.length; ni++) {
    const node = nodes[ni]!;
    const nodeEnis: EniReport[] = [];
    const eniEnd = e + eniCounts[ni]!;
    if (eniEnd > enis.length) throw bad(`node ${node.name} names more ENIs than there are`);
    for (; e < eniEnd; e++) {
      const eni = enis[e]!;
      const eniSlots: SlotReport[] = [];
      const slotEnd = s + slotCounts[e]!;
      if (slotEnd > slotCount) throw bad(`ENI ${eni.id} names more slots than there are`);
      for (; s < slotEnd; s++) {
        const raw = slotIps[s]!;
        let ip: string;
        if (typeof raw === "number") {
          lastIp += raw;
          ip = ipv4String(lastIp);
        } else ip = raw;
        const p = slotPods[s];
        let pod: string | null;
        if (typeof p === "number") {
          const key = podKeys[p];
          if (key === undefined) throw bad(`a slot names pod ${p}, which is not in the pod list`);
          pod = key;
          const holder = pods[p]!;
          if (!explicit[p] && holder.node === undefined) {
            holder.node = node.name;
            holder.ip = ip;
            holder.eni = eni.id;
          }
        } else pod = p ?? null;
        const prefix = readPrefix === null ? ABSENT : readPrefix(s);
        const slot: SlotReport = prefix === ABSENT ? { ip, pod } : { ip, pod, prefix: prefix as string };
        if (otherKeys.length > 0) {
          fill(slot as unknown as Json, s, otherKeys, otherRead);
          if (noPodAt >= 0 && otherRead[noPodAt]!(s) === true) {
            const o = slot as unknown as Json;
            delete o.pod;
            delete o.noPod;
          }
        }
        eniSlots.push(slot);
      }
      eni.slots = eniSlots;
      nodeEnis.push(eni);
    }
    node.enis = nodeEnis;
  }
  if (e !== enis.length || s !== slotCount) throw bad("ENIs or slots belong to no node");
  for (let i = 0; i < pods.length; i++)
    if (!explicit[i] && pods[i]!.node === undefined) throw bad(`pod ${podKeys[i]} has no place`);

  return {
    ...(w.rest as unknown as Topology),
    nodes,
    pods,
    pending: decodeTable(w.pending, "pending") as unknown as Topology["pending"],
  };
}
