// The scheduler on its own: a store with nodes and pods, a manual clock, no IPAMDs.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createClock } from "../clock.ts";
import { ObjectStore } from "../kube/store.ts";
import type { KubeObject } from "../kube/types.ts";
import { createRandom } from "../random.ts";
import { EventRecorder } from "./events.ts";
import { Scheduler } from "./scheduler.ts";

function node(name: string, pods: string, cpu: string, extra: Partial<KubeObject["spec"]> = {}) {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { "eks.amazonaws.com/nodegroup": name.startsWith("gpu") ? "gpu" : "general" } },
    spec: { ...extra },
    status: {
      allocatable: { pods, cpu, memory: "3388344Ki" },
      conditions: [{ type: "Ready", status: "True" }],
    },
  };
}

function pod(name: string, cpu?: string, nodeSelector?: Record<string, string>) {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: "default",
      ownerReferences: [
        { apiVersion: "apps/v1", kind: "ReplicaSet", name: "rs", uid: "rs-1", controller: true },
      ],
    },
    spec: {
      containers: [{ name: "c", image: "nginx", resources: cpu ? { requests: { cpu } } : {} }],
      ...(nodeSelector ? { nodeSelector } : {}),
    },
    status: { phase: "Pending" },
  };
}

function setup(nodes: ReturnType<typeof node>[]) {
  const clock = createClock({ mode: "manual", startAt: 0 });
  const store = new ObjectStore({ clock, random: createRandom(3) });
  for (const n of nodes) store.create("nodes", n);
  const scheduler = new Scheduler({
    store,
    clock,
    random: createRandom(3),
    events: new EventRecorder(store),
  });
  return { clock, store, scheduler };
}

const placement = (store: ObjectStore) => {
  const counts: Record<string, number> = {};
  for (const p of store.all("pods"))
    if (p.spec.nodeName) counts[p.spec.nodeName] = (counts[p.spec.nodeName] ?? 0) + 1;
  return counts;
};

test("pods of one owner spread evenly, and the ones past max pods get the scheduler's message", () => {
  const { clock, store, scheduler } = setup([node("a", "3", "2"), node("b", "3", "2"), node("c", "3", "2")]);
  for (let i = 0; i < 11; i++) store.create("pods", pod(`web-${i}`));
  clock.advance(1_000);
  assert.deepEqual(placement(store), { a: 3, b: 3, c: 3 });
  const pending = [...store.all("pods")].filter((p) => !p.spec.nodeName);
  assert.equal(pending.length, 2);
  for (const p of pending) {
    assert.equal(
      p.status.conditions[0].message,
      "0/3 nodes are available: 3 Too many pods. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
    );
  }
  const events = [...store.all("events")].filter((e) => e.reason === "FailedScheduling");
  assert.equal(events.length, 2);
  scheduler.stop();
});

test("cpu requests, cordoned nodes and node selectors each give their own reason, counted per node", () => {
  const { clock, store, scheduler } = setup([
    node("a", "17", "500m"),
    node("b", "17", "1930m", { unschedulable: true }),
    node("gpu-1", "17", "8"),
  ]);
  store.create("pods", pod("big", "1", { "eks.amazonaws.com/nodegroup": "general" }));
  clock.advance(1_000);
  const big = store.get("pods", "default", "big");
  assert.equal(big?.spec.nodeName, undefined);
  assert.equal(
    big?.status.conditions[0].message,
    "0/3 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) were unschedulable. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.",
  );
  scheduler.stop();
});

test("a pending pod is placed as soon as a pod leaves a full node", () => {
  const { clock, store, scheduler } = setup([node("a", "1", "2")]);
  store.create("pods", pod("first"));
  clock.advance(1_000);
  store.create("pods", pod("second"));
  clock.advance(1_000);
  assert.equal(store.get("pods", "default", "second")?.spec.nodeName, undefined);
  store.remove("pods", "default", "first");
  clock.advance(1_000);
  assert.equal(store.get("pods", "default", "second")?.spec.nodeName, "a");
  const scheduled = [...store.all("events")].find(
    (e) => e.reason === "Scheduled" && e.involvedObject.name === "second",
  );
  assert.equal(scheduled?.message, "Successfully assigned default/second to a");
  scheduler.stop();
});

test("required node affinity: only nodes whose labels satisfy a term, else the affinity message", () => {
  const { clock, store, scheduler } = setup([node("gpu-1", "5", "2"), node("a", "5", "2")]);
  const withAffinity = (name: string, operator: string, values: string[]) => {
    const p = pod(name) as ReturnType<typeof pod> & { spec: Record<string, unknown> };
    // Each its own owner: pods of one ReplicaSet share a template, and the scheduler their verdicts.
    p.metadata.ownerReferences = [{ ...(p.metadata.ownerReferences[0] as object), uid: name } as never];
    p.spec.affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: "eks.amazonaws.com/nodegroup", operator, values }] },
          ],
        },
      },
    };
    return p;
  };
  store.create("pods", withAffinity("on-gpu", "In", ["gpu"]));
  store.create("pods", withAffinity("off-gpu", "NotIn", ["gpu"]));
  store.create("pods", withAffinity("nowhere", "In", ["spot"]));
  clock.advance(1_000);
  const at = (name: string) => store.get("pods", "default", name)?.spec.nodeName;
  assert.equal(at("on-gpu"), "gpu-1");
  assert.equal(at("off-gpu"), "a");
  assert.equal(at("nowhere"), undefined);
  assert.match(
    store.get("pods", "default", "nowhere")?.status.conditions[0].message,
    /^0\/2 nodes are available: 2 node\(s\) didn't match Pod's node affinity\/selector\./,
  );
  scheduler.stop();
});
