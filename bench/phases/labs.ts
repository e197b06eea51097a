// The labs at scale: (a) `kubectl apply` of a 100-replica Deployment on the simulator's `large` scenario,
// timed in simulated seconds until every pod runs (the simulator in this process on a manual clock, the real
// kubectl); (b) the server's pod change -> SSE delta latency while aws-node rolls over every node (`kubectl
// set env ds/aws-node`, sent to the simulator child), measured as the server phase measures it.
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startSim } from "@eni-view/sim";
import type { Child } from "../lib/child.ts";
import { type BenchRecord, makeRecord } from "../lib/records.ts";
import { SseReader } from "../lib/sse.ts";
import { summarise } from "../lib/stats.ts";

const run = promisify(execFile);

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: bench-apply
spec:
  replicas: REPLICAS
  selector:
    matchLabels:
      app: bench-apply
  template:
    metadata:
      labels:
        app: bench-apply
    spec:
      containers:
      - name: nginx
        image: nginx:alpine
        ports:
        - containerPort: 80
`;

/** (a): simulated seconds from `kubectl apply` to every replica Running, and the wall time it took. */
export async function applyPhase(o: {
  size: number;
  podsPerNode: number;
  /** 100 in a full run; a smoke run's 20-node cluster has room for 10. */
  replicas: number;
  log: (l: string) => void;
}): Promise<BenchRecord[]> {
  const dir = mkdtempSync(join(os.tmpdir(), "eni-view-bench-labs-"));
  const sim = await startSim({
    scenario: "large",
    nodes: o.size,
    podsPerNode: o.podsPerNode,
    clock: "manual",
    stateDir: dir,
  });
  try {
    const file = join(dir, "deployment.yaml");
    writeFileSync(file, deployment.replace("REPLICAS", String(o.replicas)));
    const wall0 = performance.now();
    const sim0 = sim.clock.now();
    await run("kubectl", ["--kubeconfig", sim.kubeconfigPath, "apply", "-f", file]);
    let running = 0;
    for (let s = 0; s < 600 && running < o.replicas; s++) {
      sim.clock.advance(1_000);
      await new Promise((resolve) => setImmediate(resolve));
      running = 0;
      for (const p of sim.store.all("pods")) {
        if (p.metadata.labels?.app === "bench-apply" && p.status?.phase === "Running") running++;
      }
    }
    if (running < o.replicas) {
      throw new Error(`only ${running} of ${o.replicas} pods Running after 600 simulated seconds`);
    }
    const simulatedS = (sim.clock.now() - sim0) / 1000;
    const wallMs = performance.now() - wall0;
    o.log(
      `  kubectl apply of ${o.replicas} replicas: all Running after ${simulatedS} simulated s (${wallMs.toFixed(0)} ms wall)`,
    );
    const one = (v: number) => ({ value: v, min: v, max: v, runs: 1 });
    return [
      makeRecord(
        `labs: kubectl apply ${o.replicas} replicas -> all Running, simulated`,
        o.size,
        "s",
        one(simulatedS),
        "large scenario, manual clock stepped 1 s at a time",
      ),
      makeRecord(
        `labs: kubectl apply ${o.replicas} replicas -> all Running, wall`,
        o.size,
        "ms",
        one(wallMs),
      ),
    ];
  } finally {
    await sim.stop();
  }
}

/** (b): pod change -> delta latency at the server while the simulator child rolls aws-node. */
export async function rolloutPhase(o: {
  size: number;
  url: string;
  sim: Child<unknown>;
  changes: number;
  log: (l: string) => void;
}): Promise<BenchRecord[]> {
  const reader = new SseReader();
  await reader.connect(`${o.url}/api/stream`);
  await reader.waitFor((e) => e.event === "snapshot", 120_000, "snapshot");
  reader.forget();
  await o.sim.ask("rollAwsNode", {});
  const latency: number[] = [];
  for (let i = 0; i < o.changes; i++) {
    const change = await o.sim.ask<{ key: string; at: number }>("deletePod", { index: 1000 + i });
    const ev = await reader.waitFor(
      (e) =>
        e.event === "delta" &&
        (JSON.parse(e.data) as { pods?: { remove?: string[] } }).pods?.remove?.includes(change.key) === true,
      60_000,
      `delta removing ${change.key}`,
    );
    latency.push(ev.at - change.at);
    reader.forget();
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const status = await o.sim.ask<{ updated: number; desired: number }>("awsNodeStatus", {});
  o.log(
    `  delta latency during the aws-node rollout: ${latency.map((l) => l.toFixed(0)).join(", ")} ms; ${status.updated}/${status.desired} aws-node pods updated by then`,
  );
  return [
    makeRecord(
      "server: pod change -> SSE delta p95, while aws-node rolls",
      o.size,
      "ms",
      summarise(latency, 95),
      `kubectl set env ds/aws-node on every node; ${status.updated}/${status.desired} aws-node pods updated when measured`,
    ),
  ];
}
