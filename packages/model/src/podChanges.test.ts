// A rebuild that places only the changed pods and nodes gives the report a build from scratch gives,
// after every step of seeded random churn: pods added, deleted and changed (scheduled, Pending,
// hostNetwork, on unknown nodes, finished, IPv6, IPs on no ENI), events, nodes added, changed and
// removed, EC2 data changed (ENIs attached and detached, IPs and prefixes assigned and released,
// instances, free-address counts), and pods that claim an IP twice or hold another node's IP (those fall
// back to the full build, which the test also checks). Pod, node and EC2 churn among independent pods
// must take the incremental path.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { formatIpv4, parseIpv4 } from "./ipv4.ts";
import { diffPods, placeChangedPods } from "./podChanges.ts";
import { buildMemoOf, buildReport } from "./report.ts";
import { randomCluster, seeded } from "./testing/randomCluster.ts";
import type { ClusterInput, EniInput, NodeInput, PodInput, Report } from "./types.ts";

/** randomCluster's nodes and ENIs, with only pods that place independently of each other. */
function cleanCluster(seed: number): ClusterInput {
  const input = randomCluster(seed, { prefixDelegation: seed % 2 === 0 });
  const report = buildReport(input);
  const holders = new Set<string>();
  for (const node of report.nodes) {
    for (const eni of node.enis) for (const slot of eni.slots) if (slot.pod !== null) holders.add(slot.pod);
  }
  const nodeOfSlot = slotNodes(report);
  const seen = new Set<string>();
  const pods = input.pods.filter((p) => {
    if (p.hostNetwork || p.podIp === null || p.phase === "Succeeded" || p.phase === "Failed") return true;
    const node = nodeOfSlot.get(p.podIp);
    // No pod on a slot of another node (or of no node), none claiming an IP already claimed.
    if (node !== undefined && (node !== p.nodeName || seen.has(p.podIp))) return false;
    seen.add(p.podIp);
    return true;
  });
  return { ...input, pods };
}

/** IPv4 slot address -> its node. */
function slotNodes(report: Report): Map<string, string> {
  const out = new Map<string, string>();
  for (const node of report.nodes) {
    for (const eni of node.enis)
      for (const slot of eni.slots) if (!out.has(slot.ip)) out.set(slot.ip, node.name);
  }
  return out;
}

type Step = (input: ClusterInput, report: Report, random: () => number) => ClusterInput;

let serial = 0;
function newPod(random: () => number, more: Partial<PodInput>): PodInput {
  return {
    namespace: ["default", "shop", "kube-system"][Math.floor(random() * 3)]!,
    name: `churn-${serial++}`,
    uid: null,
    nodeName: null,
    phase: "Running",
    hostNetwork: false,
    podIp: null,
    owner: "Deployment/churn",
    status: "Running",
    scheduledReason: null,
    scheduledMessage: null,
    waitingReason: null,
    deleting: false,
    createdAt: "2026-12-06T20:00:00Z",
    labels: random() < 0.5 ? { app: "churn" } : {},
    ...more,
  };
}

const pick = <T>(items: readonly T[], random: () => number): T | undefined =>
  items[Math.floor(random() * items.length)];

/** `pod` put at a random place of the list: the diff must find it wherever the source lists it. */
function withPod(input: ClusterInput, pod: PodInput, random: () => number): ClusterInput {
  const pods = [...input.pods];
  pods.splice(Math.floor(random() * (pods.length + 1)), 0, pod);
  return { ...input, pods };
}

function warmSlots(report: Report): { node: string; ip: string }[] {
  return report.nodes.flatMap((n) =>
    n.enis.flatMap((e) =>
      e.podCapacity && !e.slots.some((s) => s.ip.includes(":"))
        ? e.slots.filter((s) => s.pod === null).map((s) => ({ node: n.name, ip: s.ip }))
        : [],
    ),
  );
}

