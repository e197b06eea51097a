// The search box, read like a kubectl selector: terms separated by spaces or commas, all of which must hold.
//   nginx                     a name substring (pod namespace/name, node name), or a pod label key that exists
//   !app                      pods without the label app
//   app=web  app==web         a pod label (Pending and hostNetwork pods too)
//   app!=web                  pods whose label app is not web, or that have no label app (as kubectl)
//   app in (web,api)          app notin (web,api)
//   namespace=kube-system     ns= for short; phase=Pending (status= too), owner=Deployment/web
//   node=ip-192-168-1         a node name substring; instance=i-0abc (or a bare i-0abc)
//   subnet=subnet-0abc        ENIs in that subnet, their IPs and pods (or a bare subnet-0abc)
//   eni-0a1b                  an ENI id or its prefix (eni= too)
//   192.168.1.23  10.0.0.0/26 each object by its own address: a pod by its IP, a node by its internal IP, an
//                             ENI by its primary IP, a warm IP by itself; each counted apart
// Anything else (an operator it does not know, a set without parentheses, an empty key) is an error, so
// nothing silently matches zero.

// The page runs it on what it holds; the server runs it on the whole cluster when the page holds only the
// overview (GET /api/search), so both read a query the same way.

import type { NodeReport, PendingPodReport, PodReport, Report } from "./types.ts";

type Op = "=" | "!=" | "in" | "notin" | "exists" | "!exists";

/** Fields a term can name besides labels. */
const fieldKeys = {
  namespace: "namespace",
  ns: "namespace",
  phase: "phase",
  status: "phase",
  owner: "owner",
  node: "node",
  name: "name",
  instance: "instance",
  subnet: "subnet",
  eni: "eni",
  ip: "ip",
} as const;
type Field = (typeof fieldKeys)[keyof typeof fieldKeys];

export type Term =
  | { kind: "text"; value: string }
  | { kind: "field"; field: Field; op: Op; values: string[] }
  | { kind: "label"; key: string; op: Op; values: string[] }
  | { kind: "cidr"; base: number; mask: number; text: string; negate: boolean };

/** Why a term cannot be read; the page words each in its language (search.error.<key>). */
export type SearchErrorKey =
  | "notIp"
  | "prefixLength"
  | "closeWithoutOpen"
  | "openWithoutClose"
  | "inNeedsSet"
  | "needsKey"
  | "needsValue"
  | "ipOp"
  | "badKey"
  | "emptySet"
  | "parentheses"
  | "unknownOp";

/** A term the search cannot read: a key the page translates, the values it names, and a plain message. */
export class SearchQueryError extends Error {
  readonly code = "BAD_QUERY";
  readonly key: SearchErrorKey;
  readonly values: Record<string, string>;
  constructor(key: SearchErrorKey, values: Record<string, string>) {
    super(`cannot read the search "${values.raw ?? values.q ?? ""}" (${key})`);
    this.key = key;
    this.values = values;
  }
}

function parseIpv4(s: string): number | null {
  const parts = s.split(".");
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const v = Number(p);
    if (v > 255) return null;
    n = n * 256 + v;
  }
  return n;
}

export function ipToNumber(ip: string): number | null {
  return parseIpv4(ip);
}

function parseCidr(raw: string, negate: boolean): Term {
  const [ipText, lenText] = raw.split("/");
  const ip = parseIpv4(ipText!);
  const len = lenText === undefined ? 32 : Number(lenText);
  if (ip === null) throw new SearchQueryError("notIp", { raw });
  if (!Number.isInteger(len) || len < 0 || len > 32) throw new SearchQueryError("prefixLength", { raw });
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  return { kind: "cidr", base: (ip & mask) >>> 0, mask, text: raw, negate };
}

/** Splits on spaces and commas outside parentheses, and joins "key in (a, b)" into one term. */
export function tokenize(q: string): string[] {
  const raw: string[] = [];
  let cur = "";
  let depth = 0;
  for (const ch of q) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (depth < 0) throw new SearchQueryError("closeWithoutOpen", { q: q.trim() });
    if (depth === 0 && (ch === "," || /\s/.test(ch))) {
      if (cur) raw.push(cur);
      cur = "";
    } else cur += ch;
  }
  if (depth > 0) throw new SearchQueryError("openWithoutClose", { q: q.trim() });
  if (cur) raw.push(cur);
  const out: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const next = raw[i + 1];
    if ((next === "in" || next === "notin") && raw[i + 2]?.startsWith("(")) {
      out.push(`${raw[i]} ${next} ${raw[i + 2]}`);
      i += 2;
    } else if (next !== undefined && /^(in|notin)\(/.test(next)) {
      out.push(`${raw[i]} ${next.replace("(", " (")}`);
      i += 1;
    } else if (next === "in" || next === "notin" || raw[i] === "in" || raw[i] === "notin")
      throw new SearchQueryError("inNeedsSet", { raw: raw.slice(i, i + 3).join(" ") });
    else out.push(raw[i]!);
  }
  return out;
}

