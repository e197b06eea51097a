// The planned cluster of one seed as a source would read it (a ClusterInput), so that buildReport draws it
// in the report's shape: removed nodes and their instances and ENIs gone, new nodes with their ENIs, pods
// bound and given IPs, Pending pods with the scheduler's message, kubelet's event for pods without an IP.
import type { ClusterInput, EniInput, EventInput, InstanceInput, NodeInput, PodInput } from "../types.ts";
import { type ClusterIndex, podKey } from "./clusterIndex.ts";
import type { ResolvedPlan } from "./resolveChanges.ts";
import type { SeedOutcome } from "./runSeed.ts";

function instanceIdOf(name: string): string {
  return `i-planned-${name}`;
}

function finite(n: number): number | null {
  return Number.isFinite(n) ? n : null;
}

/** The pods with the plan's new ones where the source would list them: in key order when the source
 * lists its pods so (a Kubernetes list is by namespace and name), else after the others. The planned
 * report then keeps the live one's order, and the page's delta need not carry the order of every pod. */
function withAdded(pods: PodInput[], added: PodInput[]): PodInput[] {
  if (added.length === 0) return pods;
  let last = "";
  for (const p of pods) {
    const k = podKey(p);
    if (k <= last) return [...pods, ...added];
    last = k;
  }
  const sorted = added.map((p) => [podKey(p), p] as const).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const out: PodInput[] = [];
  let i = 0;
  for (const [k, p] of sorted) {
    while (i < pods.length && podKey(pods[i] as PodInput) < k) out.push(pods[i++] as PodInput);
    out.push(p);
  }
  while (i < pods.length) out.push(pods[i++] as PodInput);
  return out;
}

