import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Topology } from "./api.ts";
import { mutateTopology, randomTopology, seeded } from "./testing/randomTopology.ts";
import { COMPACT_FORMAT, decodeTopology, encodeTopology } from "./wire.ts";

/** What a client gets: the compact form through JSON, decoded. */
const roundTrip = (t: Topology): Topology => decodeTopology(JSON.parse(JSON.stringify(encodeTopology(t))));
/** What plain JSON gives the same client. */
const plain = (t: Topology): Topology => JSON.parse(JSON.stringify(t));

describe("compact topology", () => {
  it("decodes to what plain JSON gives, for generated topologies and their changes", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const r = seeded(seed);
      let t = randomTopology(r, { nodes: 5 + seed * 4 });
      for (let step = 0; step < 40; step++) {
        assert.deepEqual(roundTrip(t), plain(t), `seed ${seed} step ${step}`);
        t = mutateTopology(t, r);
      }
    }
  });

  it("keeps the odd cases: pods on no ENI, pods a slot of another node names, slots of unknown pods", () => {
    const t = randomTopology(seeded(9), { nodes: 6 });
    const held = t.nodes.flatMap((n) =>
      n.enis.flatMap((e) => e.slots.flatMap((s) => (s.pod ? [s.pod] : []))),
    );
    const keys = new Set(t.pods.map((p) => `${p.namespace}/${p.name}`));
    assert.ok(
      t.pods.some((p) => p.eni === null),
      "a pod whose IP is on no ENI",
    );
    assert.ok(
      held.some((k) => !keys.has(k)),
      "a slot naming a pod that is not listed",
    );
    assert.ok(
      t.nodes.some((n) => n.enis.some((e) => e.slots.some((s) => s.prefix !== undefined))),
      "prefix-delegation slots",
    );
    assert.ok(
      t.nodes.every((n) => n.hostNetworkPods.length > 0),
      "hostNetwork pods",
    );
    // A pod whose first slot is on another node than the pod says (a stale IPAM entry).
    const moved = t.pods.findIndex((p) => p.eni !== null);
    t.pods[moved] = { ...t.pods[moved]!, node: "elsewhere" };
    // A pending pod with a node and one without.
    t.pending.push(
      {
        namespace: "a",
        name: "p1",
        node: null,
        reason: "other",
        message: "m",
        status: "Pending",
        owner: null,
        since: null,
      },
      {
        namespace: "a",
        name: "p2",
        node: t.nodes[0]!.name,
        reason: "ip-exhausted",
        message: "m",
        status: "ContainerCreating",
        owner: "Job/x",
        since: "t",
      },
    );
    assert.deepEqual(roundTrip(t), plain(t));
  });

  it("keeps addresses that are not plain dotted quads and fields the model does not know", () => {
    const t = randomTopology(seeded(4), { nodes: 3 });
    const eni = t.nodes[0]!.enis[0]!;
    eni.slots = [
      { ip: "010.0.0.1", pod: null },
      { ip: "fd00::1", pod: null },
      { ip: "10.0.0.9", pod: null },
      { ip: "255.255.255.255", pod: null },
      { ip: "0.0.0.0", pod: null },
    ];
    (t.nodes[1] as unknown as Record<string, unknown>).extra = { a: [1, 2] };
    (t.pods[0] as unknown as Record<string, unknown>).extra = 1;
    delete (t.pods[1] as unknown as Record<string, unknown>).owner;
    const slot = t.nodes[1]!.enis[0]!.slots[0]!;
    delete (slot as unknown as Record<string, unknown>).pod;
    (t.nodes[1]!.enis[0]!.slots[1] as unknown as Record<string, unknown>).note = "x";
    delete (t.nodes[2] as unknown as Record<string, unknown>).cordoned;
    (t as unknown as Record<string, unknown>).future = "field";
    assert.deepEqual(roundTrip(t), plain(t));
  });

  it("round-trips an empty topology", () => {
    const t = randomTopology(seeded(1), { nodes: 0 });
    assert.deepEqual(roundTrip(t), plain(t));
  });

  it("is much smaller than plain JSON and names every pod key once", () => {
    const t = randomTopology(seeded(2), { nodes: 60 });
    const compact = JSON.stringify(encodeTopology(t));
    assert.ok(
      compact.length * 2 < JSON.stringify(t).length,
      `${compact.length} vs ${JSON.stringify(t).length}`,
    );
    const pod = t.pods.find((p) => p.eni !== null)!;
    assert.equal(compact.split(`"${pod.name}"`).length - 1, 1, "the pod's name is written once");
    assert.ok(!compact.includes(`${pod.namespace}/${pod.name}`), "its key is not repeated in its slot");
  });

  it("says what is wrong with something that is not a compact topology", () => {
    const t = randomTopology(seeded(3), { nodes: 4 });
    assert.throws(() => decodeTopology(t), /not in the eni-view\/compact-1 format/);
    const c = JSON.parse(JSON.stringify(encodeTopology(t)));
    c.slotPods.pop();
    assert.throws(() => decodeTopology(c), /slotPods does not match the slots/);
    const d = JSON.parse(JSON.stringify(encodeTopology(t)));
    d.pods = null;
    assert.throws(() => decodeTopology(d), /"pods" is not a table/);
    assert.equal(encodeTopology(t).format, COMPACT_FORMAT);
  });
});
