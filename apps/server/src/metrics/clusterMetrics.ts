// The cluster's figures as gauges: cluster totals, per node group and Pending pods by reason. Labels are
// node groups, reasons and (subnetMetrics.ts) subnets and zones, never pods or nodes, so a 5,000-node
// cluster yields a few hundred series, not hundreds of thousands.
import {
  enisAllowed,
  type NodeReport,
  nodeEniCounts,
  type PendingReason,
  type Topology,
} from "@eni-view/model";
import { Gauge, type Registry } from "prom-client";

const pendingReasons: readonly PendingReason[] = [
  "too-many-pods",
  "ip-exhausted",
  "insufficient-resources",
  "starting",
  "unschedulable",
  "other",
];

/** A node that can take no more pods: kubelet's allocatable pods are all counted. */
export function atMaxPods(node: NodeReport): boolean {
  return node.maxPods !== null && node.pods >= node.maxPods;
}

interface GroupFigures {
  nodes: number;
  atMaxPods: number;
  waitingForIp: number;
  enisAttached: number;
  enisPossible: number;
}

export function nodeGroupFigures(nodes: readonly NodeReport[]): Map<string, GroupFigures> {
  const groups = new Map<string, GroupFigures>();
  for (const node of nodes) {
    const key = node.nodeGroup ?? "none";
    let g = groups.get(key);
    if (g === undefined) {
      g = { nodes: 0, atMaxPods: 0, waitingForIp: 0, enisAttached: 0, enisPossible: 0 };
      groups.set(key, g);
    }
    g.nodes++;
    if (atMaxPods(node)) g.atMaxPods++;
    g.waitingForIp += node.podsWaitingForIp;
    // As the summary counts them: the default card's slots (not branch ENIs, not other cards' EFAs), of
    // those the node's kind allows (a Windows node its primary ENI); a node without EC2 data adds neither.
    const enis = nodeEniCounts(node);
    g.enisAttached += enis.attached;
    if (enis.known || node.kind === "hybrid") g.enisPossible += enisAllowed(node) ?? 0;
  }
  return groups;
}

export function clusterMetrics(r: Registry, topology: () => Topology): void {
  // The five node-group gauges of one scrape share one pass over the nodes.
  const figures = new WeakMap<Topology, Map<string, GroupFigures>>();
  const groupFigures = (): Map<string, GroupFigures> => {
    const t = topology();
    let f = figures.get(t);
    if (f === undefined) {
      f = nodeGroupFigures(t.nodes);
      figures.set(t, f);
    }
    return f;
  };
  const totals: [string, string, (t: Topology) => number][] = [
    ["nodes", "Nodes in the cluster.", (t) => t.summary.nodes],
    ["enis_attached", "ENIs attached to the nodes.", (t) => t.summary.enisAttached],
    ["enis_possible", "ENIs the nodes' instance types allow.", (t) => t.summary.enisPossible],
    ["ips_assigned", "Pod IPs assigned to ENIs (the pool).", (t) => t.summary.ipsAssigned],
    ["ips_used", "Pool IPs held by pods.", (t) => t.summary.ipsUsed],
    ["ips_warm", "Pool IPs assigned but free.", (t) => t.summary.ipsWarm],
    ["pods_running", "Pods running.", (t) => t.summary.podsRunning],
    ["pods_pending", "Pods not running, with a reason.", (t) => t.summary.pendingPods],
  ];
  for (const [name, help, value] of totals) {
    new Gauge({
      name: `eniview_cluster_${name}`,
      help,
      registers: [r],
      collect() {
        this.set(value(topology()));
      },
    });
  }

  const groupGauges: [string, string, keyof GroupFigures][] = [
    ["nodes", "Nodes in the node group.", "nodes"],
    ["nodes_at_max_pods", "Nodes whose pods reach kubelet's max pods.", "atMaxPods"],
    [
      "pods_waiting_for_ip",
      "Pods bound to a node of the group with no IP yet (ContainerCreating).",
      "waitingForIp",
    ],
    ["enis_attached", "ENIs attached to the group's nodes (branch ENIs aside).", "enisAttached"],
    ["enis_possible", "ENIs the group's instance types allow.", "enisPossible"],
  ];
  for (const [name, help, field] of groupGauges) {
    new Gauge({
      name: `eniview_nodegroup_${name}`,
      help: `${help} Label node_group is "none" for nodes in no group.`,
      labelNames: ["node_group"],
      registers: [r],
      collect() {
        this.reset();
        for (const [group, g] of groupFigures()) this.set({ node_group: group }, g[field]);
      },
    });
  }

  new Gauge({
    name: "eniview_pods_pending_by_reason",
    help: "Pods not running by eni-view's diagnosis (too-many-pods, ip-exhausted, insufficient-resources, unschedulable, other).",
    labelNames: ["reason"],
    registers: [r],
    collect() {
      const counts = new Map<string, number>(pendingReasons.map((reason) => [reason, 0]));
      for (const p of topology().pending) counts.set(p.reason, (counts.get(p.reason) ?? 0) + 1);
      for (const [reason, n] of counts) this.set({ reason }, n);
    },
  });
}