// Steps that change pods alone and keep them independent: these must be placed incrementally.
const podSteps: Record<string, Step> = {
  "a pod takes a warm IP": (input, report, random) => {
    const slot = pick(warmSlots(report), random);
    if (slot === undefined) return input;
    return withPod(input, newPod(random, { nodeName: slot.node, podIp: slot.ip }), random);
  },
  "a pod is deleted": (input, _, random) => {
    const at = Math.floor(random() * input.pods.length);
    return { ...input, pods: input.pods.filter((_, i) => i !== at) };
  },
  "a few pods are deleted": (input, _, random) => {
    const gone = new Set(Array.from({ length: 3 }, () => Math.floor(random() * input.pods.length)));
    return { ...input, pods: input.pods.filter((_, i) => !gone.has(i)) };
  },
  "a workload scales down: 40 pods deleted": (input, _, random) => {
    const gone = new Set(Array.from({ length: 40 }, () => Math.floor(random() * input.pods.length)));
    return { ...input, pods: input.pods.filter((_, i) => !gone.has(i)) };
  },
  "a workload scales up: 40 pods scheduled, waiting for IPs": (input, _, random) => {
    let next = input;
    for (let k = 0; k < 40; k++) {
      const pod = newPod(random, {
        nodeName: pick(input.nodes, random)?.name ?? null,
        phase: "Pending",
        status: "ContainerCreating",
      });
      next = withPod(next, pod, random);
    }
    return next;
  },
  "a pod's status and labels change": (input, _, random) => {
    const at = Math.floor(random() * input.pods.length);
    const pods = [...input.pods];
    const pod = pods[at]!;
    pods[at] = {
      ...pod,
      status: pod.status === "Running" ? "CrashLoopBackOff" : "Running",
      labels: { v: String(at) },
    };
    return { ...input, pods };
  },
  "a pod is Pending without a node": (input, _, random) =>
    withPod(
      input,
      newPod(random, {
        phase: "Pending",
        status: "Pending",
        scheduledReason: "Unschedulable",
        scheduledMessage: "0/12 nodes are available: 12 Too many pods.",
      }),
      random,
    ),
  "a pod is scheduled and waits for an IP": (input, _, random) =>
    withPod(
      input,
      newPod(random, {
        nodeName: pick(input.nodes, random)?.name ?? null,
        phase: "Pending",
        status: "ContainerCreating",
      }),
      random,
    ),
  "a waiting pod gets a warm IP": (input, report, random) => {
    const at = input.pods.findIndex((p) => p.phase === "Pending" && p.nodeName !== null && p.podIp === null);
    const slot = pick(
      warmSlots(report).filter((s) => s.node === input.pods[at]?.nodeName),
      random,
    );
    if (slot === undefined) return input;
    const pods = [...input.pods];
    pods[at] = { ...pods[at]!, phase: "Running", status: "Running", podIp: slot.ip };
    return { ...input, pods };
  },
  "a hostNetwork pod starts": (input, _, random) => {
    const node = pick(input.nodes, random);
    if (node === undefined) return input;
    return withPod(
      input,
      newPod(random, { nodeName: node.name, hostNetwork: true, podIp: node.internalIp }),
      random,
    );
  },
  "a pod on a node the node list does not have": (input, _, random) =>
    withPod(
      input,
      newPod(random, {
        nodeName: "ip-10-99-0-1.compute.internal",
        podIp: random() < 0.5 ? null : "10.99.5.5",
      }),
      random,
    ),
  "a pod with an IP on no ENI": (input, _, random) =>
    withPod(
      input,
      newPod(random, { nodeName: pick(input.nodes, random)?.name ?? null, podIp: `10.98.0.${serial % 250}` }),
      random,
    ),
  "an IPv6 pod": (input, _, random) =>
    withPod(
      input,
      newPod(random, { nodeName: pick(input.nodes, random)?.name ?? null, podIp: "2600:1f14::7" }),
      random,
    ),
  "a pod finishes": (input, _, random) => {
    const at = Math.floor(random() * input.pods.length);
    const pods = [...input.pods];
    pods[at] = { ...pods[at]!, phase: "Succeeded", status: "Completed" };
    return { ...input, pods };
  },
  "a node's status heartbeat: the node mapped anew, nothing read changed": (input, _, random) => {
    const at = Math.floor(random() * input.nodes.length);
    const nodes = [...input.nodes];
    if (nodes[at] !== undefined) nodes[at] = structuredClone(nodes[at]!);
    return { ...input, nodes, cni: { ...input.cni } };
  },
  "an event explains a pending pod": (input, report) => {
    const waiting = report.pending[0];
    if (waiting === undefined) return input;
    return {
      ...input,
      events: [
        ...input.events,
        {
          namespace: waiting.namespace,
          kind: "Pod",
          name: waiting.name,
          reason: "FailedScheduling",
          message: "0/12 nodes are available: 3 Insufficient cpu.",
          type: "Warning",
          count: 1,
          lastSeen: null,
        },
      ],
    };
  },
};

const CLEAR = "pods that depend on each other are deleted";