export function plannedInput(index: ClusterIndex, plan: ResolvedPlan, seed: SeedOutcome): ClusterInput {
  const input = index.input;
  const goneInstances = new Set<string>();
  for (const name of plan.removed.keys()) {
    const id = index.nodes.get(name)?.input.instanceId;
    if (id) goneInstances.add(id);
  }
  const nodes: NodeInput[] = input.nodes.filter((n) => !plan.removed.has(n.name));
  const instances: InstanceInput[] = input.instances.filter((i) => !goneInstances.has(i.id));
  const subnetVpc = new Map(input.subnets.map((s) => [s.id, s.vpcId]));
  const enis: EniInput[] = [];
  const stepped = new Map<string, { node: string; instanceId: string }>();
  for (const [node, out] of seed.ipam) {
    const base = index.nodes.get(node);
    const instanceId = base?.input.instanceId ?? instanceIdOf(node);
    for (const e of out.pool.enis) stepped.set(e.id, { node, instanceId });
  }
  const pools = new Map<string, { secondaryIps: string[]; prefixes: string[] }>();
  for (const out of seed.ipam.values()) {
    for (const e of out.pool.enis) {
      pools.set(e.id, {
        secondaryIps: e.cidrs.filter((c) => !c.prefix).map((c) => c.cidr.replace(/\/32$/, "")),
        prefixes: e.cidrs.filter((c) => c.prefix).map((c) => c.cidr),
      });
    }
  }
  const freedOnStepped = new Set<string>();
  for (const name of seed.ipam.keys()) {
    for (const e of index.nodes.get(name)?.enis ?? []) if (!pools.has(e.id)) freedOnStepped.add(e.id);
  }
  for (const e of input.enis) {
    if (e.instanceId !== null && goneInstances.has(e.instanceId)) continue;
    if (freedOnStepped.has(e.id)) continue;
    const pool = pools.get(e.id);
    enis.push(pool ? { ...e, ...pool } : e);
  }
  for (const spec of plan.added) {
    const out = seed.ipam.get(spec.name);
    const instanceId = instanceIdOf(spec.name);
    const primaryEni = out?.pool.enis.find((e) => e.primary);
    const privateIp = (primaryEni && out?.primaryIps.get(primaryEni.id)) ?? null;
    nodes.push({
      name: spec.name,
      instanceId,
      instanceType: spec.instanceType,
      zone: spec.zone,
      nodeGroup: spec.nodeGroup,
      capacityType: null,
      internalIp: privateIp,
      ready: true,
      cordoned: false,
      allocatablePods: spec.maxPods,
      allocatableCpuMilli: finite(spec.cpuMilli),
      allocatableMemoryBytes: finite(spec.memoryBytes),
      createdAt: index.planTime,
      labels: spec.labels,
      taints: spec.taints,
    });
    instances.push({
      id: instanceId,
      instanceType: spec.instanceType,
      zone: spec.zone,
      state: "running",
      privateIp,
      privateDnsName: null,
      subnetId: spec.subnetId,
      vpcId: spec.subnetId === null ? null : (subnetVpc.get(spec.subnetId) ?? null),
    });
  }
  for (const out of seed.ipam.values()) {
    for (const e of out.pool.enis) {
      const subnetId = out.newEnis.get(e.id);
      if (subnetId === undefined) continue;
      const owner = stepped.get(e.id);
      enis.push({
        id: e.id,
        subnetId,
        vpcId: subnetVpc.get(subnetId) ?? null,
        zone: index.subnets.get(subnetId)?.zone ?? null,
        status: "in-use",
        // A trunk is the VPC resource controller's, not the CNI's (aws-k8s-trunk-eni).
        interfaceType: e.trunk ? "trunk" : "interface",
        description: e.primary ? "" : e.trunk ? "aws-k8s-trunk-eni" : `aws-K8S-${owner?.instanceId ?? ""}`,
        instanceId: owner?.instanceId ?? null,
        deviceIndex: e.deviceIndex,
        networkCardIndex: 0,
        attachmentStatus: "attached",
        attachTime: null,
        primaryIp: out.primaryIps.get(e.id) ?? null,
        secondaryIps: pools.get(e.id)?.secondaryIps ?? [],
        prefixes: pools.get(e.id)?.prefixes ?? [],
        noManage: false,
        cniManaged: !e.primary && !e.trunk,
        requesterManaged: false,
        createdAt: index.planTime,
      });
    }
  }

  const events: EventInput[] = [...input.events];
  const place = (pod: PodInput): PodInput => {
    const key = podKey(pod);
    const waiting = seed.pending.get(key);
    const node = seed.bound.get(key) ?? pod.nodeName;
    const ip = seed.ips.get(key) ?? pod.podIp;
    if (waiting && waiting.node === null) {
      return {
        ...pod,
        nodeName: null,
        podIp: null,
        phase: "Pending",
        status: "Pending",
        scheduledReason: "Unschedulable",
        scheduledMessage: waiting.message,
      };
    }
    if (waiting) {
      events.push({
        namespace: pod.namespace,
        kind: "Pod",
        name: pod.name,
        reason: "FailedCreatePodSandBox",
        message: waiting.message,
        type: "Warning",
        count: 1,
        lastSeen: index.planTime,
      });
      return {
        ...pod,
        nodeName: node,
        podIp: null,
        phase: "Pending",
        status: "ContainerCreating",
        waitingReason: "ContainerCreating",
        scheduledReason: null,
        scheduledMessage: null,
      };
    }
    if (node === pod.nodeName && ip === pod.podIp) return pod;
    return {
      ...pod,
      nodeName: node,
      podIp: ip,
      phase: "Running",
      status: "Running",
      waitingReason: null,
      scheduledReason: null,
      scheduledMessage: null,
    };
  };
  const pods: PodInput[] = [];
  const evicted = new Map(seed.evicted.map((p) => [podKey(p), p]));
  for (const pod of input.pods) {
    const key = podKey(pod);
    if (plan.removedPods.has(key)) continue;
    if (pod.nodeName !== null && plan.removed.has(pod.nodeName)) {
      const again = evicted.get(key);
      if (again) pods.push(place(again));
      continue;
    }
    pods.push(place(pod));
  }
  const added = [...plan.addedPods, ...seed.daemonPods].map(place);

  const subnets = input.subnets.map((s) => {
    const after = seed.subnets.get(s.id);
    return after === undefined ? s : { ...s, availableIps: after.free };
  });
  return {
    ...input,
    nodes,
    pods: withAdded(pods, added),
    events,
    enis,
    instances,
    subnets,
    cni: plan.cniAfter,
    eniConfigs: plan.eniConfigs,
  };
}
