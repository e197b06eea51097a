// One seed of a plan: the changed cluster's scheduler queue run to the end, then every node whose pods or
// settings changed stepped through IPAMD until it settles. Returns per node, per subnet and per pod what
// the cluster ends as; the seed draws every random choice (tie-breaks, Go map order, EC2's addresses).

import { diagnosePending } from "../diagnosis.ts";
import { resolveInstanceType } from "../limits/lookup.ts";
import { eniConfigNameOf } from "../nodeReports.ts";
import { sandboxFailureMessage } from "../sandboxFailure.ts";
import { schedulingOrder } from "../schedule/chooseNode.ts";
import { addToUsage, emptyUsage, type NodeUsage, type ScheduleNode } from "../schedule/nodeFit.ts";
import { seeded } from "../seeded.ts";
import type { SubnetAddresses } from "../subnetAddresses.ts";
import type { CniConfig, PendingReason, PodInput } from "../types.ts";
import {
  type BaseNode,
  type ClusterIndex,
  counted,
  NO_REQUESTS,
  ownerKey,
  type PlanNodeSpec,
  podKey,
} from "./clusterIndex.ts";
import { type NodeIpamOutcome, poolFigures, stepNodeIpam } from "./nodeIpam.ts";
import { placePods } from "./placePods.ts";
import type { ResolvedPlan } from "./resolveChanges.ts";
import type { Ec2Action } from "./types.ts";

export interface NodeFigures {
  enis: number;
  assigned: number;
  used: number;
  warm: number;
  pods: number;
  unit: "ip" | "prefix";
}

export interface SeedPending {
  pod: PodInput;
  node: string | null;
  reason: PendingReason;
  message: string;
}

export interface SeedOutcome {
  nodes: Map<string, NodeFigures>;
  pending: Map<string, SeedPending>;
  subnets: Map<string, { free: number; blocks: number }>;
  dry: Map<string, "InsufficientCidrBlocks" | "InsufficientFreeAddressesInSubnet">;
  calls: Map<Ec2Action, number>;
  settleMs: number;
  /** Pods bound by this plan: key -> node. */
  bound: Map<string, string>;
  /** Pods that got an IP in this plan: key -> IP. */
  ips: Map<string, string>;
  /** Pods this plan adds on new nodes without the scheduler (DaemonSet pods). */
  daemonPods: PodInput[];
  /** Pods that leave Pending for a node again (evicted by a removed node). */
  evicted: PodInput[];
  ipam: Map<string, NodeIpamOutcome>;
}

export interface PlanContext {
  index: ClusterIndex;
  plan: ResolvedPlan;
  books: ReadonlyMap<string, SubnetAddresses>;
  /** Figures of each node as it is, for the nodes no change touches. */
  before: ReadonlyMap<string, NodeFigures>;
  attachDelayMs: number;
  cycleMs: number;
}

interface PlanNode {
  name: string;
  sched: ScheduleNode;
  base: BaseNode | undefined;
  spec: PlanNodeSpec | undefined;
}

function cloneUsage(u: NodeUsage): NodeUsage {
  return { ...u, owners: new Map(u.owners) };
}

function newNodeSched(spec: PlanNodeSpec): ScheduleNode {
  return {
    name: spec.name,
    labels: spec.labels,
    unschedulable: false,
    ready: true,
    taints: spec.taints,
    pods: spec.maxPods,
    cpuMilli: spec.cpuMilli,
    memoryBytes: spec.memoryBytes,
    podEni: 0,
  };
}

