import assert from "node:assert/strict";
import { test } from "node:test";
import { createClock } from "../clock.ts";
import { ObjectStore } from "../kube/store.ts";
import { createRandom } from "../random.ts";
import { EventRecorder } from "./events.ts";

function setup() {
  const clock = createClock({ mode: "manual", startAt: Date.parse("2026-01-01T00:00:00Z") });
  const store = new ObjectStore({ clock, random: createRandom(1) });
  const pod = store.create("pods", {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "web-1", namespace: "default" },
    spec: {},
    status: {},
  });
  return { clock, store, pod, events: new EventRecorder(store) };
}

test("an exact repeat raises the count and lastTimestamp of one event", () => {
  const { clock, store, pod, events } = setup();
  const source = { component: "default-scheduler" };
  events.record(pod, "Warning", "FailedScheduling", "0/3 nodes are available: 3 Too many pods.", source);
  clock.advance(30_000);
  events.record(pod, "Warning", "FailedScheduling", "0/3 nodes are available: 3 Too many pods.", source);
  const all = [...store.all("events")];
  assert.equal(all.length, 1);
  assert.equal(all[0]?.count, 2);
  assert.equal(all[0]?.firstTimestamp, "2026-01-01T00:00:00Z");
  assert.equal(all[0]?.lastTimestamp, "2026-01-01T00:00:30Z");
  assert.deepEqual(
    [all[0]?.involvedObject.kind, all[0]?.involvedObject.name, all[0]?.involvedObject.uid],
    ["Pod", "web-1", pod.metadata.uid],
  );
});

test("different messages are separate events; past 10 similar ones they are combined", () => {
  const { store, pod, events } = setup();
  const source = { component: "kubelet", host: "ip-192-168-1-10" };
  for (let i = 0; i < 14; i++)
    events.record(pod, "Warning", "FailedCreatePodSandBox", `sandbox ${i} failed`, source);
  const all = [...store.all("events")].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  assert.equal(all.length, 11);
  const combined = all.find((e) => String(e.message).startsWith("(combined from similar events): "));
  assert.equal(combined?.message, "(combined from similar events): sandbox 13 failed");
  assert.equal(combined?.count, 4);
});

test("Normal events with different messages about the same object stay apart", () => {
  const { store, pod, events } = setup();
  const source = { component: "deployment-controller" };
  events.record(pod, "Normal", "ScalingReplicaSet", "Scaled up replica set web-5d from 0 to 2", source);
  events.record(pod, "Normal", "ScalingReplicaSet", "Scaled up replica set web-5d from 2 to 3", source);
  assert.equal(store.count("events"), 2);
});
