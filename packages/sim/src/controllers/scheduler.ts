// The default scheduler, reduced to what decides pod placement on EKS nodes: node schedulable, node
// selector, NodeResourcesFit (max pods, cpu, memory requests), then spread (fewest pods of the same owner)
// and least-allocated scoring with seeded tie-breaks. Pods that fit nowhere get the real FailedScheduling
// text and wait until the cluster changes, or the periodic retry.
import { parseCpuMilli, parseQuantity } from "@eni-view/model";
import type { SimClock, SimRandom } from "../contracts.ts";
import { kubeTime, type ObjectStore, objectKey } from "../kube/store.ts";
import type { KubeObject, StoreChange } from "../kube/types.ts";
import type { EventRecorder } from "./events.ts";
import { controllerUid } from "./podIndex.ts";
import { type Runner, runSoon } from "./runSoon.ts";

interface Requests {
  cpu: number;
  memory: number;
  /** vpc.amazonaws.com/pod-eni: branch ENIs (security groups for pods), an extended resource. */
  podEni: number;
  /** With the scheduler's non-zero defaults (100m, 200Mi) for scoring pods that request nothing. */
  cpuScore: number;
  memoryScore: number;
}

interface Usage extends Requests {
  pods: number;
  owners: Map<string, number>;
}

interface NodeFacts {
  rv: string;
  pods: number;
  cpu: number;
  memory: number;
  podEni: number;
}

const source = { component: "default-scheduler" };

function podRequests(pod: KubeObject): Requests {
  let cpu = 0;
  let memory = 0;
  let cpuScore = 0;
  let memoryScore = 0;
  let podEni = 0;
  for (const c of pod.spec?.containers ?? []) {
    const r = c.resources?.requests ?? {};
    podEni += Number(r["vpc.amazonaws.com/pod-eni"] ?? 0);
    const cCpu = r.cpu !== undefined ? (parseCpuMilli(r.cpu) ?? 0) : 0;
    const cMem = r.memory !== undefined ? (parseQuantity(r.memory) ?? 0) : 0;
    cpu += cCpu;
    memory += cMem;
    cpuScore += cCpu || 100;
    memoryScore += cMem || 200 * 1024 * 1024;
  }
  return { cpu, memory, cpuScore, memoryScore, podEni };
}

/** requiredDuringSchedulingIgnoredDuringExecution: any one term whose expressions and fields all hold. */
function requiredAffinityMatches(pod: KubeObject, node: KubeObject): boolean {
  const terms: { matchExpressions?: Requirement[]; matchFields?: Requirement[] }[] | undefined =
    pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms || terms.length === 0) return true;
  const labels: Record<string, string> = node.metadata.labels ?? {};
  const fields: Record<string, string> = { "metadata.name": node.metadata.name };
  return terms.some(
    (t) =>
      (t.matchExpressions ?? []).every((r) => requirementHolds(r, labels)) &&
      (t.matchFields ?? []).every((r) => requirementHolds(r, fields)),
  );
}

interface Requirement {
  key: string;
  operator: string;
  values?: string[];
}

function requirementHolds(r: Requirement, values: Record<string, string>): boolean {
  const has = Object.hasOwn(values, r.key);
  const v = values[r.key];
  switch (r.operator) {
    case "In":
      return has && (r.values ?? []).includes(v as string);
    case "NotIn":
      return !has || !(r.values ?? []).includes(v as string);
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
    case "Gt":
    case "Lt": {
      const n = Number(v);
      const bound = Number(r.values?.[0]);
      if (!has || !Number.isInteger(n) || !Number.isInteger(bound)) return false;
      return r.operator === "Gt" ? n > bound : n < bound;
    }
    default:
      return false;
  }
}

/** A pod that counts against its node's capacity. */
function placed(pod: KubeObject): string | null {
  const phase = pod.status?.phase;
  return pod.spec?.nodeName && phase !== "Succeeded" && phase !== "Failed" ? pod.spec.nodeName : null;
}

function waitingForScheduler(pod: KubeObject): boolean {
  return (
    !pod.spec?.nodeName &&
    !pod.metadata.deletionTimestamp &&
    (pod.spec?.schedulerName ?? "default-scheduler") === "default-scheduler"
  );
}

export interface SchedulerOptions {
  store: ObjectStore;
  clock: SimClock;
  random: SimRandom;
  events: EventRecorder;
  delayMs?: number;
  /** Simulated ms between retries of unschedulable pods when nothing in the cluster changed. */
  retryMs?: number;
}

export class Scheduler {
  private readonly o: SchedulerOptions;
  private readonly usage = new Map<string, Usage>();
  private readonly nodeFacts = new Map<string, NodeFacts>();
  private readonly queue = new Set<string>();
  private readonly unschedulable = new Set<string>();
  private clusterChanged = false;
  private readonly runner: Runner;
  private readonly stopRetry: () => void;
  private readonly unsubscribe: () => void;