export function runSeed(ctx: PlanContext, seed: number): SeedOutcome {
  const { index, plan } = ctx;
  const next = seeded(seed);
  const books = new Map<string, SubnetAddresses>();
  const book = (subnet: string): SubnetAddresses | undefined => {
    let b = books.get(subnet);
    if (b === undefined) {
      b = ctx.books.get(subnet)?.clone();
      if (b !== undefined) books.set(subnet, b);
    }
    return b;
  };

  const nodes: PlanNode[] = [];
  for (const base of index.sorted)
    if (!plan.removed.has(base.input.name))
      nodes.push({ name: base.input.name, sched: base.sched, base, spec: undefined });
  for (const spec of plan.added)
    nodes.push({ name: spec.name, sched: newNodeSched(spec), base: undefined, spec });
  if (plan.added.length > 0) nodes.sort((a, b) => a.name.localeCompare(b.name));
  const byName = new Map(nodes.map((n) => [n.name, n]));

  const usage = new Map<string, NodeUsage>();
  const usageOf = (name: string): NodeUsage => {
    let u = usage.get(name);
    if (u === undefined) {
      const base = byName.get(name)?.base;
      u = base ? cloneUsage(base.usage) : emptyUsage();
      usage.set(name, u);
    }
    return u;
  };
  const readUsage = (name: string): NodeUsage =>
    usage.get(name) ?? byName.get(name)?.base?.usage ?? usageOf(name);
  const arriving = new Map<string, string[]>();
  const arrivingPods = new Map<string, PodInput>();
  const arrive = (node: string, pod: PodInput) => {
    if (pod.hostNetwork) return;
    arrivingPods.set(podKey(pod), pod);
    const list = arriving.get(node);
    if (list) list.push(podKey(pod));
    else arriving.set(node, [podKey(pod)]);
  };
  const released = new Map<string, string[]>();

  // Scale-downs: the pods go, their IPs cool down.
  for (const key of plan.removedPods) {
    const pod = index.pods.get(key);
    if (pod?.nodeName == null || !byName.has(pod.nodeName)) continue;
    addToUsage(usageOf(pod.nodeName), pod.scheduling ?? NO_REQUESTS, ownerKey(pod), -1);
    if (pod.podIp !== null && !pod.hostNetwork) {
      const list = released.get(pod.nodeName);
      if (list) list.push(pod.podIp);
      else released.set(pod.nodeName, [pod.podIp]);
    }
  }
  // Removed nodes' pods go back to the queue, but their DaemonSet's; their instances' ENIs are deleted
  // with them (delete on termination), so their addresses are free again.
  const evicted: PodInput[] = [];
  for (const name of plan.removed.keys()) {
    for (const e of index.nodes.get(name)?.enis ?? []) {
      const b = book(e.subnetId);
      if (b === undefined) continue;
      for (const ip of [e.primaryIp, ...e.secondaryIps]) if (ip) b.release(ip);
      for (const prefix of e.prefixes) b.releasePrefix(prefix);
    }
    for (const pod of index.nodes.get(name)?.pods ?? []) {
      if (pod.owner?.startsWith("DaemonSet/") || plan.removedPods.has(podKey(pod)) || !counted(pod)) continue;
      evicted.push({ ...pod, nodeName: null, podIp: null, phase: "Pending", status: "Pending" });
    }
  }
  // A new node runs the DaemonSets' pods, bound by their controller.
  const daemonPods: PodInput[] = [];
  const bound = new Map<string, string>();
  for (const spec of plan.added) {
    for (const template of index.daemonPods(spec.nodeGroup)) {
      const pod: PodInput = {
        ...template,
        name: `${template.name.replace(/-[a-z0-9]{5}$/, "")}-${spec.name}`,
        uid: null,
        nodeName: spec.name,
        podIp: template.hostNetwork ? template.podIp : null,
        createdAt: index.planTime,
      };
      daemonPods.push(pod);
      addToUsage(usageOf(spec.name), pod.scheduling ?? NO_REQUESTS, ownerKey(pod), 1);
      bound.set(podKey(pod), spec.name);
      arrive(spec.name, pod);
    }
  }
  // Pods bound now but still without an IP wait on their node first.
  for (const n of nodes) {
    for (const pod of n.base?.waiting ?? []) if (!plan.removedPods.has(podKey(pod))) arrive(n.name, pod);
  }

  const queue = [
    ...index.unbound.filter((p) => !plan.removedPods.has(podKey(p))),
    ...evicted,
    ...plan.addedPods,
  ].sort((a, b) =>
    schedulingOrder(
      { priority: (a.scheduling ?? NO_REQUESTS).priority, createdAt: a.createdAt ?? "", name: a.name },
      { priority: (b.scheduling ?? NO_REQUESTS).priority, createdAt: b.createdAt ?? "", name: b.name },
    ),
  );
  const failed = placePods(
    queue,
    nodes.map((n) => n.sched),
    (s) => readUsage(s.name),
    (pod, s) => {
      addToUsage(usageOf(s.name), pod.scheduling ?? NO_REQUESTS, ownerKey(pod), 1);
      bound.set(podKey(pod), s.name);
      arrive(s.name, pod);
    },
    next,
  );

  const cni: CniConfig = plan.settingsChanged ? plan.cniAfter : index.input.cni;
  const configs = new Map(plan.eniConfigs.map((e) => [e.name, e.subnet]));
  const outcomes = new Map<string, NodeIpamOutcome>();
  const calls = new Map<Ec2Action, number>();
  const dry = new Map<string, "InsufficientCidrBlocks" | "InsufficientFreeAddressesInSubnet">();
  let settleMs = 0;
  const figures = new Map<string, NodeFigures>();
  const pending = new Map<string, SeedPending>();

  for (const n of nodes) {
    const touched =
      n.spec !== undefined ||
      arriving.has(n.name) ||
      released.has(n.name) ||
      (plan.settingsChanged && n.base?.ipam);
    // Only EC2 nodes of a known type with an IPv4 warm pool are stepped (an IPv6 node has one /80).
    const facts = n.base
      ? n.base.ipam
        ? n.base.facts
        : undefined
      : index.input.cni.ipv6 === true
        ? undefined
        : resolveInstanceType(n.spec?.instanceType ?? "", index.input.extraInstanceTypes);
    if (!touched || facts === undefined) {
      const before = ctx.before.get(n.name) ?? {
        enis: 0,
        assigned: 0,
        used: 0,
        warm: 0,
        unit: "ip" as const,
      };
      figures.set(n.name, { ...before, pods: readUsage(n.name).pods });
      continue;
    }
    const nodeInput = n.base?.input;
    // aws-node reads its env when it starts (a restart for new settings, or a new node); IPAMD reads the
    // node's ENIConfig each time it creates an ENI (eniconfig.MyENIConfig in tryAllocateENI), so every
    // node's next ENI goes to the ENIConfig as the plan leaves it.
    const restarted = n.spec !== undefined || plan.settingsChanged;
    const custom = restarted ? plan.settings.customNetworking : index.input.cni.customNetworking;
    const configName = nodeInput
      ? eniConfigNameOf(nodeInput, cni)
      : (n.spec?.labels[cni.eniConfigLabelDef ?? "k8s.amazonaws.com/eniConfig"] ?? null);
    const configSubnet = configName === null ? null : (configs.get(configName) ?? null);
    const primarySubnet = n.base?.subnetId ?? n.spec?.subnetId ?? null;
    const zone = nodeInput?.zone ?? n.spec?.zone ?? null;
    const held = new Map<string, string>();
    for (const pod of n.base?.pods ?? [])
      if (pod.podIp !== null && !pod.hostNetwork) held.set(pod.podIp, podKey(pod));
    const out = stepNodeIpam(
      {
        nodeName: n.name,
        facts,
        maxPods: n.sched.pods,
        cordoned: n.sched.unschedulable,
        settings: plan.settings,
        enis: n.base?.enis ?? [],
        primarySubnet,
        held,
        released: released.get(n.name) ?? [],
        arriving: arriving.get(n.name) ?? [],
        eniSubnet: (free) => {
          if (custom) return configSubnet;
          // Subnet discovery: the node's subnet, or a subnet of its AZ tagged for the CNI with more free.
          let best = primarySubnet;
          let bestFree = best === null ? -1 : free(best);
          for (const s of index.subnets.values()) {
            if (s.id === primarySubnet || s.zone !== zone || s.cniDiscovery !== true) continue;
            const f = free(s.id);
            if (f > bestFree) [best, bestFree] = [s.id, f];
          }
          return best;
        },
        book,
        next,
      },
      ctx.attachDelayMs,
      ctx.cycleMs,
    );
    outcomes.set(n.name, out);
    for (const [a, c] of out.calls) calls.set(a, (calls.get(a) ?? 0) + c);
    if (out.dry) dry.set(out.dry.subnet, out.dry.code);
    settleMs = Math.max(settleMs, out.settleMs);
    figures.set(n.name, {
      ...poolFigures(out.pool, out.prefixDelegation),
      pods: readUsage(n.name).pods,
      unit: out.prefixDelegation ? "prefix" : "ip",
    });
    for (const key of out.starved) {
      const pod = arrivingPods.get(key);
      if (pod === undefined) continue;
      pending.set(key, {
        pod,
        node: n.name,
        reason: "ip-exhausted",
        message: sandboxFailureMessage("<sandbox id>"),
      });
    }
  }
  for (const [pod, message] of failed) {
    const d = diagnosePending({
      ...pod,
      nodeName: null,
      scheduledReason: "Unschedulable",
      scheduledMessage: message,
    });
    pending.set(podKey(pod), { pod, node: null, reason: d.reason, message });
  }
  const subnets = new Map<string, { free: number; blocks: number }>();
  for (const [id, base] of ctx.books) {
    const b = books.get(id) ?? base;
    subnets.set(id, { free: b.available(), blocks: b.freeBlocks28() });
  }
  const ips = new Map<string, string>();
  for (const out of outcomes.values()) for (const [k, ip] of out.assigned) ips.set(k, ip);
  return {
    nodes: figures,
    pending,
    subnets,
    dry,
    calls,
    settleMs,
    bound,
    ips,
    daemonPods,
    evicted,
    ipam: outcomes,
  };
}
