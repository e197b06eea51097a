// What a step lights is what the cluster holds: the panel counts it ("Lit on the map: …"), so a pod the
// step asks for before it exists, or an ENI gone with its node, lights and counts nothing.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import type { Report } from "@eni-view/model";
import { highlightResult } from "./labHighlight.ts";
import { lit } from "./labTypes.ts";

const topo = JSON.parse(readFileSync(new URL("./fixtures/scale-30.json", import.meta.url), "utf8")) as Report;

test("a pod or ENI the cluster does not hold is neither lit nor counted", () => {
  const third = topo.nodes.map((n) => n.enis.find((e) => e.deviceIndex === 2)!.id);
  const r = highlightResult(
    lit({ enis: [...third, "eni-gone"], pods: ["default/tmp"], pending: ["default/tmp"] }),
    topo,
  );
  assert.deepEqual([...r.enis].sort(), [...third].sort());
  assert.equal(r.pods.size, 0);
  assert.equal(r.pending.size, 0);
  // Each t3.medium ENI: its primary address and 5 secondary ones.
  assert.equal(r.ips.size, 3 * 6);
  assert.equal(r.touched.size, 3);
});

test("a pod the cluster holds is lit on its node, and a host-network pod as well", () => {
  const pod = topo.pods[0]!;
  const host = topo.nodes[0]!.hostNetworkPods[0]!;
  const keys = [`${pod.namespace}/${pod.name}`, `${host.namespace}/${host.name}`];
  const r = highlightResult(lit({ pods: keys }), topo);
  assert.deepEqual([...r.pods].sort(), [...keys].sort());
  assert.deepEqual([...r.hostPods], [keys[1]]);
  assert.ok(r.touched.has(pod.node) && r.touched.has(topo.nodes[0]!.name));
});
