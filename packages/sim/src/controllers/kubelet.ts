// The kubelets of all nodes: a pod bound to a node goes ContainerCreating, asks the VPC CNI for an IP
// (PodNetwork.assign; hostNetwork pods take the node's IP), and runs. With no IP the sandbox fails with
// the aws-cni error text and is retried a few simulated seconds later. A deleted pod stops, gives its IP
// back (PodNetwork.release) and leaves the API. A critical pod bound to a node already at its max pods
// (a DaemonSet's new aws-node while a Pending pod took the slot its old one freed) is admitted by
// preempting a lesser pod, as kubelet's critical pod admission handler does.

import { sandboxFailureMessage } from "@eni-view/model";
import { containerCreatingStatus, runningStatus } from "../cluster/podStatus.ts";
import type { PodNetwork, SimClock, SimRandom } from "../contracts.ts";
import { kubeTime, type ObjectStore, objectKey } from "../kube/store.ts";
import type { KubeObject, StoreChange } from "../kube/types.ts";
import type { EventRecorder } from "./events.ts";
import { isFargateNode } from "./fargate.ts";
import { branchIp, wantsBranchEni } from "./vpcResources.ts";
import { isWindowsNode, windowsPodIp } from "./windowsIpam.ts";

export interface KubeletOptions {
  store: ObjectStore;
  clock: SimClock;
  random: SimRandom;
  events: EventRecorder;
  network: PodNetwork;
  /** Simulated ms from binding to the sandbox (CNI ADD) attempt. */
  sandboxDelayMs?: number;
  /** Simulated ms before the first retry of a failed sandbox; doubles per failure up to sandboxRetryMaxMs. */
  sandboxRetryMs?: number;
  sandboxRetryMaxMs?: number;
  /** Simulated ms from the sandbox to the containers running. */
  startDelayMs?: number;
  /** Simulated ms a container takes to stop after deletion. */
  stopDelayMs?: number;
}

interface PodTrack {
  nodeName: string;
  /** IP from PodNetwork.assign, released when the pod goes. */
  ip: string | null;
  cancel: (() => void) | null;
  stopping: boolean;
  /** Failed sandbox attempts so far. */
  failures: number;
  /** The pod's IP is its branch ENI's, not one of IPAMD's. */
  branch?: boolean;
  /** When the sandbox got its network (kube time), for PodReadyToStartContainers. */
  networkAt?: string;
  /** spec.priority, for choosing whom a critical pod preempts. */
  priority: number;
  /** The pod has no requests or limits (QoS BestEffort): preempted before the others of its priority. */
  bestEffort: boolean;
  /** creationTimestamp: the newest of equals goes first. */
  createdAt: string;
}

interface ContainerStatus {
  state?: { running?: { startedAt: string } };
}

/** system-cluster-critical and above (kubelet's IsCriticalPod by priority). */
const CRITICAL_PRIORITY = 2_000_000_000;

/** pkg/kubelet/preemption: the victim's status message and event. */
const PREEMPTED = "Preempted in order to admit critical pod";

function trackFields(pod: KubeObject) {
  return {
    priority: Number(pod.spec?.priority ?? 0),
    bestEffort: pod.status?.qosClass === "BestEffort",
    createdAt: String(pod.metadata.creationTimestamp ?? ""),
  };
}

function containerNames(pod: KubeObject): { name: string; image: string }[] {
  return pod.spec?.containers ?? [];
}

export class Kubelets {
  private readonly o: Required<KubeletOptions>;
  private readonly tracks = new Map<string, PodTrack>();
  private readonly images = new Map<string, Set<string>>();
  private readonly unsubscribe: () => void;

  constructor(options: KubeletOptions) {
    this.o = {
      sandboxDelayMs: 500,
      sandboxRetryMs: 5_000,
      sandboxRetryMaxMs: 60_000,
      startDelayMs: 1_000,
      stopDelayMs: 1_000,
      ...options,
    };
    this.unsubscribe = options.store.subscribe((c) => this.observe(c));
    for (const pod of options.store.all("pods")) this.consider(pod);
  }

