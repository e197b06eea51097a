// buildReport against a straightforward placement, and rebuilds with a previous report against fresh
// builds: the same report, byte for byte, with every unchanged node, ENI, slot list, pod and pending pod
// kept as the previous object.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { diagnosePending } from "./diagnosis.ts";
import { parseIpv4 } from "./ipv4.ts";
import { buildReport } from "./report.ts";
import { randomCluster, seeded, shuffle } from "./testing/randomCluster.ts";
import type { ClusterInput, EniReport, PendingPodReport, PodInput, PodReport, Report } from "./types.ts";

/**
 * Places the pods one by one the plain way (a map from IP to the first slot holding it, pods in input
 * order) and checks every placement figure of `report` against it.
 */
function checkPlacement(input: ClusterInput, report: Report): void {
  const slotByIp = new Map<number, [number, number, number]>();
  report.nodes.forEach((node, n) => {
    node.enis.forEach((eni, e) => {
      eni.slots.forEach((slot, s) => {
        const address = parseIpv4(slot.ip);
        if (address !== null && !slotByIp.has(address)) slotByIp.set(address, [n, e, s]);
      });
    });
  });
  const nodeByName = new Map(report.nodes.map((node, n) => [node.name, n]));
  const claimed = report.nodes.map((node) =>
    node.enis.map((eni) => eni.slots.map((): string | null => null)),
  );
  const counts = report.nodes.map(() => ({ pods: 0, running: 0, waiting: 0, host: [] as string[] }));
  const pods: PodReport[] = [];
  const pending: PendingPodReport[] = [];
  for (const pod of input.pods) {
    if (pod.phase === "Succeeded" || pod.phase === "Failed") continue;
    const key = `${pod.namespace}/${pod.name}`;
    const n = pod.nodeName === null ? undefined : nodeByName.get(pod.nodeName);
    if (n !== undefined) {
      counts[n]!.pods++;
      if (pod.phase === "Running") counts[n]!.running++;
      if (pod.hostNetwork) counts[n]!.host.push(key);
      else if (pod.podIp === null && pod.phase === "Pending") counts[n]!.waiting++;
    }
    if (!pod.hostNetwork && pod.podIp !== null) {
      const address = parseIpv4(pod.podIp);
      const at = address === null ? undefined : slotByIp.get(address);
      let eni: string | null = null;
      if (at !== undefined && claimed[at[0]]![at[1]]![at[2]] === null) {
        claimed[at[0]]![at[1]]![at[2]] = key;
        eni = report.nodes[at[0]]!.enis[at[1]]!.id;
      }
      pods.push({
        namespace: pod.namespace,
        name: pod.name,
        node: pod.nodeName ?? "",
        ip: pod.podIp,
        eni,
        phase: pod.phase,
        status: pod.status,
        owner: pod.owner,
        labels: pod.labels,
      });
    }
    if (pod.phase === "Pending") {
      const events = input.events.filter(
        (e) => e.kind === "Pod" && e.namespace === pod.namespace && e.name === pod.name,
      );
      const diagnosis = diagnosePending(pod, events.length > 0 ? events : undefined);
      pending.push({
        namespace: pod.namespace,
        name: pod.name,
        node: pod.nodeName,
        reason: diagnosis.reason,
        message: diagnosis.message,
        status: pod.status,
        owner: pod.owner,
        since: pod.createdAt,
        labels: pod.labels,
      });
    }
  }
  report.nodes.forEach((node, n) => {
    assert.deepEqual(
      node.enis.map((eni) => eni.slots.map((slot) => slot.pod)),
      claimed[n],
      `slots of ${node.name}`,
    );
    const used = node.enis.map((eni) => eni.slots.filter((slot) => slot.pod !== null).length);
    assert.deepEqual(
      node.enis.map((eni) => [eni.ipsUsed, eni.ipsWarm]),
      node.enis.map((eni, e) => [used[e], eni.podCapacity ? eni.slots.length - used[e]! : 0]),
    );
    const capacity = node.enis.filter((eni) => eni.podCapacity);
    assert.deepEqual(
      [
        node.pods,
        node.podsRunning,
        node.podsWaitingForIp,
        node.hostNetworkPods.map((p) => `${p.namespace}/${p.name}`),
      ],
      [counts[n]!.pods, counts[n]!.running, counts[n]!.waiting, counts[n]!.host],
      `counts of ${node.name}`,
    );
    assert.deepEqual(
      [node.ipsAssigned, node.ipsUsed],
      [
        capacity.reduce((sum, eni) => sum + eni.slots.length, 0),
        capacity.reduce((sum, eni) => sum + eni.ipsUsed, 0),
      ],
    );
  });
  assert.deepEqual(report.pods, pods);
  assert.deepEqual(report.pending, pending);
}

const json = (value: unknown) => JSON.stringify(value);
const podKey = (p: { namespace: string; name: string }) => `${p.namespace}/${p.name}`;

