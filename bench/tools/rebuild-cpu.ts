// What one pod, node or EC2 change costs the model at a size the simulator cannot hold: a generated
// cluster (the eksCluster the scale benchmark's generated streams hand over, pods in namespace/name
// order), then changes one at a time, each input rebuilt with the previous report and diffed against it:
// pods removed, as a watch's DELETED would; a node cordoned; a node removed and added back; the EC2 data
// of three instances read again with two more IPs on an ENI each; an ENI attached. Prints this thread's
// CPU for each rebuild and diff (process.threadCpuUsage, so the load other work puts on the machine
// counts less than in wall time).
//   node bench/tools/rebuild-cpu.ts NODES [PODS_PER_NODE] [CHANGES]
import { buildReport, type ClusterInput, diffTopology, type Report, type Topology } from "@eni-view/model";
import { eksCluster } from "../../packages/model/src/testing/eksCluster.ts";

const [nodesArg, perNodeArg, changesArg] = process.argv.slice(2);
const nodes = Number(nodesArg);
const changes = Number(changesArg ?? 10);
if (!(nodes > 0)) throw new Error("usage: node bench/tools/rebuild-cpu.ts NODES [PODS_PER_NODE] [CHANGES]");

const cpuMs = (): number => {
  const used = process.threadCpuUsage();
  return (used.user + used.system) / 1000;
};
const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const topology = (report: Report, seq: number): Topology => ({
  ...report,
  seq,
  generatedAt: "",
  source: "generated",
  sources: {},
});

const generated = eksCluster(nodes, Number(perNodeArg ?? 30));
const key = (p: { namespace: string; name: string }) => `${p.namespace}/${p.name}`;
let input: ClusterInput = {
  ...generated,
  pods: [...generated.pods].sort((a, b) => (key(a) < key(b) ? -1 : 1)),
};
let started = cpuMs();
let report = buildReport(input);
console.log(
  `${nodes} nodes, ${input.pods.length} pods: first build ${(cpuMs() - started).toFixed(0)} ms of CPU`,
);
const list = (values: number[]) => values.map((v) => v.toFixed(1)).join(" ");

/** Rebuilds after each change `make` gives, `changes` times; prints the median CPU of rebuild and diff.
 * `says`: a name the delta must carry. */
function measure(label: string, make: (i: number) => ClusterInput, says?: (i: number) => string): void {
  const times: number[] = [];
  const diffs: number[] = [];
  for (let i = 0; i < changes; i++) {
    input = make(i);
    started = cpuMs();
    const next = buildReport(input, report);
    const built = cpuMs();
    const delta = diffTopology(topology(report, i), topology(next, i + 1));
    diffs.push(cpuMs() - built);
    times.push(built - started);
    if (delta === null || (says !== undefined && !JSON.stringify(delta).includes(says(i))))
      throw new Error(`no delta after ${label}`);
    report = next;
  }
  console.log(
    `${label}: rebuild with the previous report, ms of CPU: median ${median(times).toFixed(1)} (${list(times)}); diff median ${median(diffs).toFixed(1)} (${list(diffs)})`,
  );
}
const withIp = input.pods.filter((p) => !p.hostNetwork && p.podIp !== null);
const gone = (i: number) => withIp[(i * 7919) % withIp.length]!;
measure(
  "one pod gone",
  (i) => {
    const pods = input.pods.slice();
    pods.splice(pods.indexOf(gone(i)), 1);
    return { ...input, pods };
  },
  (i) => gone(i).name,
);
const at = (i: number) => (i * 7919) % input.nodes.length;
measure("a node cordoned or uncordoned", (i) => {
  const nodes = input.nodes.slice();
  nodes[at(i)] = { ...nodes[at(i)]!, cordoned: !nodes[at(i)]!.cordoned };
  return { ...input, nodes };
});
let away: ClusterInput["nodes"][number] | null = null;
let awayAt = 0;
measure("a node removed, then added back", (i) => {
  const nodes = input.nodes.slice();
  if (away === null) {
    awayAt = at(i);
    away = nodes.splice(awayAt, 1)[0]!;
  } else {
    nodes.splice(awayAt, 0, away);
    away = null;
  }
  return { ...input, nodes };
});
let serial = 0;
const freshIp = () => `10.49.${(serial >> 8) & 255}.${serial++ & 255}`;
measure("EC2 read again: three instances with two more IPs each", (i) => {
  const enis = input.enis.slice();
  for (let k = 0; k < 3; k++) {
    const e = (i * 3 + k) * 4 * 977 + 1;
    const eni = enis[e % enis.length]!;
    enis[e % enis.length] = { ...eni, secondaryIps: [...eni.secondaryIps, freshIp(), freshIp()] };
  }
  return { ...input, enis };
});
measure(
  "an ENI attached",
  (i) => {
    const node = report.nodes[at(i)]!;
    const first = input.enis.findIndex((e) => e.instanceId === node.instanceId);
    const enis = input.enis.slice();
    enis.splice(first + 1, 0, {
      ...input.enis[first]!,
      id: `eni-attached-${i}`,
      deviceIndex: 7,
      cniManaged: true,
      primaryIp: freshIp(),
      secondaryIps: [freshIp(), freshIp()],
    });
    return { ...input, enis };
  },
  (i) => `eni-attached-${i}`,
);