  stop(): void {
    this.unsubscribe();
    for (const t of this.tracks.values()) t.cancel?.();
    this.tracks.clear();
  }

  /** Pods already running with an IP when the simulator starts (large scenarios settle them directly). */
  adopt(pod: { namespace: string; name: string; nodeName: string; ip: string | null }): void {
    this.tracks.set(objectKey(pod.namespace, pod.name), {
      nodeName: pod.nodeName,
      ip: pod.ip,
      cancel: null,
      stopping: false,
      failures: 0,
      priority: 0,
      bestEffort: false,
      createdAt: "",
    });
  }

  private observe(change: StoreChange): void {
    if (change.resource === "nodes" && change.type === "MODIFIED") {
      this.nodeChanged(change.previous, change.object);
      return;
    }
    if (change.resource !== "pods") return;
    if (change.type === "DELETED") {
      this.forget(change.object);
      return;
    }
    this.consider(change.object);
  }

  private consider(pod: KubeObject): void {
    const nodeName: string | undefined = pod.spec?.nodeName;
    if (!nodeName) return;
    const key = objectKey(pod.metadata.namespace, pod.metadata.name);
    let track = this.tracks.get(key);
    if (!track) {
      if (
        pod.status?.phase === "Running" ||
        pod.status?.phase === "Succeeded" ||
        pod.status?.phase === "Failed"
      )
        return;
      track = { nodeName, ip: null, cancel: null, stopping: false, failures: 0, ...trackFields(pod) };
      if (!pod.metadata.deletionTimestamp && track.priority >= CRITICAL_PRIORITY) this.makeRoom(track);
      this.tracks.set(key, track);
      if (pod.metadata.deletionTimestamp) {
        this.terminate(key, track);
        return;
      }
      this.containerCreating(key, track);
      return;
    }
    if (pod.metadata.deletionTimestamp && !track.stopping) this.terminate(key, track);
  }

  /** Kubelet's admission counts every pod on the node that has not finished against its max pods; a
   * critical pod that would not fit preempts the pods it needs: lowest priority first, then one still
   * waiting for its sandbox before one running, BestEffort before the others, the newest first. Never
   * another critical pod: then it runs over the limit, which the scheduler's own count of the node shows. */
  private makeRoom(critical: PodTrack): void {
    const node = this.node(critical);
    if (!node) return;
    const maxPods = Number(node.status?.allocatable?.pods ?? node.status?.capacity?.pods ?? 110);
    const here = [...this.tracks].filter(([, t]) => t.nodeName === critical.nodeName);
    const over = here.filter(([, t]) => !t.stopping).length + 1 - maxPods;
    if (over <= 0) return;
    const victims = here
      .filter(([, t]) => !t.stopping && t.priority < CRITICAL_PRIORITY)
      .sort(
        ([, a], [, b]) =>
          a.priority - b.priority ||
          Number(a.networkAt !== undefined) - Number(b.networkAt !== undefined) ||
          Number(b.bestEffort) - Number(a.bestEffort) ||
          b.createdAt.localeCompare(a.createdAt),
      )
      .slice(0, over);
    for (const [key, track] of victims) this.preempt(key, track);
  }