  constructor(options: SchedulerOptions) {
    this.o = options;
    this.runner = runSoon(options.clock, options.delayMs ?? 50, () => this.pass());
    for (const pod of options.store.all("pods")) this.observePod(null, pod);
    this.unsubscribe = options.store.subscribe((c) => this.observe(c));
    this.stopRetry = options.clock.every(options.retryMs ?? 30_000, () => {
      if (this.unschedulable.size === 0) return;
      this.clusterChanged = true;
      this.runner.request();
    });
    if (this.queue.size > 0) this.runner.request();
  }

  stop(): void {
    this.unsubscribe();
    this.stopRetry();
    this.runner.cancel();
  }

  private usageOf(node: string): Usage {
    let u = this.usage.get(node);
    if (!u) {
      u = { pods: 0, cpu: 0, memory: 0, cpuScore: 0, memoryScore: 0, podEni: 0, owners: new Map() };
      this.usage.set(node, u);
    }
    return u;
  }

  private account(pod: KubeObject, sign: 1 | -1): void {
    const node = placed(pod);
    if (!node) return;
    const u = this.usageOf(node);
    const r = podRequests(pod);
    u.pods += sign;
    u.cpu += sign * r.cpu;
    u.memory += sign * r.memory;
    u.cpuScore += sign * r.cpuScore;
    u.memoryScore += sign * r.memoryScore;
    u.podEni += sign * r.podEni;
    const owner = controllerUid(pod);
    if (owner) u.owners.set(owner, (u.owners.get(owner) ?? 0) + sign);
  }

  private observePod(previous: KubeObject | null, pod: KubeObject | null): void {
    if (previous) this.account(previous, -1);
    if (pod) this.account(pod, 1);
    const freed = previous !== null && placed(previous) !== null && (pod === null || placed(pod) === null);
    if (freed) this.clusterChanged = true;
    const subject = pod ?? previous;
    if (!subject) return;
    const key = objectKey(subject.metadata.namespace, subject.metadata.name);
    if (pod && waitingForScheduler(pod)) {
      if (!this.unschedulable.has(key)) this.queue.add(key);
    } else {
      this.queue.delete(key);
      this.unschedulable.delete(key);
    }
  }

  private observe(change: StoreChange): void {
    if (change.resource === "pods") {
      this.observePod(change.previous, change.type === "DELETED" ? null : change.object);
    } else if (change.resource === "nodes") {
      this.clusterChanged = true;
    } else return;
    if (this.queue.size > 0 || (this.clusterChanged && this.unschedulable.size > 0)) this.runner.request();
  }

  private facts(node: KubeObject): NodeFacts {
    const cached = this.nodeFacts.get(node.metadata.name);
    if (cached && cached.rv === node.metadata.resourceVersion) return cached;
    const a = node.status?.allocatable ?? {};
    const facts = {
      rv: node.metadata.resourceVersion,
      pods: Number(parseQuantity(a.pods ?? "110") ?? 110),
      cpu: parseCpuMilli(a.cpu ?? "0") ?? 0,
      memory: parseQuantity(a.memory ?? "0") ?? 0,
      podEni: Number(a["vpc.amazonaws.com/pod-eni"] ?? 0),
    };
    this.nodeFacts.set(node.metadata.name, facts);
    return facts;
  }

  /** Why the pod cannot go on this node: the first failing filter's reasons, as the framework reports them. */
  private misfit(pod: KubeObject, req: Requests, node: KubeObject): string[] {
    if (node.spec?.unschedulable) return ["node(s) were unschedulable"];
    const ready = (node.status?.conditions ?? []).find((c: { type: string }) => c.type === "Ready");
    if (ready?.status !== "True") return ["node(s) had untolerated taint {node.kubernetes.io/not-ready: }"];
    const selector: Record<string, string> = pod.spec?.nodeSelector ?? {};
    for (const [k, v] of Object.entries(selector)) {
      if (node.metadata.labels?.[k] !== v) return ["node(s) didn't match Pod's node affinity/selector"];
    }
    if (!requiredAffinityMatches(pod, node)) return ["node(s) didn't match Pod's node affinity/selector"];
    const f = this.facts(node);
    const u = this.usageOf(node.metadata.name);
    const reasons: string[] = [];
    if (u.pods + 1 > f.pods) reasons.push("Too many pods");
    if (req.cpu > 0 && u.cpu + req.cpu > f.cpu) reasons.push("Insufficient cpu");
    if (req.memory > 0 && u.memory + req.memory > f.memory) reasons.push("Insufficient memory");
    if (req.podEni > 0 && u.podEni + req.podEni > f.podEni)
      reasons.push("Insufficient vpc.amazonaws.com/pod-eni");
    return reasons;
  }