const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

function keyed(raw: string, key: string, op: Op, values: string[]): Term {
  if (key === "") throw new SearchQueryError("needsKey", { raw });
  if ((op === "=" || op === "!=") && values[0] === "") throw new SearchQueryError("needsValue", { raw });
  const field = (fieldKeys as Record<string, Field>)[key.toLowerCase()];
  if (field === "ip") {
    if (op !== "=" && op !== "!=") throw new SearchQueryError("ipOp", { raw });
    return parseCidr(values[0]!, op === "!=");
  }
  if (field !== undefined) return { kind: "field", field, op, values };
  if (!LABEL_KEY.test(key)) throw new SearchQueryError("badKey", { raw, key });
  return { kind: "label", key, op, values };
}

function parseTerm(raw: string): Term {
  const set = /^(\S+) (in|notin) \(([^)]*)\)$/.exec(raw);
  if (set) {
    const values = set[3]!
      .split(/[\s,]+/)
      .map((v) => v.trim())
      .filter(Boolean);
    if (values.length === 0) throw new SearchQueryError("emptySet", { raw });
    return keyed(raw, set[1]!, set[2] as Op, values);
  }
  if (/[()]/.test(raw)) throw new SearchQueryError("parentheses", { raw });
  const op = /^([^=!<>~]*)(==|!=|=)(.*)$/.exec(raw);
  if (op) {
    if (/[=!<>~]/.test(op[3]!)) throw new SearchQueryError("unknownOp", { raw });
    return keyed(raw, op[1]!, op[2] === "!=" ? "!=" : "=", [op[3]!]);
  }
  if (/[<>~]/.test(raw) || raw === "!" || raw.includes("!", 1))
    throw new SearchQueryError("unknownOp", { raw });
  if (raw.startsWith("!")) {
    const key = raw.slice(1);
    if (/^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(key)) return parseCidr(key, true);
    return keyed(raw, key, "!exists", []);
  }
  if (/^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(raw)) return parseCidr(raw, false);
  if (/^eni-[0-9a-f]*$/i.test(raw)) return { kind: "field", field: "eni", op: "=", values: [raw] };
  if (/^i-[0-9a-f]+$/i.test(raw)) return { kind: "field", field: "instance", op: "=", values: [raw] };
  if (/^subnet-[0-9a-f]+$/i.test(raw)) return { kind: "field", field: "subnet", op: "=", values: [raw] };
  return { kind: "text", value: raw.toLowerCase() };
}

export function parseQuery(q: string): Term[] {
  return tokenize(q.trim()).map(parseTerm);
}

function ipIn(ip: string | null, t: { base: number; mask: number }): boolean {
  if (!ip) return false;
  const n = parseIpv4(ip);
  return n !== null && (n & t.mask) >>> 0 === t.base;
}

/** A value test under an operator; `actual` undefined means the object has no such key. */
function holds(
  op: Op,
  values: readonly string[],
  actual: string | undefined,
  same: (a: string, v: string) => boolean,
): boolean {
  switch (op) {
    case "=":
    case "in":
      return actual !== undefined && values.some((v) => same(actual, v));
    case "!=":
    case "notin":
      return actual === undefined || !values.some((v) => same(actual, v));
    case "exists":
      return actual !== undefined;
    case "!exists":
      return actual === undefined;
  }
}

const exact = (a: string, v: string) => a === v;
const prefix = (a: string, v: string) => a.toLowerCase().startsWith(v.toLowerCase());
const contains = (a: string, v: string) => a.toLowerCase().includes(v.toLowerCase());

/** What a term can see of a pod: placed, Pending or hostNetwork. */
interface PodView {
  namespace: string;
  name: string;
  node: string | null;
  phase: string | null;
  owner: string | null;
  labels: Record<string, string> | null;
  ip: string | null;
  eni: string | null;
}

