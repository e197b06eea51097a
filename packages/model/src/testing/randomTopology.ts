// Seeded random topologies and random changes to them, for the tests of the delta and the wire encoding.
// They cover the shapes the model produces and the odd ones it reports rather than drops: prefix-delegation
// slots, pods whose IP is on no ENI, slots naming a pod that is not in the pod list, hostNetwork pods,
// pending pods with and without a node, empty and many-key label sets, owners that are null. A change
// copies what it touches and shares the rest, as the server's rebuilds do once unchanged objects are reused.
import type { Topology } from "../api.ts";
import { defaultCniConfig } from "../cniConfig.ts";
import { type Random, seeded } from "../seeded.ts";
import type {
  EniReport,
  NodeReport,
  PendingPodReport,
  PodReport,
  SlotReport,
  SubnetReport,
  ZoneReport,
} from "../types.ts";

export { type Random, seeded };

const int = (r: Random, n: number): number => Math.floor(r() * n);
const pick = <T>(r: Random, items: readonly T[]): T => items[int(r, items.length)]!;
const ip = (n: number): string => `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
const key = (p: { namespace: string; name: string }): string => `${p.namespace}/${p.name}`;

const zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
const namespaces = ["default", "web", "kube-system", "payments"];
const labelSets: Record<string, string>[] = [
  {},
  { app: "web" },
  { app: "api", "app.kubernetes.io/name": "api", tier: "backend" },
  { "k8s-app": "kube-dns" },
];
const owners = [null, "Deployment/web", "Deployment/api", "StatefulSet/db", "DaemonSet/agent"];
const statuses: [PodReport["phase"], string][] = [
  ["Running", "Running"],
  ["Running", "Terminating"],
  ["Pending", "ContainerCreating"],
  ["Unknown", "Unknown"],
];

interface Counter {
  n: number;
}

function newPod(r: Random, c: Counter, node: string, at: string, eni: string | null): PodReport {
  const [phase, status] = pick(r, statuses);
  return {
    namespace: pick(r, namespaces),
    name: `pod-${(c.n++).toString(36)}-${int(r, 1e6).toString(36)}`,
    node,
    ip: at,
    eni,
    phase,
    status,
    owner: pick(r, owners),
    labels: { ...pick(r, labelSets) },
  };
}

function newEni(
  r: Random,
  c: Counter,
  node: string,
  device: number,
  pd: boolean,
  pods: PodReport[],
): EniReport {
  const id = `eni-${(c.n++).toString(16).padStart(8, "0")}`;
  const base = (10 << 24) + (int(r, 200) << 16) + (int(r, 200) << 8);
  const slots: SlotReport[] = [];
  const prefixes: string[] = [];
  if (pd) {
    for (let p = 0; p < 1 + int(r, 2); p++) {
      const start = base + p * 16;
      prefixes.push(`${ip(start)}/28`);
      for (let i = 0; i < 16; i++) slots.push({ ip: ip(start + i), pod: null, prefix: `${ip(start)}/28` });
    }
  } else {
    let at = base + 4;
    for (let i = 0; i < 1 + int(r, 6); i++) {
      at += 1 + int(r, 9);
      slots.push({ ip: ip(at), pod: null });
    }
  }
  for (const slot of slots) {
    const roll = r();
    if (roll < 0.5) {
      const pod = newPod(r, c, node, slot.ip, id);
      pods.push(pod);
      slot.pod = key(pod);
    } else if (roll < 0.55) {
      // An address IPAM still holds for a pod that is gone from the pod list.
      slot.pod = `default/gone-${(c.n++).toString(36)}`;
    }
  }
  const used = slots.filter((s) => s.pod !== null).length;
  return {
    id,
    deviceIndex: device,
    networkCardIndex: 0,
    onDefaultCard: true,
    subnetId: `subnet-${device % 2}`,
    role: device === 0 ? "primary" : "secondary",
    interfaceType: "interface",
    primaryIp: r() < 0.1 ? null : ip(base + 1),
    slots,
    prefixes,
    podCapacity: r() > 0.1,
    slotLimit: pd ? 224 : 14,
    ipsAssigned: slots.length,
    ipsUsed: used,
    ipsWarm: slots.length - used,
    attachTime: r() < 0.5 ? null : "2026-11-23T10:00:00.000Z",
  };
}

function newNode(r: Random, c: Counter, name: string, pods: PodReport[]): NodeReport {
  const pd = r() < 0.3;
  const enis: EniReport[] = [];
  for (let d = 0; d < 1 + int(r, 3); d++) enis.push(newEni(r, c, name, d, pd, pods));
  // A pod whose IP is on none of the node's ENIs (the model reports it with eni null).
  if (r() < 0.3) pods.push(newPod(r, c, name, ip((192 << 24) + int(r, 1 << 16)), null));
  const used = enis.reduce((s, e) => s + e.ipsUsed, 0);
  return {
    name,
    instanceId: r() < 0.1 ? null : `i-${(c.n++).toString(16)}`,
    instanceType: pick(r, ["m5.large", "c5.xlarge", null]),
    zone: pick(r, [...zones, null]),
    nodeGroup: pick(r, ["general", "batch", null]),
    capacityType: pick(r, ["ON_DEMAND", "SPOT", null]),
    internalIp: ip((10 << 24) + int(r, 1 << 16)),
    kind: "ec2",
    ipFamily: "ipv4",
    enisKnown: true,
    branchEnis: null,
    podCidrs: [],
    ready: r() > 0.1,
    cordoned: r() < 0.1,
    maxPods: 29,
    maxPodsByEni: pd ? 110 : 29,
    capacity: {
      instanceType: "m5.large",
      known: true,
      vcpus: 2,
      maxEnis: 3,
      ipv4PerEni: 10,
      podEnis: 3,
      podIpsPerEni: pd ? 144 : 9,
      podIps: pd ? 432 : 27,
      maxPods: pd ? 110 : 29,
      maxPodsUncapped: pd ? 434 : null,
      mode: pd ? "prefix-delegation" : "secondary-ip",
      ...(r() < 0.2 ? { notes: ["prefix delegation capped at 110"] } : {}),
    },
    overcommitted: false,
    enis,
    eniSlotsFree: 3 - enis.length,
    ipsAssigned: enis.reduce((s, e) => s + e.ipsAssigned, 0),
    ipsUsed: used,
    ipsWarm: enis.reduce((s, e) => s + e.ipsWarm, 0),
    pods: used + 2,
    podsRunning: used + 2,
    hostNetworkPods: [
      { namespace: "kube-system", name: `aws-node-${name}` },
      { namespace: "kube-system", name: `kube-proxy-${name}` },
    ],
    podsWaitingForIp: int(r, 2),
    podsOffEni: [],
    warnings: [],
    notes: r() < 0.2 ? ["instance not found in EC2"] : [],
    eniConfig: r() < 0.2 ? { name: "eu-west-1a", subnetId: null, found: false } : null,
    cniFeatures: r() < 0.2 ? ["SecurityGroupsForPods"] : [],
  };
}

function newPending(r: Random, c: Counter, nodes: readonly NodeReport[]): PendingPodReport {
  return {
    namespace: pick(r, namespaces),
    name: `pending-${(c.n++).toString(36)}`,
    node: r() < 0.5 || nodes.length === 0 ? null : pick(r, nodes).name,
    reason: pick(r, ["too-many-pods", "ip-exhausted", "unschedulable", "other"] as const),
    message: pick(r, ["0/3 nodes are available: 3 Too many pods.", "failed to assign an IP address"]),
    status: pick(r, ["Pending", "ContainerCreating"]),
    owner: pick(r, owners),
    since: r() < 0.5 ? null : "2026-11-23T10:00:00.000Z",
  };
}

const byKey = <T extends { namespace: string; name: string }>(a: T, b: T): number =>
  key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
const byName = (a: NodeReport, b: NodeReport): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function subnet(r: Random, id: string): SubnetReport {
  return {
    id,
    name: r() < 0.3 ? null : `private-${id}`,
    cidr: `10.${int(r, 256)}.0.0/16`,
    zone: pick(r, zones),
    availableIps: int(r, 65000),
    totalIps: 65531,
    enis: int(r, 100),
    ipsAssigned: int(r, 1000),
    ipsUsed: int(r, 1000),
    ipsWarm: int(r, 1000),
  };
}

function zone(r: Random, name: string): ZoneReport {
  return {
    zone: name,
    nodes: int(r, 100),
    enisAttached: int(r, 300),
    enisPossible: 300,
    nodesCapacityUnknown: 0,
    nodesEnisUnknown: 0,
    enisOtherCards: 0,
    ipsAssigned: int(r, 3000),
    ipsUsed: int(r, 3000),
    ipsWarm: int(r, 3000),
    pods: int(r, 3000),
    podsRunning: int(r, 3000),
    pendingPods: int(r, 10),
    maxPods: 3000,
    maxPodsByEni: 3000,
    subnetAvailableIps: int(r, 60000),
  };
}

export interface RandomTopologyOptions {
  nodes: number;
  seq?: number;
}

export function randomTopology(r: Random, o: RandomTopologyOptions): Topology {
  const c: Counter = { n: 1 };
  const pods: PodReport[] = [];
  const nodes: NodeReport[] = [];
  for (let i = 0; i < o.nodes; i++) nodes.push(newNode(r, c, `ip-10-0-${i}-${int(r, 255)}.internal`, pods));
  nodes.sort(byName);
  pods.sort(byKey);
  const pending: PendingPodReport[] = [];
  for (let i = 0; i < int(r, 5); i++) pending.push(newPending(r, c, nodes));
  pending.sort(byKey);
  return {
    cluster: { name: "lab", region: "eu-west-1", cni: { ...defaultCniConfig(), detected: true } },
    summary: {
      ...zone(r, "all"),
      hostNetworkPods: nodes.length * 2,
      podsOnUnknownNodes: 0,
      kinds: { ec2: nodes.length },
      overcommittedNodes: 0,
      unplacedPods: 0,
      detachedEnis: 0,
    } as Topology["summary"],
    nodes,
    pods,
    pending,
    subnets: [subnet(r, "subnet-0"), subnet(r, "subnet-1")],
    zones: zones.map((z) => zone(r, z)),
    detachedEnis:
      r() < 0.5
        ? []
        : [
            {
              id: "eni-detached-1",
              subnetId: "subnet-0",
              zone: "eu-west-1a",
              description: "aws-K8S-i-0abc",
              instanceId: null,
              ips: 5,
              createdAt: null,
            },
          ],
    warnings: r() < 0.5 ? [] : ["1 pod IP is on no ENI"],
    seq: o.seq ?? 1,
    generatedAt: "2026-11-23T10:00:00.000Z",
    source: "sim",
    sources: {
      kubernetes: { stale: false, error: null, since: null, lastSuccess: "2026-11-23T10:00:00.000Z" },
    },
  };
}

/** The index of the first item not below `k` in a list sorted by `keyOf`. */
function lowerBound<T>(items: readonly T[], k: string, keyOf: (t: T) => string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keyOf(items[mid]!) < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertPod(pods: PodReport[], pod: PodReport): void {
  pods.splice(lowerBound(pods, key(pod), key), 0, pod);
}

function removePods(pods: PodReport[], gone: ReadonlySet<string>): PodReport[] {
  return gone.size === 0 ? pods : pods.filter((p) => !gone.has(key(p)));
}

/** `prev` with one to three random changes, seq + 1; untouched objects are shared with `prev`. */
export function mutateTopology(prev: Topology, r: Random): Topology {
  const c: Counter = { n: prev.seq * 1000 + 7 };
  const nodes = prev.nodes.slice();
  let pods = prev.pods.slice();
  let pending = prev.pending.slice();
  let subnets = prev.subnets;
  let zonesList = prev.zones;
  let summary = prev.summary;
  let warnings = prev.warnings;
  let sources = prev.sources;
  let detachedEnis = prev.detachedEnis;
  const editNode = (i: number): NodeReport => {
    const copy: NodeReport = {
      ...nodes[i]!,
      enis: nodes[i]!.enis.map((e) => ({ ...e, slots: e.slots.slice() })),
    };
    nodes[i] = copy;
    return copy;
  };
  const changes = 1 + int(r, 3);
  for (let n = 0; n < changes; n++) {
    const what = int(r, 20);
    const ni = int(r, nodes.length);
    if (nodes.length === 0 && what < 9) continue;
    switch (what) {
      case 0:
      case 1: {
        // A pod leaves its slot.
        const node = editNode(ni);
        const eni = node.enis.find((e) => e.slots.some((s) => s.pod !== null));
        if (!eni) break;
        const si = eni.slots.findIndex((s) => s.pod !== null);
        const gone = eni.slots[si]!.pod!;
        eni.slots[si] = { ...eni.slots[si]!, pod: null };
        eni.ipsUsed--;
        eni.ipsWarm++;
        node.ipsUsed--;
        pods = removePods(pods, new Set([gone]));
        break;
      }
      case 2:
      case 3: {
        // A pod takes a warm IP.
        const node = editNode(ni);
        const eni = node.enis.find((e) => e.slots.some((s) => s.pod === null));
        if (!eni) break;
        const si = eni.slots.findIndex((s) => s.pod === null);
        const pod = newPod(r, c, node.name, eni.slots[si]!.ip, eni.id);
        eni.slots[si] = { ...eni.slots[si]!, pod: key(pod) };
        eni.ipsUsed++;
        node.ipsUsed++;
        node.pods++;
        insertPod(pods, pod);
        break;
      }
      case 4: {
        // An ENI attaches.
        const node = editNode(ni);
        const added: PodReport[] = [];
        node.enis.push(newEni(r, c, node.name, node.enis.length, r() < 0.3, added));
        node.eniSlotsFree--;
        for (const p of added) insertPod(pods, p);
        break;
      }
      case 5: {
        // An ENI other than the first detaches, with its pods.
        const node = editNode(ni);
        if (node.enis.length < 2) break;
        const [gone] = node.enis.splice(1 + int(r, node.enis.length - 1), 1);
        pods = removePods(pods, new Set(gone!.slots.flatMap((s) => (s.pod ? [s.pod] : []))));
        break;
      }
      case 6: {
        // IPs come or go on an ENI: its slot list changes length.
        const node = editNode(ni);
        const eni = node.enis[int(r, node.enis.length)]!;
        if (r() < 0.5 || eni.slots.length === 0) {
          eni.slots.push({ ip: ip((172 << 24) + int(r, 1 << 20)), pod: null });
        } else {
          const warm = eni.slots.findIndex((s) => s.pod === null);
          if (warm >= 0) eni.slots.splice(warm, 1);
        }
        eni.ipsAssigned = eni.slots.length;
        break;
      }
      case 7: {
        // Node fields: readiness, notes, ENIConfig, capacity notes.
        const node = editNode(ni);
        node.ready = !node.ready;
        if (r() < 0.5) node.notes = [...node.notes, "type unknown"];
        if (r() < 0.3)
          node.eniConfig = node.eniConfig ? null : { name: "b", subnetId: "subnet-1", found: true };
        if (r() < 0.3) {
          const { notes: _, ...capacity } = node.capacity;
          node.capacity = r() < 0.5 ? capacity : { ...capacity, notes: ["x"] };
        }
        break;
      }
      case 8: {
        // A pod's status changes in place.
        if (pods.length === 0) break;
        const pi = int(r, pods.length);
        pods[pi] = { ...pods[pi]!, status: "Terminating", labels: { ...pods[pi]!.labels, moved: "yes" } };
        break;
      }
      case 9: {
        // A node joins (in name order, or at the end as an unsorted source would put it).
        const added: PodReport[] = [];
        const inOrder = r() < 0.8;
        const node = newNode(r, c, `${inOrder ? "ip-10-9" : "a-10-9"}-${c.n++}-0.internal`, added);
        if (inOrder)
          nodes.splice(
            lowerBound(nodes, node.name, (x) => x.name),
            0,
            node,
          );
        else nodes.push(node);
        for (const p of added) insertPod(pods, p);
        break;
      }
      case 10: {
        // A node leaves, with its pods.
        if (nodes.length < 2) break;
        const [gone] = nodes.splice(ni, 1);
        pods = pods.filter((p) => p.node !== gone!.name);
        break;
      }
      case 11:
        pending = pending.slice();
        pending.splice(lowerBound(pending, "pending-", key), 0, newPending(r, c, nodes));
        pending.sort(byKey);
        break;
      case 12:
        if (pending.length > 0) pending.splice(int(r, pending.length), 1);
        break;
      case 13:
        subnets = subnets.map((s) =>
          r() < 0.5 ? { ...s, availableIps: s.availableIps - 1, enis: s.enis + 1 } : s,
        );
        break;
      case 14:
        // A subnet appears (zone, cidr order is not id order) or the list is reordered.
        subnets = r() < 0.5 ? [subnet(r, `subnet-${c.n++}`), ...subnets] : [...subnets].reverse();
        break;
      case 15:
        zonesList = zonesList.map((z) =>
          r() < 0.5 ? { ...z, ipsUsed: z.ipsUsed + 1, pods: z.pods + 1 } : z,
        );
        if (r() < 0.2) zonesList = zonesList.slice(1);
        break;
      case 16:
        summary = { ...summary, ipsUsed: summary.ipsUsed + 1, podsRunning: summary.podsRunning - 1 };
        break;
      case 17:
        warnings = r() < 0.5 ? [] : [...warnings, `warning ${c.n++}`];
        detachedEnis = r() < 0.5 ? [] : detachedEnis.map((d) => ({ ...d, ips: d.ips + 1 }));
        break;
      case 18:
        sources = { ...sources, ec2: { stale: true, error: "Throttling", since: null, lastSuccess: null } };
        break;
      default: {
        // Two pods swap places on one node (the same slots, other pods).
        const node = editNode(ni);
        const eni = node.enis.find((e) => e.slots.filter((s) => s.pod !== null).length >= 2);
        if (!eni) break;
        const used = eni.slots.map((s, i) => (s.pod === null ? -1 : i)).filter((i) => i >= 0);
        const [a, b] = [used[0]!, used[1]!];
        const pa = eni.slots[a]!.pod;
        eni.slots[a] = { ...eni.slots[a]!, pod: eni.slots[b]!.pod };
        eni.slots[b] = { ...eni.slots[b]!, pod: pa };
      }
    }
  }
  const next: Topology = {
    ...prev,
    seq: prev.seq + 1,
    generatedAt: new Date(Date.parse(prev.generatedAt) + 1000).toISOString(),
    nodes,
    pods,
    pending,
    subnets,
    zones: zonesList,
    summary,
    warnings,
    sources,
    detachedEnis,
  };
  // Now and then a rebuild that shares nothing, so equality must be found by comparing.
  return r() < 0.1 ? structuredClone(next) : next;
}
