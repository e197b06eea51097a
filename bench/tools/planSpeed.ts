// How long one plan takes on a big cluster: 5,000 m5.xlarge nodes with 30 pods each (150,000 pods),
// one Deployment scaled up by 1,000 pods, 5 seeds. Prints the cluster, the wall time of each run and the
// plan's headline, so `npm run bench` (and anyone) can take the figure.
//   node bench/tools/planSpeed.ts [nodes] [podsPerNode] [morePods] [runs]
import { buildReport, planCluster } from "@eni-view/model";
import { eksCluster } from "../../packages/model/src/testing/eksCluster.ts";

const [nodes = 5000, perNode = 28, more = 1000, runs = 3] = process.argv.slice(2).map(Number);
const cluster = eksCluster(nodes, perNode);
// A server plans on the topology it already built: the planned report reuses what the change leaves alone.
const previous = buildReport(cluster);
const web = cluster.pods.filter((p) => p.owner === "Deployment/web").length;
console.log(
  `${cluster.nodes.length} nodes, ${cluster.pods.length} pods; Deployment default/web ${web} -> ${web + more}, 5 seeds`,
);
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const plan = planCluster({
    cluster,
    previous,
    changes: [
      {
        kind: "scale",
        workload: { kind: "Deployment", namespace: "default", name: "web" },
        replicas: web + more,
      },
    ],
  });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  // CPU time beside wall time: on a shared machine the wall clock also counts other processes' turns.
  console.log(
    `run ${i + 1}: ${ms.toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU; ${plan.pending.length} Pending; ${plan.ec2.summary}`,
  );
}
