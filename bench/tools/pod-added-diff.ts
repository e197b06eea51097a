// What the server's stream spends on one pod added at the page benchmark's size: the feed diffs every
// published topology against the last (model delta.ts diffTopology), here on the page benchmark's
// synthetic cluster with one pod more, put where the benchmark's source puts it (after all the others)
// and where a rebuild lists it (among its node's pods), and the latter with `shared` (the next topology
// made from the last, its unchanged pods the same objects). Prints the CPU and the delta's size.
//   node --max-old-space-size=8000 bench/tools/pod-added-diff.ts [nodes] [podsPerNode]
import { diffTopology, type Topology } from "@eni-view/model";
import { syntheticTopology } from "../../apps/web/src/dev/synthetic.ts";

const [nodes = 100_000, perNode = 8] = process.argv.slice(2).map(Number);
const t = syntheticTopology({ nodes, podsPerNode: perNode });
const at = Math.floor(t.pods.length / 2);
const added = { ...t.pods[at]!, name: "live-1" };
const next = (pods: Topology["pods"]): Topology => ({ ...t, seq: t.seq + 1, pods });
const key = (p: Topology["pods"][number]) => `${p.namespace}/${p.name}`;
const inKeyOrder = [...t.pods].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
const sorted: Topology = { ...t, pods: inKeyOrder };
const place = inKeyOrder.findIndex((p) => key(p) > key(added));
const ways: [string, Topology, boolean][] = [
  ["after all the others", next([...t.pods, added]), false],
  ["among its node's pods", next([...t.pods.slice(0, at + 1), added, ...t.pods.slice(at + 1)]), false],
  ["among its node's pods, shared", next([...t.pods.slice(0, at + 1), added, ...t.pods.slice(at + 1)]), true],
];
console.log(`${nodes} nodes, ${t.pods.length} pods: one pod added`);
// The stream has diffed the list before (the first diff after start walks every key once and learns the
// list is in key order): a second pod added is what every change after the first costs.
const fromSorted = {
  ...sorted,
  seq: t.seq + 1,
  pods: [...inKeyOrder.slice(0, place), added, ...inKeyOrder.slice(place)],
};
diffTopology(sorted, fromSorted);
const second = { ...added, name: "live-2" };
const secondAt = fromSorted.pods.findIndex((p) => key(p) > key(second));
const fromSorted2 = {
  ...fromSorted,
  seq: t.seq + 2,
  pods: [...fromSorted.pods.slice(0, secondAt), second, ...fromSorted.pods.slice(secondAt)],
};
for (const [name, after, shared, before] of [
  ...ways.map(([n, a, s]) => [n, a, s, t] as const),
  [
    "in key order, as a report lists its pods (the second pod added)",
    fromSorted2,
    false,
    fromSorted,
  ] as const,
]) {
  const cpu = process.cpuUsage();
  const delta = diffTopology(before, after, shared);
  const used = process.cpuUsage(cpu);
  const bytes = JSON.stringify(delta).length;
  console.log(`  ${name}: ${((used.user + used.system) / 1000).toFixed(0)} ms of CPU, delta ${bytes} bytes`);
}