// Steps after which a full build may be needed: node and EC2 changes, pods that depend on each other.
const otherSteps: Record<string, Step> = {
  "a node is cordoned": (input, _, random) => {
    const at = Math.floor(random() * input.nodes.length);
    const nodes = [...input.nodes];
    if (nodes[at] !== undefined) nodes[at] = { ...nodes[at]!, cordoned: !nodes[at]!.cordoned };
    return { ...input, nodes };
  },
  "a node goes away": (input, _, random) => {
    const at = Math.floor(random() * input.nodes.length);
    gone.push(input.nodes[at]!);
    return { ...input, nodes: input.nodes.filter((_, i) => i !== at) };
  },
  "a node comes back": (input) => {
    const node = gone.pop();
    return node === undefined ? input : { ...input, nodes: [...input.nodes, node] };
  },
  "an ENI gets another IP": (input, _, random) => {
    const enis = [...input.enis];
    const at = enis.findIndex(
      (e, i) => i >= Math.floor(random() * enis.length) && e.interfaceType === "interface",
    );
    if (at < 0) return input;
    enis[at] = { ...enis[at]!, secondaryIps: [...enis[at]!.secondaryIps, `10.20.15.${serial++ % 250}`] };
    return { ...input, enis };
  },
  "a pod claims an IP another pod holds": (input, report, random) => {
    const held = report.pods.filter((p) => p.eni !== null);
    const other = pick(held, random);
    if (other === undefined) return input;
    return withPod(input, newPod(random, { nodeName: other.node, podIp: other.ip }), random);
  },
  "a pod holds another node's IP": (input, report, random) => {
    const slot = pick(warmSlots(report), random);
    const node = pick(
      input.nodes.filter((n) => n.name !== slot?.node),
      random,
    );
    if (slot === undefined || node === undefined) return input;
    return withPod(input, newPod(random, { nodeName: node.name, podIp: slot.ip }), random);
  },
  [CLEAR]: (input, report) => {
    const twice = new Set(
      report.warnings.filter((w) => /claimed by more than one|another node's ENI/.test(w)).length > 0
        ? input.pods.filter((p) => p.name.startsWith("churn-") && p.podIp !== null).map((p) => p.name)
        : [],
    );
    return { ...input, pods: input.pods.filter((p) => !twice.has(p.name)) };
  },
};

/** `next` rebuilt with `report` and from scratch, which must give the same report, in content and in key
 * order; whether the incremental path took it, and whether the pods were independent before and after. */
function checkedStep(
  next: ClusterInput,
  report: Report,
  what: string,
): { placed: unknown; rebuilt: Report; stayedIndependent: boolean } {
  const independent = buildMemoOf(report)?.podsIndependent === true;
  const placed = placeChangedPods(next, report, buildMemoOf(report)!);
  const rebuilt = buildReport(next, report);
  const fresh = buildReport(next);
  assert.deepEqual(rebuilt, fresh, what);
  assert.equal(JSON.stringify(rebuilt), JSON.stringify(fresh), `${what}, in order`);
  return { placed, rebuilt, stayedIndependent: independent && buildMemoOf(fresh)?.podsIndependent === true };
}

/** Nodes gone in this test, to come back. */
const gone: NodeInput[] = [];
const podNames = Object.keys(podSteps);
const otherNames = Object.keys(otherSteps);

describe("buildReport placing only the changed pods", () => {
  for (const seed of [1, 2, 3, 4]) {
    test(`seed ${seed}: 60 steps of churn, each rebuilt equal to a build from scratch`, () => {
      const random = seeded(seed * 7919);
      gone.length = 0;
      let input = cleanCluster(seed);
      let report = buildReport(input);
      let incremental = 0;
      let expectedIncremental = 0;
      for (let step = 0; step < 60; step++) {
        // Pods that depend on each other are cleared away soon, as a cluster's are.
        const tangled = buildMemoOf(report)?.podsIndependent === false && random() < 0.5;
        const podOnly = !tangled && random() < 0.8;
        const name = tangled ? CLEAR : podOnly ? pick(podNames, random)! : pick(otherNames, random)!;
        const next = (podOnly ? podSteps : otherSteps)[name]!(input, report, random);
        const { placed, rebuilt, stayedIndependent } = checkedStep(next, report, `step ${step}: ${name}`);
        if (placed !== null) incremental++;
        // Pod churn among pods that stay independent must not read every pod again.
        if (podOnly && stayedIndependent) {
          expectedIncremental++;
          assert.notEqual(placed, null, `step ${step}: ${name} was placed from scratch`);
        }
        input = next;
        report = rebuilt;
      }
      assert.ok(expectedIncremental >= 20, `only ${expectedIncremental} steps of pod churn`);
      assert.ok(incremental >= expectedIncremental);
    });
  }

  test("pods listed in another order are placed from scratch, and equal", () => {
    const input = cleanCluster(5);
    const report = buildReport(input);
    const next = { ...input, pods: [...input.pods].reverse() };
    assert.equal(placeChangedPods(next, report, buildMemoOf(report)!), null);
    assert.deepEqual(buildReport(next, report), buildReport(next));
  });
});

// Addresses no randomCluster ENI holds, in subnet-a (10.20.0.0/20), one after another.
let nextAddress = parseIpv4("10.20.8.0")!;
const freshIp = (): string => formatIpv4(nextAddress++);
const freshPrefix = (): string => {
  nextAddress = Math.ceil(nextAddress / 16) * 16 + 16;
  return `${formatIpv4(nextAddress - 16)}/28`;
};

/** `eni` put at a random place of the ENI list, as EC2 lists a new one. */
function withEni(input: ClusterInput, eni: EniInput, random: () => number): ClusterInput {
  const enis = [...input.enis];
  enis.splice(Math.floor(random() * (enis.length + 1)), 0, eni);
  return { ...input, enis };
}

/** A node's ENI that IPAMD manages (not the primary, no trunk, branch or EFA), at its place in the list. */
function cniEni(input: ClusterInput, random: () => number): number {
  const at = input.enis
    .map((e, i) => [e, i] as const)
    .filter(([e]) => e.cniManaged && e.interfaceType === "interface" && e.instanceId !== null)
    .map(([, i]) => i);
  return pick(at, random) ?? -1;
}

function replaceEni(input: ClusterInput, at: number, more: Partial<EniInput>): ClusterInput {
  if (at < 0) return input;
  const enis = [...input.enis];
  enis[at] = { ...enis[at]!, ...more };
  return { ...input, enis };
}

function changeNode(
  input: ClusterInput,
  random: () => number,
  change: (n: NodeInput) => NodeInput,
): ClusterInput {
  const at = Math.floor(random() * input.nodes.length);
  const nodes = [...input.nodes];
  if (nodes[at] !== undefined) nodes[at] = change(nodes[at]!);
  return { ...input, nodes };
}

let newNodes = 0;
// Node and EC2 steps a watch or an EC2 refresh brings: these must be placed incrementally too.
const nodeSteps: Record<string, Step> = {
  "a node is cordoned": (input, _, random) =>
    changeNode(input, random, (n) => ({ ...n, cordoned: !n.cordoned })),
  "a node goes NotReady": (input, _, random) => changeNode(input, random, (n) => ({ ...n, ready: !n.ready })),
  "a node's labels change": (input, _, random) =>
    changeNode(input, random, (n) => ({ ...n, nodeGroup: `ng-${Math.floor(random() * 3)}` })),
  "a node's max pods change": (input, _, random) =>
    changeNode(input, random, (n) => ({ ...n, allocatablePods: pick([17, 29, 58, 110, 250], random)! })),
  "a node joins with its instance and primary ENI": (input, _, random) => {
    const k = newNodes++;
    const name = `ip-10-20-9-${k}.compute.internal`;
    const instanceId = `i-new${k.toString(16).padStart(5, "0")}`;
    const internalIp = freshIp();
    const node: NodeInput = {
      ...input.nodes[0]!,
      name,
      instanceId,
      instanceType: "m5.large",
      internalIp,
      ready: true,
      cordoned: false,
      allocatablePods: 29,
    };
    const nodes = [...input.nodes];
    nodes.splice(Math.floor(random() * (nodes.length + 1)), 0, node);
    const instance = {
      ...input.instances[0]!,
      id: instanceId,
      instanceType: "m5.large",
      privateIp: internalIp,
      privateDnsName: name,
    };
    const eni: EniInput = {
      ...input.enis.find((e) => e.deviceIndex === 0)!,
      id: `eni-new-${k}`,
      instanceId,
      subnetId: "subnet-a",
      primaryIp: internalIp,
      secondaryIps: [freshIp(), freshIp(), freshIp()],
      prefixes: input.cni.prefixDelegation ? [freshPrefix()] : [],
    };
    return withEni({ ...input, nodes, instances: [...input.instances, instance] }, eni, random);
  },
  "a node leaves (its instance still in EC2)": (input, _, random) => {
    const at = Math.floor(random() * input.nodes.length);
    gone.push(input.nodes[at]!);
    return { ...input, nodes: input.nodes.filter((_, i) => i !== at) };
  },
  "a node leaves with its instance and ENIs": (input, report, random) => {
    const node = pick(report.nodes, random);
    if (node === undefined || node.instanceId === null) return input;
    const id = node.instanceId;
    return {
      ...input,
      nodes: input.nodes.filter((n) => n.name !== node.name),
      instances: input.instances.filter((i) => i.id !== id),
      enis: input.enis.filter((e) => e.instanceId !== id),
    };
  },
  "an ENI is attached": (input, report, random) => {
    const node = pick(
      report.nodes.filter((n) => n.instanceId !== null && n.eniSlotsFree > 0),
      random,
    );
    if (node === undefined) return input;
    const eni: EniInput = {
      ...input.enis.find((e) => e.instanceId === node.instanceId)!,
      id: `eni-att-${serial++}`,
      deviceIndex: 5,
      cniManaged: true,
      interfaceType: "interface",
      noManage: false,
      networkCardIndex: 0,
      primaryIp: freshIp(),
      secondaryIps: [freshIp(), freshIp()],
      prefixes: input.cni.prefixDelegation ? [freshPrefix()] : [],
    };
    return withEni(input, eni, random);
  },
  "an ENI is detached (status available)": (input, _, random) =>
    replaceEni(input, cniEni(input, random), {
      status: "available",
      instanceId: null,
      attachmentStatus: null,
      deviceIndex: null,
    }),
  "an ENI is deleted": (input, _, random) => {
    const at = cniEni(input, random);
    return at < 0 ? input : { ...input, enis: input.enis.filter((_, i) => i !== at) };
  },
  "IPs are assigned to an ENI": (input, _, random) => {
    const at = cniEni(input, random);
    if (at < 0) return input;
    const eni = input.enis[at]!;
    return replaceEni(input, at, { secondaryIps: [...eni.secondaryIps, freshIp(), freshIp()] });
  },
  "an IP is released": (input, _, random) => {
    const at = cniEni(input, random);
    if (at < 0) return input;
    return replaceEni(input, at, { secondaryIps: input.enis[at]!.secondaryIps.slice(1) });
  },
  "a prefix is assigned": (input, _, random) => {
    const at = cniEni(input, random);
    if (at < 0) return input;
    return replaceEni(input, at, { prefixes: [...input.enis[at]!.prefixes, freshPrefix()] });
  },
  "an instance is read again (state changed)": (input, _, random) => {
    const at = Math.floor(random() * input.instances.length);
    const instances = [...input.instances];
    instances[at] = { ...instances[at]!, state: random() < 0.5 ? "running" : "stopping" };
    return { ...input, instances };
  },
  "a subnet's free addresses change": (input, _, random) => ({
    ...input,
    subnets: input.subnets.map((s, i) =>
      i === 0 ? { ...s, availableIps: s.availableIps - 1 - Math.floor(random() * 20) } : s,
    ),
  }),
};
const nodeNames = Object.keys(nodeSteps);

describe("buildReport making only the changed nodes again", () => {
  for (const seed of [11, 12]) {
    test(`seed ${seed}: 50 steps of mixed pod, node and EC2 churn, each equal to a build from scratch`, () => {
      const random = seeded(seed * 104_729);
      gone.length = 0;
      let input = cleanCluster(seed);
      let report = buildReport(input);
      let nodeIncremental = 0;
      for (let step = 0; step < 50; step++) {
        const tangled = buildMemoOf(report)?.podsIndependent === false;
        const roll = random();
        const kind = tangled ? "clear" : roll < 0.5 ? "node" : roll < 0.9 ? "pod" : "other";
        const name =
          kind === "clear"
            ? CLEAR
            : pick(kind === "node" ? nodeNames : kind === "pod" ? podNames : otherNames, random)!;
        const steps = kind === "node" ? nodeSteps : kind === "pod" ? podSteps : otherSteps;
        const next = steps[name]!(input, report, random);
        const { placed, rebuilt, stayedIndependent } = checkedStep(next, report, `step ${step}: ${name}`);
        if (kind === "node" && stayedIndependent) {
          assert.notEqual(placed, null, `step ${step}: ${name} was placed from scratch`);
          if (next !== input) nodeIncremental++;
        }
        input = next;
        report = rebuilt;
      }
      assert.ok(nodeIncremental >= 12, `only ${nodeIncremental} steps of node and EC2 churn`);
    });
  }
});

describe("diffPods", () => {
  const pods = cleanCluster(6).pods;
  test("finds a pod added, one removed and one replaced, by position", () => {
    const after = [...pods];
    const added = { ...pods[3]!, name: "added" };
    after.splice(10, 1);
    after[20] = { ...after[20]! };
    after.splice(5, 0, added);
    assert.deepEqual(diffPods(pods, after, 100), { removed: [10, 21], added: [5, 21] });
  });
  test("gives up past its limit", () => {
    assert.equal(diffPods(pods, pods.slice(10), 5), null);
  });
});
