import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NodeReport } from "@eni-view/model";
import { syntheticTopology } from "../dev/synthetic.ts";
import { nextSyntheticTopology } from "../dev/syntheticChanges.ts";
import { type ClusterLayout, layoutCluster, type NodeSort } from "./clusterLayout.ts";
import { hitTest } from "./hitTest.ts";
import { eni, slots, t3medium } from "./testNodes.ts";

function overlaps(a: { x: number; y: number; width: number; height: number }, b: typeof a): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

describe("layoutCluster", () => {
  const nodes = [
    t3medium("ip-192-168-3-10", [eni("eni-3", 0, slots(11, 5, 0))], { zone: "ap-northeast-2c" }),
    t3medium("ip-192-168-1-10", [eni("eni-1", 0, slots(11, 5, 0))], { zone: "ap-northeast-2a" }),
    t3medium("ip-192-168-2-10", [eni("eni-2", 0, slots(11, 5, 0))], { zone: "ap-northeast-2b" }),
    t3medium("ip-10-9-9-9", [eni("eni-4", 0, slots(11, 5, 0))], { zone: null, nodeGroup: null }),
  ];

  it("groups by AZ in order, with nodes of no zone last", () => {
    const l = layoutCluster(nodes, { grouping: "zone" });
    assert.deepEqual(
      l.groups.map((g) => [g.label, g.nodes]),
      [
        ["ap-northeast-2a", 1],
        ["ap-northeast-2b", 1],
        ["ap-northeast-2c", 1],
        ["no zone", 1],
      ],
    );
    assert.equal(l.groups[l.byName.get("ip-192-168-2-10")!.group]!.label, "ap-northeast-2b");
  });

  it("puts every node in one group when grouping is none, and by node group on request", () => {
    assert.equal(layoutCluster(nodes, { grouping: "none" }).groups.length, 1);
    assert.deepEqual(
      layoutCluster(nodes, { grouping: "nodeGroup" }).groups.map((g) => [g.label, g.nodes]),
      [
        ["ng-1", 3],
        ["no node group", 1],
      ],
    );
  });

  it("places 1,000 nodes once each, without overlaps, inside the picture and its group", () => {
    const topo = syntheticTopology({ nodes: 1000, podsPerNode: 30, seed: 7 });
    const l = layoutCluster(topo.nodes, { grouping: "zone" });
    assert.equal(l.nodes.length, 1000);
    assert.equal(l.byName.size, 1000);
    for (const p of l.nodes) {
      const g = l.groups[p.group]!;
      assert.ok(p.x >= g.x && p.x + p.width <= g.x + g.width + 0.001, `${p.name} inside its group`);
      assert.ok(p.y + p.height <= l.height && p.x + p.width <= l.width);
    }
    // Neighbours in placement order are the likeliest to collide; check them and a sample of the rest.
    for (let i = 0; i < l.nodes.length; i++)
      for (let j = i + 1; j < Math.min(l.nodes.length, i + 40); j++)
        assert.ok(!overlaps(l.nodes[i]!, l.nodes[j]!), `${l.nodes[i]!.name} / ${l.nodes[j]!.name}`);
    // Roughly screen-shaped rather than one long strip.
    const ratio = l.width / l.height;
    assert.ok(ratio > 0.8 && ratio < 4, `aspect ${ratio}`);
  });

  it("finds the same boxes in a viewport as a full scan does", () => {
    const topo = syntheticTopology({ nodes: 500, podsPerNode: 20, seed: 3 });
    const l = layoutCluster(topo.nodes, { grouping: "zone" });
    const view = { x: l.width * 0.3, y: l.height * 0.2, width: l.width * 0.25, height: l.height * 0.3 };
    const brute = l.nodes.filter((n) => overlaps(n, view)).map((n) => n.name);
    const found = l.index
      .within(view.x, view.y, view.x + view.width, view.y + view.height)
      .map((n) => n.name);
    assert.deepEqual(found.sort(), brute.sort());
    assert.ok(brute.length > 0);
  });
});

describe("layoutCluster on a live update", () => {
  const a = t3medium("a", [eni("eni-1", 0, slots(11, 5, 1))]);
  const b = t3medium("b", [eni("eni-2", 0, slots(21, 5, 0))]);
  const first = layoutCluster([a, b], { grouping: "zone" });

  it("returns the same layout when no node changed", () => {
    assert.equal(layoutCluster([a, b], { grouping: "zone" }, first), first);
  });

  it("keeps every box in place when a node gains an ENI, and swaps in its new drawing", () => {
    const a2 = t3medium("a", [eni("eni-1", 0, slots(11, 5, 5)), eni("eni-3", 1, slots(31, 5, 1))]);
    const next = layoutCluster([a2, b], { grouping: "zone" }, first);
    assert.notEqual(next, first);
    assert.equal(next.byName.get("b"), first.byName.get("b"));
    const pa = next.byName.get("a")!;
    assert.equal(pa.layout.node, a2);
    assert.deepEqual([pa.x, pa.y], [first.byName.get("a")!.x, first.byName.get("a")!.y]);
    assert.equal(next.groups[0]!.pods, a2.pods + b.pods);
    assert.equal(hitTest(next, pa.x + 8, pa.y + 8)?.node.layout.node, a2);
  });

  it("lays out afresh when a node joins", () => {
    const c = t3medium("c", [eni("eni-4", 0, slots(41, 5, 0))]);
    const next = layoutCluster([a, b, c], { grouping: "zone" }, first);
    assert.equal(next.nodes.length, 3);
  });
});