/** Every node, ENI, slot list, pod and pending pod of `next` that prints as in `prev` is `prev`'s object. */
function checkSharing(prev: Report, next: Report): void {
  const prevNodes = new Map(prev.nodes.map((n) => [n.name, n]));
  for (const node of next.nodes) {
    const old = prevNodes.get(node.name);
    if (old === undefined) continue;
    if (json(old) === json(node)) assert.equal(node, old, `node ${node.name} kept`);
    for (const eni of node.enis) {
      const oldEni: EniReport | undefined = old.enis.find((e) => e.id === eni.id);
      if (oldEni === undefined) continue;
      if (json(oldEni) === json(eni)) assert.equal(eni, oldEni, `ENI ${eni.id} kept`);
      if (json(oldEni.slots) === json(eni.slots))
        assert.equal(eni.slots, oldEni.slots, `slots of ${eni.id} kept`);
    }
  }
  for (const [list, prevList] of [
    [next.pods, prev.pods],
    [next.pending, prev.pending],
  ] as const) {
    const before = new Map<string, PodReport | PendingPodReport>(prevList.map((p) => [podKey(p), p]));
    for (const item of list) {
      const old = before.get(podKey(item));
      if (old !== undefined && json(old) === json(item)) assert.equal(item, old, `${podKey(item)} kept`);
    }
  }
}

/** A rebuild with `prev` must print exactly as a fresh build, and share what did not change. */
function rebuild(input: ClusterInput, prev: Report): Report {
  const next = buildReport(input, prev);
  assert.equal(json(next), json(buildReport(input)));
  checkSharing(prev, next);
  return next;
}

describe("buildReport against a straightforward placement", () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    test(`random cluster ${seed}, pods in random order${seed % 2 === 0 ? ", prefix delegation" : ""}`, () => {
      const input = randomCluster(seed, { prefixDelegation: seed % 2 === 0 });
      const report = buildReport(input);
      assert.ok(report.pods.some((p) => p.eni !== null));
      assert.ok(report.warnings.some((w) => /claimed by more than one/.test(w)));
      checkPlacement(input, report);
    });
  }

  test("200 nodes", () => {
    const input = randomCluster(77, { nodes: 200 });
    checkPlacement(input, buildReport(input));
  });
});

