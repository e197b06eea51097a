// The search box: space-separated terms, all of which must hold.
//   nginx                 name substring (pod namespace/name or node name)
//   namespace=kube-system pods of a namespace (ns= for short)
//   app=web               a pod label
//   node=ip-192-168-1     node name substring
//   192.168.1.23          an IP (pod, warm slot, ENI primary, node)
//   192.168.1.0/26        a CIDR
//   eni-0a1b              an ENI id or its prefix
import type { NodeReport, PodReport, Report } from "@eni-view/model";

export type Term =
  | { kind: "text"; value: string }
  | { kind: "namespace"; value: string }
  | { kind: "node"; value: string }
  | { kind: "label"; key: string; value: string }
  | { kind: "cidr"; base: number; mask: number; text: string }
  | { kind: "eni"; value: string };

export class QueryError extends Error {
  readonly code = "BAD_QUERY";
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

function parseTerm(raw: string): Term {
  const eq = raw.indexOf("=");
  if (eq >= 0) {
    const key = raw.slice(0, eq).trim();
    const value = raw.slice(eq + 1).trim();
    if (!key || !value)
      throw new QueryError(`"${raw}" needs a key and a value, like namespace=default or app=web`);
    if (key === "namespace" || key === "ns") return { kind: "namespace", value };
    if (key === "node") return { kind: "node", value: value.toLowerCase() };
    return { kind: "label", key, value };
  }
  if (/^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(raw)) {
    const [ipText, lenText] = raw.split("/");
    const ip = parseIpv4(ipText!);
    const len = lenText === undefined ? 32 : Number(lenText);
    if (ip === null) throw new QueryError(`"${raw}" is not an IPv4 address (four numbers 0-255)`);
    if (!Number.isInteger(len) || len < 0 || len > 32)
      throw new QueryError(`"${raw}": a CIDR prefix length is between 0 and 32`);
    const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
    return { kind: "cidr", base: (ip & mask) >>> 0, mask, text: raw };
  }
  if (/^eni-[0-9a-f]*$/i.test(raw)) return { kind: "eni", value: raw.toLowerCase() };
  return { kind: "text", value: raw.toLowerCase() };
}

export function parseQuery(q: string): Term[] {
  return q
    .trim()
    .split(/\s+/)
    .filter((s) => s.length > 0)
    .map(parseTerm);
}

function ipIn(ip: string | null, t: { base: number; mask: number }): boolean {
  if (!ip) return false;
  const n = parseIpv4(ip);
  return n !== null && (n & t.mask) >>> 0 === t.base;
}

function podMatches(p: PodReport, t: Term): boolean {
  switch (t.kind) {
    case "text":
      return (
        `${p.namespace}/${p.name}`.toLowerCase().includes(t.value) || p.node.toLowerCase().includes(t.value)
      );
    case "namespace":
      return p.namespace === t.value;
    case "node":
      return p.node.toLowerCase().includes(t.value);
    case "label":
      return p.labels[t.key] === t.value;
    case "cidr":
      return ipIn(p.ip, t);
    case "eni":
      return p.eni?.toLowerCase().startsWith(t.value) === true;
  }
}

function nodeMatches(n: NodeReport, t: Term): boolean {
  switch (t.kind) {
    case "text":
      return n.name.toLowerCase().includes(t.value);
    case "node":
      return n.name.toLowerCase().includes(t.value);
    case "cidr":
      return ipIn(n.internalIp, t) || n.enis.some((e) => ipIn(e.primaryIp, t));
    case "eni":
      return n.enis.some((e) => e.id.toLowerCase().startsWith(t.value));
    case "namespace":
    case "label":
      return false;
  }
}

export interface SearchResult {
  query: string;
  /** Pods (keys) matching every term. */
  pods: Set<string>;
  /** Pending pods matching every term (they have no cell; the tray shows them). */
  pending: Set<string>;
  /** Nodes matching every term by themselves: all their cells stay lit. */
  nodes: Set<string>;
  /** Nodes with at least one matching pod or IP. */
  touched: Set<string>;
  /** IP terms only: matching warm/primary IPs too. */
  ipTerms: { base: number; mask: number }[] | null;
  count: number;
}

export function search(report: Pick<Report, "nodes" | "pods" | "pending">, q: string): SearchResult {
  const terms = parseQuery(q);
  const pods = new Set<string>();
  const pending = new Set<string>();
  const nodes = new Set<string>();
  const touched = new Set<string>();
  for (const p of report.pods) {
    if (terms.every((t) => podMatches(p, t))) {
      pods.add(`${p.namespace}/${p.name}`);
      touched.add(p.node);
    }
  }
  for (const p of report.pending) {
    const asPod: PodReport = {
      namespace: p.namespace,
      name: p.name,
      node: p.node ?? "",
      ip: "",
      eni: null,
      phase: "Pending",
      status: p.status,
      owner: p.owner,
      labels: {},
    };
    if (terms.every((t) => t.kind !== "label" && t.kind !== "cidr" && podMatches(asPod, t)))
      pending.add(`${p.namespace}/${p.name}`);
  }
  for (const n of report.nodes) {
    if (terms.every((t) => nodeMatches(n, t))) {
      nodes.add(n.name);
      touched.add(n.name);
    }
  }
  const ipTerms =
    terms.length > 0 && terms.every((t) => t.kind === "cidr")
      ? (terms as { base: number; mask: number }[])
      : null;
  if (ipTerms) {
    for (const n of report.nodes)
      for (const e of n.enis)
        if (e.slots.some((s) => ipTerms.every((t) => ipIn(s.ip, t)))) touched.add(n.name);
  }
  return { query: q, pods, pending, nodes, touched, ipTerms, count: pods.size + pending.size };
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
  return r.ipTerms !== null && ip !== null && r.ipTerms.every((t) => ipIn(ip, t));
}