interface Indexes {
  nodes: Map<string, NodeReport>;
  /** ENI id -> subnet id. */
  eniSubnet: Map<string, string>;
}

function podMatches(p: PodView, t: Term, ix: Indexes): boolean {
  switch (t.kind) {
    case "text":
      return (
        `${p.namespace}/${p.name}`.toLowerCase().includes(t.value) ||
        (p.node?.toLowerCase().includes(t.value) ?? false) ||
        (p.labels !== null && t.value in p.labels)
      );
    case "label":
      // hostNetwork pods' labels are not in the report: only a test that holds without them can pass.
      return holds(t.op, t.values, p.labels?.[t.key], exact) && (p.labels !== null || t.op === "!exists");
    case "cidr":
      return ipIn(p.ip, t) !== t.negate;
    case "field": {
      const node = p.node ? ix.nodes.get(p.node) : undefined;
      switch (t.field) {
        case "namespace":
          return holds(t.op, t.values, p.namespace, exact);
        case "name":
          return holds(t.op, t.values, p.name, contains);
        case "phase":
          return holds(t.op, t.values, p.phase ?? undefined, (a, v) => a.toLowerCase() === v.toLowerCase());
        case "owner":
          return holds(t.op, t.values, p.owner ?? undefined, exact);
        case "node":
          return holds(t.op, t.values, p.node ?? undefined, contains);
        case "instance":
          return holds(t.op, t.values, node?.instanceId ?? undefined, prefix);
        case "eni":
          return holds(t.op, t.values, p.eni ?? undefined, prefix);
        case "subnet":
          return holds(t.op, t.values, p.eni ? ix.eniSubnet.get(p.eni) : undefined, prefix);
        case "ip":
          return false;
      }
    }
  }
}

/** Whether a node as a whole answers the term (its cells then all stay lit); false for pod-only terms. */
function nodeMatches(n: NodeReport, t: Term): boolean {
  switch (t.kind) {
    case "text":
      return n.name.toLowerCase().includes(t.value);
    case "cidr":
      return false;
    case "field":
      if (t.field === "node") return holds(t.op, t.values, n.name, contains);
      if (t.field === "instance") return holds(t.op, t.values, n.instanceId ?? undefined, prefix);
      return false;
    case "label":
      return false;
  }
}

/** Whether an ENI answers the term by itself: its id, its subnet, or its primary IP. */
function eniMatches(e: NodeReport["enis"][number], t: Term): boolean {
  if (t.kind === "cidr") return !t.negate && ipIn(e.primaryIp, t);
  if (t.kind !== "field") return false;
  if (t.field === "eni") return holds(t.op, t.values, e.id, prefix);
  if (t.field === "subnet") return holds(t.op, t.values, e.subnetId, prefix);
  return false;
}

export interface SearchResult {
  query: string;
  /** Pods (keys) matching every term: placed and hostNetwork pods, lit on the map. */
  pods: Set<string>;
  /** Pending pods matching every term (they have no cell; the tray shows them). */
  pending: Set<string>;
  /** hostNetwork pods among `pods`. */
  hostPods: Set<string>;
  /** Nodes matching every term by themselves (name, instance): all their cells stay lit. */
  nodes: Set<string>;
  /** Nodes whose own internal IP is in the searched range: counted and outlined, their cells not lit. */
  nodeIps: Set<string>;
  /** ENIs matching every term by themselves (id, subnet, primary IP): their IPs stay lit. */
  enis: Set<string>;
  /** IPs lit by themselves: warm IPs inside a CIDR, the IPs of a matched ENI. */
  ips: Set<string>;
  /** Warm IPs inside a searched range, counted apart. */
  warm: Set<string>;
  /** Nodes with at least one match. */
  touched: Set<string>;
  /** Placed + Pending + hostNetwork pods: what "matches" counts. */
  count: number;
}

