// The simulated cluster for the benchmark, in its own process so that the server's RSS and CPU are the
// server's alone. Started by bench/run.ts with fork(): it sends {type:"ready", ...} once the simulator
// listens, then answers {type:"deletePod", id, index} by deleting one running pod at once (as
// `kubectl delete pod --grace-period=0` does) and replying with the pod and the wall time of the deletion.
import { startSim } from "@eni-view/sim";
import { wallNow } from "../lib/clock.ts";

const nodes = Number(process.argv[2]);
const podsPerNode = Number(process.argv[3] ?? 30);
if (!process.send) throw new Error("bench/procs/sim.ts runs as a child of bench/run.ts (fork with IPC)");
const send = (m: unknown) => process.send?.(m);

const started = performance.now();
// argv[4]: the simulated clock's speed (1 by default); the scale part slows the controllers' loops (IPAMD
// every 5 simulated seconds on each of 20,000 nodes) so that the simulator has time to serve the server.
const speed = process.argv[4] ? Number(process.argv[4]) : undefined;
const sim = await startSim({ scenario: "large", nodes, podsPerNode, seed: 1, ...(speed ? { speed } : {}) });
let podCount = 0;
for (const _ of sim.store.all("pods")) podCount++;
send({
  type: "ready",
  startMs: performance.now() - started,
  kubeconfigPath: sim.kubeconfigPath,
  ec2Url: sim.ec2Url,
  region: sim.region,
  stateDir: sim.stateDir,
  pods: podCount,
});

interface PodLike {
  metadata: { namespace?: string; name: string; deletionTimestamp?: string; ownerReferences?: unknown[] };
  spec?: { nodeName?: string; hostNetwork?: boolean };
  status?: { phase?: string; podIP?: string };
}

/** The index-th running pod that holds a VPC IP and belongs to a controller (it comes back, as pods do). */
function pickPod(index: number): PodLike | null {
  const candidates: PodLike[] = [];
  for (const p of sim.store.all("pods") as Iterable<PodLike>) {
    if (
      p.spec?.nodeName &&
      !p.spec.hostNetwork &&
      p.status?.phase === "Running" &&
      p.status.podIP &&
      !p.metadata.deletionTimestamp &&
      (p.metadata.ownerReferences?.length ?? 0) > 0
    )
      candidates.push(p);
  }
  if (candidates.length === 0) return null;
  // A stride that is prime to any cluster size spreads the deletions over nodes and node groups.
  return candidates[(index * 7919) % candidates.length] ?? null;
}

process.on("message", (m: { type: string; id: number; index?: number }) => {
  if (m.type === "deletePod") {
    const pod = pickPod(m.index ?? 0);
    if (!pod) {
      send({ type: "reply", id: m.id, error: "no running pod with an IP to delete" });
      return;
    }
    const namespace = pod.metadata.namespace ?? "default";
    const at = wallNow();
    sim.store.remove("pods", namespace, pod.metadata.name);
    send({ type: "reply", id: m.id, key: `${namespace}/${pod.metadata.name}`, node: pod.spec?.nodeName, at });
  } else if (m.type === "rollAwsNode") {
    // What `kubectl set env ds/aws-node -n kube-system WARM_IP_TARGET=...` stores: a new pod template.
    sim.store.update("daemonsets", "kube-system", "aws-node", (ds) => {
      const c = ds.spec.template.spec.containers.find((x: { name: string }) => x.name === "aws-node");
      c.env = [
        ...(c.env ?? []).filter((e: { name: string }) => e.name !== "WARM_ENI_TARGET"),
        { name: "WARM_ENI_TARGET", value: "2" },
      ];
      ds.metadata.generation = (ds.metadata.generation ?? 1) + 1;
    });
    send({ type: "reply", id: m.id });
  } else if (m.type === "awsNodeStatus") {
    const ds = sim.store.get("daemonsets", "kube-system", "aws-node");
    send({
      type: "reply",
      id: m.id,
      updated: ds?.status?.updatedNumberScheduled ?? 0,
      desired: ds?.status?.desiredNumberScheduled ?? 0,
    });
  } else if (m.type === "stop") {
    void sim.stop().then(() => process.exit(0));
  }
});
process.on("disconnect", () => {
  void sim.stop().then(() => process.exit(0));
});