describe("buildReport with the previous report", () => {
  test("nothing changed: every node, ENI, pod and pending pod is the previous object", () => {
    const input = randomCluster(11, { prefixDelegation: true });
    const first = buildReport(input);
    const again = buildReport(input, first);
    assert.equal(again.nodes, first.nodes);
    assert.equal(again.pods, first.pods);
    assert.equal(again.pending, first.pending);
    assert.deepEqual(again, buildReport(input));
  });

  test("one pod gone: only its node and the pod list change", () => {
    const input = randomCluster(12);
    const first = buildReport(input);
    const gone = first.pods.find(
      (p) => p.eni !== null && input.pods.filter((q) => q.podIp === p.ip).length === 1,
    )!;
    const changed = { ...input, pods: input.pods.filter((p) => p.name !== gone.name) };
    const next = rebuild(changed, first);
    first.nodes.forEach((node, n) => {
      if (node.name === gone.node) {
        assert.notEqual(next.nodes[n], node);
        for (const [e, eni] of node.enis.entries()) {
          if (eni.id === gone.eni) assert.notEqual(next.nodes[n]!.enis[e], eni);
          else assert.equal(next.nodes[n]!.enis[e], eni);
        }
      } else {
        assert.equal(next.nodes[n], node);
      }
    });
    assert.deepEqual(
      next.pods,
      first.pods.filter((p) => p !== gone),
    );
    next.pods.forEach((pod) => {
      assert.ok(first.pods.includes(pod));
    });
  });

  test("the previous report as it came over the wire (no shared inputs) is reused by content", () => {
    const input = randomCluster(13);
    const wire = JSON.parse(json(buildReport(input))) as Report;
    const again = buildReport(JSON.parse(json(input)) as ClusterInput, wire);
    assert.equal(again.nodes, wire.nodes);
    assert.equal(again.pods, wire.pods);
    assert.equal(again.pending, wire.pending);
  });

  const mutations: Record<
    string,
    (input: ClusterInput, report: Report, random: () => number) => ClusterInput
  > = {
    "a pod deleted": (input, _, random) => {
      const gone = Math.floor(random() * input.pods.length);
      return { ...input, pods: input.pods.filter((_, i) => i !== gone) };
    },
    "a pod takes a warm IP": (input, report, random) => {
      const warm = report.nodes.flatMap((n) =>
        n.enis.flatMap((e) => e.slots.filter((s) => s.pod === null).map((s) => [n.name, s.ip] as const)),
      );
      if (warm.length === 0) return input;
      const [node, ip] = warm[Math.floor(random() * warm.length)]!;
      const pod: PodInput = { ...input.pods.find((p) => !p.hostNetwork && p.podIp !== null)! };
      Object.assign(pod, {
        name: `new-${Math.floor(random() * 1e9)}`,
        nodeName: node,
        podIp: ip,
        phase: "Running",
      });
      const pods = [...input.pods];
      pods.splice(Math.floor(random() * pods.length), 0, pod);
      return { ...input, pods };
    },
    "a pod's status changes": (input, _, random) => {
      const at = Math.floor(random() * input.pods.length);
      const pods = [...input.pods];
      pods[at] = { ...pods[at]!, status: pods[at]!.status === "Running" ? "CrashLoopBackOff" : "Running" };
      return { ...input, pods };
    },
    "a pod's labels change": (input, _, random) => {
      const at = Math.floor(random() * input.pods.length);
      const pods = [...input.pods];
      pods[at] = { ...pods[at]!, labels: { ...pods[at]!.labels, changed: String(random()) } };
      return { ...input, pods };
    },
    "a pod is scheduled and waits for an IP": (input, _, random) => {
      const node = input.nodes[Math.floor(random() * input.nodes.length)];
      if (node === undefined) return input;
      const pod: PodInput = { ...input.pods.find((p) => p.phase === "Pending")! };
      Object.assign(pod, { name: `waiting-${Math.floor(random() * 1e9)}`, nodeName: node.name, podIp: null });
      return { ...input, pods: [pod, ...input.pods] };
    },
    "a waiting pod gets its IP": (input, report) => {
      const at = input.pods.findIndex((p) => p.phase === "Pending" && p.nodeName !== null);
      const node = report.nodes.find((n) => n.name === input.pods[at]?.nodeName);
      const warm = node?.enis.flatMap((e) => e.slots).find((s) => s.pod === null);
      if (warm === undefined) return input;
      const pods = [...input.pods];
      pods[at] = { ...pods[at]!, phase: "Running", status: "Running", podIp: warm.ip };
      return { ...input, pods };
    },
    "a waiting pod shows an IP on no ENI, still Pending": (input) => {
      const at = input.pods.findIndex(
        (p) => p.phase === "Pending" && p.nodeName !== null && p.podIp === null,
      );
      if (at < 0) return input;
      const pods = [...input.pods];
      pods[at] = { ...pods[at]!, podIp: `10.99.1.${at % 250}` };
      return { ...input, pods };
    },
    "a node is cordoned": (input, _, random) => {
      const at = Math.floor(random() * input.nodes.length);
      const nodes = [...input.nodes];
      nodes[at] = { ...nodes[at]!, cordoned: !nodes[at]!.cordoned };
      return { ...input, nodes };
    },
    "a node goes away": (input, _, random) => {
      const at = Math.floor(random() * input.nodes.length);
      return { ...input, nodes: input.nodes.filter((_, i) => i !== at) };
    },
    "an ENI gets another IP": (input, _, random) => {
      const enis = [...input.enis];
      const at = enis.findIndex(
        (e, i) => i >= Math.floor(random() * enis.length) && e.interfaceType === "interface",
      );
      if (at < 0) return input;
      enis[at] = {
        ...enis[at]!,
        secondaryIps: [...enis[at]!.secondaryIps, `10.20.200.${Math.floor(random() * 250)}`],
      };
      return { ...input, enis };
    },
    "an ENI is attached again": (input, _, random) => {
      const enis = [...input.enis];
      const at = Math.floor(random() * enis.length);
      enis[at] = {
        ...enis[at]!,
        attachTime: `2026-11-23T13:${String(Math.floor(random() * 60)).padStart(2, "0")}:00Z`,
      };
      return { ...input, enis };
    },
    "EC2 refreshed: every ENI a new object": (input) => ({ ...input, enis: structuredClone(input.enis) }),
    "pods listed in another order": (input, _, random) => ({
      ...input,
      pods: shuffle([...input.pods], random),
    }),
    "everything read again from JSON": (input) => JSON.parse(json(input)) as ClusterInput,
    "an event explains a pending pod": (input, report) => {
      const waiting = report.pending.find((p) => p.node !== null);
      if (waiting === undefined) return input;
      const event = {
        ...input.events.find((e) => e.kind === "Pod")!,
        name: waiting.name,
        namespace: waiting.namespace,
      };
      return {
        ...input,
        events: [...input.events, { ...event, message: "Back-off pulling image", lastSeen: null }],
      };
    },
  };

  for (const seed of [21, 22, 23, 24]) {
    test(`random mutations (seed ${seed}) rebuild to what a fresh build gives, sharing the rest`, () => {
      const random = seeded(seed);
      let input = randomCluster(seed, { prefixDelegation: seed % 2 === 1, nodes: 30 });
      let report = buildReport(input);
      const names = Object.keys(mutations);
      for (let step = 0; step < 40; step++) {
        const name = names[Math.floor(random() * names.length)]!;
        input = mutations[name]!(input, report, random);
        report = rebuild(input, report);
        checkPlacement(input, report);
      }
    });
  }
});
