// The default scheduler, reduced to what decides pod placement on EKS nodes: node schedulable, taints and
// tolerations, node selector and affinity, NodeResourcesFit (max pods, cpu, memory requests), then spread (fewest pods of the same owner)
// and least-allocated scoring with seeded tie-breaks. Pods that fit nowhere get the real FailedScheduling
// text and wait until the cluster changes, or the periodic retry.
import {
  addToUsage,
  chooseNode,
  emptyUsage,
  type NodeUsage,
  type PodScheduling,
  parseCpuMilli,
  parseQuantity,
  podSchedulingFromSpec,
  type ScheduleNode,
  schedulingKey,
  schedulingOrder,
  taintsFromSpec,
} from "@eni-view/model";
import type { SimClock, SimRandom } from "../contracts.ts";
import { kubeTime, type ObjectStore, objectKey } from "../kube/store.ts";
import type { KubeObject, StoreChange } from "../kube/types.ts";
import type { EventRecorder } from "./events.ts";
import { controllerUid } from "./podIndex.ts";
import { type Runner, runSoon } from "./runSoon.ts";

interface NodeFacts extends ScheduleNode {
  rv: string;
}

const source = { component: "default-scheduler" };

// Pods are immutable in what the scheduler reads of their spec: parse it once per object.
const parsed = new WeakMap<object, PodScheduling>();
function podRequests(pod: KubeObject): PodScheduling {
  const spec = pod.spec ?? {};
  let r = parsed.get(spec);
  if (r === undefined) {
    r = podSchedulingFromSpec(spec);
    parsed.set(spec, r);
  }
  return r;
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
  private readonly usage = new Map<string, NodeUsage>();
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

  private usageOf(node: string): NodeUsage {
    let u = this.usage.get(node);
    if (!u) {
      u = emptyUsage();
      this.usage.set(node, u);
    }
    return u;
  }

  private account(pod: KubeObject, sign: 1 | -1): void {
    const node = placed(pod);
    if (!node) return;
    addToUsage(this.usageOf(node), podRequests(pod), controllerUid(pod) ?? null, sign);
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
    const ready = (node.status?.conditions ?? []).find((c: { type: string }) => c.type === "Ready");
    const facts: NodeFacts = {
      rv: node.metadata.resourceVersion,
      name: node.metadata.name,
      labels: node.metadata.labels ?? {},
      unschedulable: node.spec?.unschedulable === true,
      ready: ready?.status === "True",
      taints: taintsFromSpec(node.spec?.taints),
      pods: Number(parseQuantity(a.pods ?? "110") ?? 110),
      cpuMilli: parseCpuMilli(a.cpu ?? "0") ?? 0,
      memoryBytes: parseQuantity(a.memory ?? "0") ?? 0,
      podEni: Number(a["vpc.amazonaws.com/pod-eni"] ?? 0),
      // An extended resource the node does not advertise is zero to the scheduler.
      privateIpv4: Number(a["vpc.amazonaws.com/PrivateIPv4Address"] ?? 0),
    };
    this.nodeFacts.set(node.metadata.name, facts);
    return facts;
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
    pods.sort((a, b) =>
      schedulingOrder(
        { priority: a.spec?.priority ?? 0, createdAt: a.metadata.creationTimestamp, name: a.metadata.name },
        { priority: b.spec?.priority ?? 0, createdAt: b.metadata.creationTimestamp, name: b.metadata.name },
      ),
    );
    const nodes = [...store.all("nodes")]
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
      .map((n) => this.facts(n));
    // Pods of one owner the scheduler cannot tell apart fail alike: one evaluation per pass is enough.
    const failed = new Map<string, string>();
    for (const pod of pods) {
      if (!waitingForScheduler(pod)) continue;
      const req = podRequests(pod);
      const signature = `${controllerUid(pod) ?? objectKey(pod.metadata.namespace, pod.metadata.name)}|${schedulingKey(req)}`;
      const knownFailure = failed.get(signature);
      if (knownFailure !== undefined) {
        this.reject(pod, knownFailure);
        continue;
      }
      const choice = chooseNode(
        req,
        controllerUid(pod) ?? null,
        nodes,
        (n) => this.usageOf(n.name),
        () => random.next(),
      );
      if (choice.node === undefined) {
        failed.set(signature, choice.message);
        this.reject(pod, choice.message);
        continue;
      }
      const nodeName = choice.node.name;
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