  /** The victim stops and is reported Failed (reason Preempting); the object stays, as kubelet leaves it,
   * and its owner makes a new pod, which the scheduler then finds no room for. */
  private preempt(key: string, track: PodTrack): void {
    const { store, clock, events } = this.o;
    track.stopping = true;
    track.cancel?.();
    const pod = store.byKey("pods", key);
    if (!pod) return;
    events.record(pod, "Warning", "Preempting", PREEMPTED, this.source(track));
    const now = kubeTime(clock.now());
    store.update("pods", pod.metadata.namespace, pod.metadata.name, (p) => {
      const conditions = (p.status?.conditions ?? []).filter(
        (c: { type: string }) => c.type !== "Ready" && c.type !== "ContainersReady",
      );
      p.status = {
        ...p.status,
        phase: "Failed",
        reason: "Preempting",
        message: PREEMPTED,
        // Killed containers end with 137; one that never started is unknown to the runtime, as kubelet
        // reports it (kubectl then shows the pod as Error or ContainerStatusUnknown, not ContainerCreating).
        containerStatuses: (p.status?.containerStatuses ?? []).map((c: ContainerStatus) => ({
          ...c,
          ready: false,
          started: false,
          state: {
            terminated: c.state?.running
              ? { exitCode: 137, reason: "Error", startedAt: c.state.running.startedAt, finishedAt: now }
              : {
                  exitCode: 137,
                  reason: "ContainerStatusUnknown",
                  message: "The container could not be located when the pod was terminated",
                  startedAt: null,
                  finishedAt: now,
                },
          },
        })),
        conditions: [
          ...conditions,
          { type: "Ready", status: "False", lastProbeTime: null, lastTransitionTime: now },
          {
            type: "DisruptionTarget",
            status: "True",
            lastProbeTime: null,
            lastTransitionTime: now,
            reason: "TerminationByKubelet",
            message: "Pod was preempted by Kubelet to accommodate a critical pod.",
          },
        ],
      };
    });
    track.cancel = clock.after(this.o.stopDelayMs, () => {
      track.cancel = null;
      this.tracks.delete(key);
      if (track.ip !== null)
        this.o.network.release(track.nodeName, {
          namespace: pod.metadata.namespace as string,
          name: pod.metadata.name,
        });
    });
  }

  /** A cordon or uncordon reaches the node's IPAMD, which stops (or resumes) attaching and freeing ENIs. */
  private nodeChanged(previous: KubeObject | null, node: KubeObject): void {
    // Fargate nodes run no IPAMD: their one ENI is AWS's; Windows nodes' IPs are the VPC resource controller's.
    if (isFargateNode(node) || isWindowsNode(node)) return;
    const cordoned = node.spec?.unschedulable === true;
    if (previous && (previous.spec?.unschedulable === true) === cordoned) return;
    this.o.network.updateNode({
      nodeName: node.metadata.name,
      instanceId: String(node.spec?.providerID ?? "")
        .split("/")
        .pop() as string,
      maxPods: Number(node.status?.capacity?.pods ?? 110),
      cordoned,
    });
  }

  private node(track: PodTrack): KubeObject | undefined {
    return this.o.store.get("nodes", undefined, track.nodeName);
  }

  private source(track: PodTrack) {
    return { component: "kubelet", host: track.nodeName };
  }

  private containerCreating(key: string, track: PodTrack): void {
    const { store, clock } = this.o;
    const pod = store.byKey("pods", key);
    const node = this.node(track);
    if (!pod || !node) return;
    const nodeIp = node.status.addresses.find((a: { type: string }) => a.type === "InternalIP")?.address;
    const now = kubeTime(clock.now());
    store.update("pods", pod.metadata.namespace, pod.metadata.name, (p) => {
      p.status = containerCreatingStatus(p, nodeIp, now);
    });
    track.cancel = clock.after(this.o.sandboxDelayMs, () => this.sandbox(key, track));
  }