export function search(report: Pick<Report, "nodes" | "pods" | "pending">, q: string): SearchResult {
  const terms = parseQuery(q);
  const ix: Indexes = { nodes: new Map(), eniSubnet: new Map() };
  for (const n of report.nodes) {
    ix.nodes.set(n.name, n);
    for (const e of n.enis) ix.eniSubnet.set(e.id, e.subnetId);
  }
  const r: SearchResult = {
    query: q,
    pods: new Set(),
    pending: new Set(),
    hostPods: new Set(),
    nodes: new Set(),
    nodeIps: new Set(),
    enis: new Set(),
    ips: new Set(),
    warm: new Set(),
    touched: new Set(),
    count: 0,
  };
  const every = (p: PodView) => terms.every((t) => podMatches(p, t, ix));
  // A placed pod's report has every field a term reads: no copy per pod (150,000 of them).
  for (const p of report.pods as readonly PodReport[]) {
    if (every(p)) {
      r.pods.add(`${p.namespace}/${p.name}`);
      r.touched.add(p.node);
    }
  }
  for (const p of report.pending as readonly PendingPodReport[]) {
    const view: PodView = {
      namespace: p.namespace,
      name: p.name,
      node: p.node,
      phase: "Pending",
      owner: p.owner,
      labels: p.labels ?? {},
      ip: null,
      eni: null,
    };
    if (every(view)) r.pending.add(`${p.namespace}/${p.name}`);
  }
  for (const n of report.nodes) {
    for (const h of n.hostNetworkPods) {
      const view: PodView = {
        namespace: h.namespace,
        name: h.name,
        node: n.name,
        phase: null,
        owner: null,
        labels: null,
        // A hostNetwork pod's IP is its node's: found by it, counted as the pod.
        ip: n.internalIp,
        eni: null,
      };
      if (every(view)) {
        const key = `${h.namespace}/${h.name}`;
        r.pods.add(key);
        r.hostPods.add(key);
        r.touched.add(n.name);
      }
    }
    if (terms.length > 0 && terms.every((t) => nodeMatches(n, t))) {
      r.nodes.add(n.name);
      r.touched.add(n.name);
    }
    const byAddress = terms.length > 0 && terms.every((t) => t.kind === "cidr" && !t.negate);
    if (byAddress && terms.every((t) => t.kind === "cidr" && ipIn(n.internalIp, t))) {
      r.nodeIps.add(n.name);
      r.touched.add(n.name);
    }
    for (const e of n.enis) {
      if (terms.length > 0 && terms.every((t) => eniMatches(e, t))) {
        r.enis.add(e.id);
        r.touched.add(n.name);
        // Found by its primary IP, the ENI lights that address; by id or subnet, all of its IPs.
        if (e.primaryIp) r.ips.add(e.primaryIp);
        if (!byAddress) for (const s of e.slots) r.ips.add(s.ip);
      }
    }
  }
  // IP terms alone: warm IPs inside the range are lit too (a pod's IP lights the pod already).
  if (terms.length > 0 && terms.every((t) => t.kind === "cidr" && !t.negate)) {
    const cidrs = terms as { base: number; mask: number }[];
    for (const n of report.nodes)
      for (const e of n.enis)
        for (const s of e.slots)
          if (s.pod === null && cidrs.every((t) => ipIn(s.ip, t))) {
            r.ips.add(s.ip);
            r.warm.add(s.ip);
            r.touched.add(n.name);
          }
  }
  r.count = r.pods.size + r.pending.size;
  return r;
}

/** Whether a cell stays lit under a search: its pod matched, its node matched, or its IP did. */
export function cellMatches(
  r: SearchResult,
  nodeName: string,
  pod: string | null,
  ip: string | null,
): boolean {
  if (r.nodes.has(nodeName)) return true;
  if (pod !== null && r.pods.has(pod)) return true;
  return ip !== null && r.ips.has(ip);
}

/** What the server's GET /api/search answers: the search over the whole cluster, as counts and node names. */
/** What a search counts beside its box: placed pods apart from hostNetwork ones, Pending pods, and the
 * nodes, ENIs and warm IPs lit by their own address. The page and the server's /api/search say the same. */
export interface SearchCounts {
  pods: number;
  pending: number;
  host: number;
  nodes: number;
  enis: number;
  warm: number;
}

export function searchCounts(r: SearchResult): SearchCounts {
  return {
    pods: r.pods.size - r.hostPods.size,
    pending: r.pending.size,
    host: r.hostPods.size,
    nodes: r.nodes.size + r.nodeIps.size,
    enis: r.enis.size,
    warm: r.warm.size,
  };
}

export interface SearchAnswer {
  seq: number;
  query: string;
  /** Placed + Pending + hostNetwork pods matching, as the page's own search counts them. */
  count: number;
  counts: SearchCounts;
  /** Nodes with at least one match, in the topology's node order, at most `limit`. */
  nodes: string[];
  /** How many nodes match in all: more than `nodes.length` when the list was cut. */
  nodesTotal: number;
}
