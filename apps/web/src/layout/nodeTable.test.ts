import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type NodeReport, overviewOf } from "@eni-view/model";
import { syntheticTopology } from "../dev/synthetic.ts";
import { tableRows, tableSorts, tableWindow } from "./nodeTable.ts";
import { indexProblems, problemKinds } from "./problems.ts";
import { eni, slots, t3medium } from "./testNodes.ts";

// t3.medium: 3 ENIs of 5 pod IPs, max pods 17.
const roomy = t3medium("a-roomy", [eni("eni-a", 0, slots(20, 5, 2))]);
const full = t3medium("b-full", [
  eni("eni-b0", 0, slots(20, 5, 5)),
  eni("eni-b1", 1, slots(30, 5, 5)),
  eni("eni-b2", 2, slots(40, 5, 5)),
]);
const waitingOne = t3medium("c-waiting", [eni("eni-c", 0, slots(20, 5, 5))], { podsWaitingForIp: 1 });
const waitingThree = t3medium("d-waiting", [eni("eni-d", 0, slots(20, 5, 5))], { podsWaitingForIp: 3 });
const notReady = t3medium("e-down", [eni("eni-e", 0, slots(20, 5, 1))], { ready: false });
const nodes = [roomy, full, waitingOne, waitingThree, notReady];
const index = indexProblems(nodes, []);
const names = (sort: Parameters<typeof tableRows>[2]) =>
  tableRows(nodes, index, sort).map((r) => r.node.name);

describe("tableRows", () => {
  it("orders by the problems list: NotReady, then waiting for an IP (most waiting first), then full, then the rest", () => {
    assert.deepEqual(names("problems"), ["e-down", "d-waiting", "c-waiting", "b-full", "a-roomy"]);
  });

  it("carries each node's problems, none for a node without", () => {
    const rows = tableRows(nodes, index, "problems");
    assert.deepEqual(rows.find((r) => r.node.name === "b-full")?.problems, ["full", "eni-limit"]);
    assert.deepEqual(rows.find((r) => r.node.name === "a-roomy")?.problems, []);
  });

  it("sorts by name, by pods / max pods and by pods waiting for an IP", () => {
    assert.deepEqual(names("name"), ["a-roomy", "b-full", "c-waiting", "d-waiting", "e-down"]);
    assert.equal(names("utilisation")[0], "b-full");
    assert.deepEqual(names("pending").slice(0, 2), ["d-waiting", "c-waiting"]);
  });
});

describe("tableRows against a plain sort", () => {
  it("orders as comparing each pair would: by the sort's keys, ties by name in natural order", () => {
    const topo = syntheticTopology({ nodes: 400, podsPerNode: 7, seed: 11, overcommitEvery: 5 });
    const index = indexProblems(topo.nodes, topo.subnets);
    const collator = new Intl.Collator("en", { numeric: true });
    const use = (n: NodeReport) => (n.maxPods ? n.pods / n.maxPods : -1);
    const weight = new Map<string, number>();
    for (const list of index.byKind.values())
      for (const e of list) if (!weight.has(e.node)) weight.set(e.node, e.weight);
    const firstKind = (n: NodeReport) => {
      const kinds = index.byNode.get(n.name) ?? [];
      return kinds.length > 0 ? problemKinds.indexOf(kinds[0]!) : problemKinds.length;
    };
    const keys: Record<(typeof tableSorts)[number], (n: NodeReport) => number[]> = {
      name: () => [],
      utilisation: (n) => [-use(n)],
      pending: (n) => [-n.podsWaitingForIp, -use(n)],
      problems: (n) => [firstKind(n), -(weight.get(n.name) ?? 0)],
    };
    for (const sort of tableSorts) {
      const plain = [...topo.nodes].sort((a, b) => {
        const ka = keys[sort](a);
        const kb = keys[sort](b);
        for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!;
        return collator.compare(a.name, b.name);
      });
      assert.deepEqual(
        tableRows(topo.nodes, index, sort).map((r) => r.node.name),
        plain.map((n) => n.name),
        sort,
      );
    }
  });
});

describe("the table on the overview", () => {
  it("lists thin nodes in the order their whole selves would take, each sort", () => {
    const whole = syntheticTopology({ nodes: 60, podsPerNode: 9, seed: 3, overcommitEvery: 7 });
    const thin = overviewOf(whole);
    for (const sort of tableSorts) {
      const order = (t: typeof whole) =>
        tableRows(t.nodes, indexProblems(t.nodes, t.subnets), sort).map((r) => r.node.name);
      assert.deepEqual(order(thin), order(whole), sort);
    }
    // Each row says where its node sits in the list, so the table shows the node whole once its detail is in.
    for (const r of tableRows(thin.nodes, indexProblems(thin.nodes, thin.subnets), "problems"))
      assert.equal(whole.nodes[r.at]!.name, r.node.name);
  });
});

describe("tableWindow", () => {
  const heights = Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? 64 : 44));
  const sum = (from: number, to: number) => heights.slice(from, to).reduce((a, b) => a + b, 0);

  it("puts every row in the page when the table is not virtual", () => {
    assert.deepEqual(tableWindow(heights, 5000, 600, false), { first: 0, last: 1000, before: 0, after: 0 });
  });

  it("keeps the rows on screen and a screen either side, the rest as space of their exact height", () => {
    const w = tableWindow(heights, 20_000, 600, true);
    assert.ok(sum(0, w.first) <= 20_000 - 600 && sum(0, w.first + 1) > 20_000 - 600, "a screen above");
    assert.ok(sum(0, w.last) >= 20_000 + 1200, "a screen below");
    assert.equal(w.before, sum(0, w.first));
    assert.equal(
      w.before + sum(w.first, w.last) + w.after,
      sum(0, 1000),
      "the scroll bar is the whole table's",
    );
  });

  it("starts at the first row at the top, and ends at the last row at the bottom", () => {
    assert.equal(tableWindow(heights, 0, 600, true).first, 0);
    const end = tableWindow(heights, sum(0, 1000) - 600, 600, true);
    assert.equal(end.last, 1000);
    assert.equal(end.after, 0);
  });
});