describe("layoutCluster over many live updates", () => {
  /** What a user can see of a layout: every box, its place and drawing, the groups, and what each point hits. */
  function picture(l: ClusterLayout) {
    return {
      boxes: l.nodes.map((p) => [p.name, p.x, p.y, p.width, p.height, p.group, p.layout.node]),
      groups: l.groups,
      size: [l.width, l.height],
      byName: l.nodes.map((p) => l.byName.get(p.name) === p),
      hits: l.nodes.map((p) => hitTest(l, p.x + 3, p.y + 3)?.node === p),
      inView: l.index
        .within(0, 0, l.width / 3, l.height / 2)
        .map((p) => p.name)
        .sort(),
    };
  }

  it("gives after each one-pod change the picture a fresh layout of the same nodes gives", () => {
    let t = syntheticTopology({ nodes: 80, podsPerNode: 14, seed: 11 });
    let state = 3;
    const random = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
    let l = layoutCluster(t.nodes, { grouping: "zone" });
    let kept = 0;
    for (let i = 0; i < 150; i++) {
      t = nextSyntheticTopology(t, random, t.seq);
      // Every tenth update the server lists the nodes in another order: the slower path must agree too.
      const nodes = i % 10 === 9 ? [...t.nodes].reverse() : t.nodes;
      const next = layoutCluster(nodes, { grouping: "zone" }, l);
      if (next.byName.samePlaces(l.byName)) kept++;
      assert.deepEqual(picture(next), picture(layoutCluster(nodes, { grouping: "zone" })), `update ${i}`);
      l = next;
    }
    assert.ok(kept > 100, `only ${kept} updates kept the boxes in place`);
  });
});

describe("hitTest", () => {
  const node = t3medium("ip-192-168-1-10", [eni("eni-a", 0, slots(11, 5, 2))]);
  const l = layoutCluster([node], { grouping: "zone" });
  const box = l.byName.get("ip-192-168-1-10")!;

  it("names the pod and IP under the pointer", () => {
    const cell = box.layout.rows[0]!.cells[1]!;
    const hit = hitTest(l, box.x + cell.x + 4, box.y + cell.y + 4);
    assert.equal(hit?.node.name, "ip-192-168-1-10");
    assert.equal(hit?.cell?.pod, "default/nginx-0");
    assert.equal(hit?.cell?.ip, "192.168.1.11");
    assert.equal(hit?.row?.eni?.id, "eni-a");
  });

  it("finds the node but no cell in the gap between cells, and nothing outside boxes", () => {
    const cell = box.layout.rows[0]!.cells[1]!;
    const gap = hitTest(l, box.x + cell.x + 10, box.y + cell.y + 4);
    assert.equal(gap?.node.name, "ip-192-168-1-10");
    assert.equal(gap?.cell, null);
    assert.equal(hitTest(l, box.x - 3, box.y - 3), null);
    assert.equal(hitTest(l, l.width + 100, 5), null);
  });

  it("finds hostNetwork pods in their own line", () => {
    const h = box.layout.hostPods[1]!;
    assert.equal(hitTest(l, box.x + h.x + 2, box.y + h.y + 2)?.hostPod?.pod.name, "kube-proxy-fghij");
  });
});

describe("node order within a group", () => {
  const at = (name: string, pods: number, extra: Partial<NodeReport> = {}) =>
    t3medium(name, [eni(`eni-${name}`, 0, slots(20, 5, pods))], extra);
  const nodes = [
    at("ip-a", 1, { createdAt: "2026-01-03T00:00:00Z" }),
    at("ip-b", 5, { createdAt: "2026-01-01T00:00:00Z", podsWaitingForIp: 1 }),
    at("ip-c", 3, { createdAt: "2026-01-02T00:00:00Z", podsWaitingForIp: 4 }),
  ];
  const order = (sort: NodeSort) => layoutCluster(nodes, { grouping: "zone", sort }).nodes.map((p) => p.name);

  it("sorts by name, fullest first, oldest first, or most pods waiting for an IP first", () => {
    assert.deepEqual(order("name"), ["ip-a", "ip-b", "ip-c"]);
    assert.deepEqual(order("utilisation"), ["ip-b", "ip-c", "ip-a"]);
    assert.deepEqual(order("age"), ["ip-b", "ip-c", "ip-a"]);
    assert.deepEqual(order("pending"), ["ip-c", "ip-b", "ip-a"]);
  });

  it("lays out again when the order changes, and keeps boxes in place on a live update", () => {
    const byName = layoutCluster(nodes, { grouping: "zone", sort: "name" });
    const byUse = layoutCluster(nodes, { grouping: "zone", sort: "utilisation" }, byName);
    assert.notEqual(byUse.nodes[0]!.name, byName.nodes[0]!.name);
    const update = nodes.map((n) => (n.name === "ip-a" ? { ...n, podsWaitingForIp: 2 } : n));
    const kept = layoutCluster(update, { grouping: "zone", sort: "utilisation" }, byUse);
    assert.deepEqual(
      kept.nodes.map((p) => [p.name, p.x, p.y]),
      byUse.nodes.map((p) => [p.name, p.x, p.y]),
    );
  });
});