  private failureMessage(
    counts: Map<string, number>,
    preemption: Map<string, number>,
    total: number,
  ): string {
    const list = (m: Map<string, number>) =>
      [...m]
        .map(([reason, n]) => `${n} ${reason}`)
        .sort()
        .join(", ");
    return `0/${total} nodes are available: ${list(counts)}. preemption: 0/${total} nodes are available: ${list(preemption)}.`;
  }

  private pass(): void {
    const { store, random, events } = this.o;
    if (this.clusterChanged) {
      for (const key of this.unschedulable) this.queue.add(key);
      this.unschedulable.clear();
      this.clusterChanged = false;
    }
    const pods = [...this.queue]
      .map((k) => store.byKey("pods", k))
      .filter((p): p is KubeObject => p !== undefined);
    this.queue.clear();
    pods.sort(
      (a, b) =>
        (b.spec?.priority ?? 0) - (a.spec?.priority ?? 0) ||
        a.metadata.creationTimestamp.localeCompare(b.metadata.creationTimestamp) ||
        a.metadata.name.localeCompare(b.metadata.name),
    );
    const nodes = [...store.all("nodes")].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    // Pods of one owner with the same requests fail alike: one evaluation per pass is enough.
    const failed = new Map<string, string>();
    for (const pod of pods) {
      if (!waitingForScheduler(pod)) continue;
      const req = podRequests(pod);
      const signature = `${controllerUid(pod)}|${req.cpu}|${req.memory}|${JSON.stringify(pod.spec?.nodeSelector ?? {})}`;
      const knownFailure = failed.get(signature);
      if (knownFailure !== undefined) {
        this.reject(pod, knownFailure);
        continue;
      }
      const counts = new Map<string, number>();
      const preemption = new Map<string, number>();
      let best: KubeObject[] = [];
      let bestSpread = Number.POSITIVE_INFINITY;
      let bestScore = Number.NEGATIVE_INFINITY;
      const owner = controllerUid(pod);
      for (const node of nodes) {
        const reasons = this.misfit(pod, req, node);
        if (reasons.length > 0) {
          for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
          const fit = reasons.every((r) => r === "Too many pods" || r.startsWith("Insufficient"));
          const p = fit
            ? "No preemption victims found for incoming pod"
            : "Preemption is not helpful for scheduling";
          preemption.set(p, (preemption.get(p) ?? 0) + 1);
          continue;
        }
        const u = this.usageOf(node.metadata.name);
        const f = this.facts(node);
        const spread = owner ? (u.owners.get(owner) ?? 0) : 0;
        const free = (used: number, want: number, capacity: number) =>
          capacity > 0 ? Math.max(0, capacity - used - want) / capacity : 0;
        const score = Math.round(
          1e6 * (free(u.cpuScore, req.cpuScore, f.cpu) + free(u.memoryScore, req.memoryScore, f.memory)),
        );
        if (spread < bestSpread || (spread === bestSpread && score > bestScore)) {
          best = [node];
          bestSpread = spread;
          bestScore = score;
        } else if (spread === bestSpread && score === bestScore) best.push(node);
      }
      if (best.length === 0) {
        const message =
          nodes.length === 0
            ? "no nodes available to schedule pods"
            : this.failureMessage(counts, preemption, nodes.length);
        failed.set(signature, message);
        this.reject(pod, message);
        continue;
      }
      const node = random.pick(best);
      const nodeName = node.metadata.name;
      const now = kubeTime(store.clock.now());
      const bound = store.update("pods", pod.metadata.namespace, pod.metadata.name, (p) => {
        p.spec.nodeName = nodeName;
        p.status = {
          ...p.status,
          conditions: [
            { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: now },
          ],
        };
      });
      events.record(
        bound,
        "Normal",
        "Scheduled",
        `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${nodeName}`,
        source,
      );
    }
  }

  private reject(pod: KubeObject, message: string): void {
    const { store, events } = this.o;
    this.unschedulable.add(objectKey(pod.metadata.namespace, pod.metadata.name));
    events.record(pod, "Warning", "FailedScheduling", message, source);
    const current = (pod.status?.conditions ?? []).find((c: { type: string }) => c.type === "PodScheduled");
    if (current?.message === message) return;
    store.update("pods", pod.metadata.namespace, pod.metadata.name, (p) => {
      p.status = {
        ...p.status,
        phase: "Pending",
        conditions: [
          {
            type: "PodScheduled",
            status: "False",
            lastProbeTime: null,
            lastTransitionTime: kubeTime(store.clock.now()),
            reason: "Unschedulable",
            message,
          },
        ],
      };
    });
  }
}
