// `report --node NAME` and `--sort KEY`: which nodes a report shows and in what order. The summary,
// zones and subnets stay the cluster's; the nodes, their pods and their Pending pods are the selection.
import type { NodeReport, Report } from "@eni-view/model";
import { t } from "../i18n/cliText.ts";
import { UsageError } from "./command.ts";

/** Sort keys; each sorts the node that needs a look first (ties by name). */
export const NODE_SORTS = {
  name: "node name, A to Z (by default nodes come in the capture's order, which kubectl sorts by name)",
  utilisation: "pods / kubelet max pods, fullest first",
  pending: "Pending pods bound to the node and pods waiting for an IP, most first",
  ips: "pod IPs used / IPs assigned, busiest first",
  warm: "warm IPs, fewest first",
  zone: "availability zone, then name",
} as const;
export type NodeSort = keyof typeof NODE_SORTS;

export function parseNodeSort(value: string | undefined): NodeSort | undefined {
  if (value === undefined) return undefined;
  if (!Object.hasOwn(NODE_SORTS, value)) {
    throw new UsageError(t("report.errors.sort", { sorts: Object.keys(NODE_SORTS).join(", "), value }));
  }
  return value as NodeSort;
}

const ratio = (part: number, whole: number | null) => (whole ? part / whole : 0);
const byName = (a: NodeReport, b: NodeReport) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function sortNodes(report: Report, nodes: readonly NodeReport[], sort: NodeSort): NodeReport[] {
  const pendingOn = new Map<string, number>();
  for (const p of report.pending)
    if (p.node !== null) pendingOn.set(p.node, (pendingOn.get(p.node) ?? 0) + 1);
  const key: Record<NodeSort, (n: NodeReport) => number | string> = {
    name: () => 0,
    utilisation: (n) => -ratio(n.pods, n.maxPods),
    pending: (n) => -Math.max(pendingOn.get(n.name) ?? 0, n.podsWaitingForIp),
    ips: (n) => -ratio(n.ipsUsed, n.ipsAssigned),
    warm: (n) => n.ipsWarm,
    zone: (n) => n.zone ?? "\uffff",
  };
  const k = key[sort];
  return [...nodes].sort((a, b) => {
    const ka = k(a);
    const kb = k(b);
    return (ka < kb ? -1 : ka > kb ? 1 : 0) || byName(a, b);
  });
}

/** The nodes `--node` names: a full name, a name without the domain every node shares, or an
 * instance id. An unknown one is a usage error that suggests near names. */
function namedNodes(report: Report, wanted: readonly string[], domain: string): Set<string> {
  const out = new Set<string>();
  for (const w of wanted) {
    const hit = report.nodes.find((n) => n.name === w || n.name === `${w}${domain}` || n.instanceId === w);
    if (hit) {
      out.add(hit.name);
      continue;
    }
    const near = report.nodes
      .map((n) => n.name)
      .filter((n) => n.includes(w) || w.includes(n.replace(domain, "")))
      .slice(0, 3);
    throw new UsageError(
      t("args.unknownNode", {
        node: w,
        count: report.nodes.length,
        near: near.length > 0 ? t("args.didYouMean", { names: near.join(", ") }) : "",
      }),
      "unknown-node",
    );
  }
  return out;
}

export interface ReportSelection {
  nodes?: readonly string[];
  sort?: NodeSort;
  /** Keep only these nodes (e.g. the ones with problems); applied after --node. */
  keep?: (node: NodeReport) => boolean;
}

/** The report with only the selected nodes, in the asked order, and the pods and Pending pods on
 * them (with --node, pods the scheduler could not place belong to no node and are left out). */
export function selectReport(report: Report, selection: ReportSelection, domain = ""): Report {
  const named = selection.nodes?.length ? namedNodes(report, selection.nodes, domain) : null;
  const nodes = report.nodes.filter(
    (n) => (named === null || named.has(n.name)) && (selection.keep?.(n) ?? true),
  );
  const sorted = selection.sort === undefined ? nodes : sortNodes(report, nodes, selection.sort);
  if (named === null && selection.keep === undefined) return { ...report, nodes: sorted };
  const kept = new Set(sorted.map((n) => n.name));
  return {
    ...report,
    nodes: sorted,
    pods: report.pods.filter((p) => kept.has(p.node)),
    pending:
      named === null ? report.pending : report.pending.filter((p) => p.node !== null && kept.has(p.node)),
    detachedEnis: named === null ? report.detachedEnis : [],
  };
}