  private sandbox(key: string, track: PodTrack): void {
    const { store, clock, network, events, random } = this.o;
    track.cancel = null;
    const pod = store.byKey("pods", key);
    const node = this.node(track);
    if (!pod || !node || track.stopping) return;
    let ip: string | null;
    // A Fargate pod has its node to itself: its IP is the node's, the primary IP of the ENI Fargate made.
    if (pod.spec.hostNetwork || isFargateNode(node)) {
      ip = node.status.addresses.find((a: { type: string }) => a.type === "InternalIP")?.address ?? null;
      if (ip === null) return;
    } else if (wantsBranchEni(pod)) {
      // A branch-ENI pod: the CNI takes the IP the VPC resource controller's annotation names.
      ip = branchIp(pod);
      if (ip === null) {
        track.cancel = clock.after(1_000, () => this.sandbox(key, track));
        return;
      }
      track.branch = true;
    } else if (isWindowsNode(node)) {
      // The Windows CNI plugin sets up the address the VPC resource controller put in the pod's annotation.
      ip = windowsPodIp(pod);
      if (ip === null) {
        track.cancel = clock.after(1_000, () => this.sandbox(key, track));
        return;
      }
    } else {
      ip = network.assign(track.nodeName, {
        namespace: pod.metadata.namespace as string,
        name: pod.metadata.name,
      });
      if (ip === null) {
        events.record(
          pod,
          "Warning",
          "FailedCreatePodSandBox",
          sandboxFailureMessage(random.hex(64)),
          this.source(track),
        );
        // The pod worker backs off between failed syncs, as the kubelet does.
        track.failures++;
        const delay = Math.min(this.o.sandboxRetryMs * 2 ** (track.failures - 1), this.o.sandboxRetryMaxMs);
        track.cancel = clock.after(delay, () => this.sandbox(key, track));
        return;
      }
      track.ip = ip;
    }
    const pulled = this.images.get(track.nodeName) ?? new Set<string>();
    this.images.set(track.nodeName, pulled);
    for (const c of containerNames(pod)) {
      const fieldPath = `spec.containers{${c.name}}`;
      if (pulled.has(c.image)) {
        events.record(
          pod,
          "Normal",
          "Pulled",
          `Container image "${c.image}" already present on machine`,
          this.source(track),
          fieldPath,
        );
      } else {
        pulled.add(c.image);
        events.record(pod, "Normal", "Pulling", `Pulling image "${c.image}"`, this.source(track), fieldPath);
        events.record(
          pod,
          "Normal",
          "Pulled",
          `Successfully pulled image "${c.image}" in 1.2s (1.2s including waiting)`,
          this.source(track),
          fieldPath,
        );
      }
      events.record(pod, "Normal", "Created", `Created container ${c.name}`, this.source(track), fieldPath);
      events.record(pod, "Normal", "Started", `Started container ${c.name}`, this.source(track), fieldPath);
    }
    const podIp = ip;
    track.networkAt = kubeTime(clock.now());
    track.cancel = clock.after(this.o.startDelayMs, () => this.running(key, track, podIp));
  }

  private running(key: string, track: PodTrack, ip: string): void {
    const { store, clock, random } = this.o;
    track.cancel = null;
    const pod = store.byKey("pods", key);
    const node = this.node(track);
    if (!pod || !node || track.stopping) return;
    const nodeIp = node.status.addresses.find((a: { type: string }) => a.type === "InternalIP")?.address;
    const now = kubeTime(clock.now());
    store.update("pods", pod.metadata.namespace, pod.metadata.name, (p) => {
      p.status = runningStatus(p, nodeIp, ip, now, random, track.networkAt);
    });
  }

  private terminate(key: string, track: PodTrack): void {
    const { store, clock, events } = this.o;
    track.stopping = true;
    track.cancel?.();
    const pod = store.byKey("pods", key);
    if (!pod) return;
    for (const c of containerNames(pod)) {
      events.record(
        pod,
        "Normal",
        "Killing",
        `Stopping container ${c.name}`,
        this.source(track),
        `spec.containers{${c.name}}`,
      );
    }
    const grace = (pod.metadata.deletionGracePeriodSeconds ?? 30) * 1000;
    track.cancel = clock.after(Math.min(grace, this.o.stopDelayMs), () => {
      track.cancel = null;
      const current = store.byKey("pods", key);
      // Removing the pod fires DELETED, which releases the IP in forget().
      if (current) store.remove("pods", current.metadata.namespace, current.metadata.name);
    });
  }

  private forget(pod: KubeObject): void {
    const key = objectKey(pod.metadata.namespace, pod.metadata.name);
    const track = this.tracks.get(key);
    if (!track) return;
    track.cancel?.();
    this.tracks.delete(key);
    if (track.ip !== null) {
      this.o.network.release(track.nodeName, {
        namespace: pod.metadata.namespace as string,
        name: pod.metadata.name,
      });
    }
  }
}
