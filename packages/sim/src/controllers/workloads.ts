// The deployment, replicaset and daemonset controllers: Deployment -> one ReplicaSet per template
// (named by the template hash) -> pods; DaemonSet -> one pod per node. Scaling down deletes pods
// gracefully in the ReplicaSet controller's order (unscheduled, pending, not ready, crowded, newest first).

import {
  podSchedulingFromSpec,
  requiredAffinityMatches,
  type Toleration,
  taintsFromSpec,
  tolerationsFromSpec,
  untoleratedTaint,
} from "@eni-view/model";
import { podFromTemplate } from "../cluster/workloads.ts";
import type { SimClock, SimRandom } from "../contracts.ts";
import { admitPod } from "../kube/admission.ts";
import { deletePod } from "../kube/podDeletion.ts";
import { type ObjectStore, objectKey, StoreError } from "../kube/store.ts";
import type { KubeObject, StoreChange } from "../kube/types.ts";
import { nameSuffix } from "../random.ts";
import { scaledValue, syncDeployment } from "./deploymentRollout.ts";
import type { EventRecorder } from "./events.ts";
import { controllerUid, type PodIndex } from "./podIndex.ts";
import { type Runner, runSoon } from "./runSoon.ts";
import { deletionOrder, isActive, isReady, templateHash } from "./workloadRules.ts";

const component = {
  deployment: "deployment-controller",
  replicaset: "replicaset-controller",
  daemonset: "daemonset-controller",
};

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export interface WorkloadControllerOptions {
  store: ObjectStore;
  clock: SimClock;
  random: SimRandom;
  events: EventRecorder;
  pods: PodIndex;
  /** Simulated ms between a change and the controllers' reaction. */
  delayMs?: number;
}

export class WorkloadControllers {
  private readonly o: WorkloadControllerOptions;
  private readonly runner: Runner;
  private readonly dirty = {
    deployments: new Set<string>(),
    replicasets: new Set<string>(),
    daemonsets: new Set<string>(),
  };
  /** uid -> resource and key, for ReplicaSets and DaemonSets (the owners of pods). */
  private readonly owners = new Map<string, { resource: "replicasets" | "daemonsets"; key: string }>();
  private readonly unsubscribe: () => void;

  constructor(options: WorkloadControllerOptions) {
    this.o = options;
    this.runner = runSoon(options.clock, options.delayMs ?? 100, () => this.pass());
    for (const resource of ["replicasets", "daemonsets"] as const) {
      for (const obj of options.store.all(resource)) {
        this.owners.set(obj.metadata.uid, {
          resource,
          key: objectKey(obj.metadata.namespace, obj.metadata.name),
        });
      }
    }
    for (const resource of ["deployments", "replicasets", "daemonsets"] as const) {
      for (const obj of options.store.all(resource))
        this.dirty[resource].add(objectKey(obj.metadata.namespace, obj.metadata.name));
    }
    this.unsubscribe = options.store.subscribe((change) => this.observe(change));
    this.runner.request();
  }

  stop(): void {
    this.unsubscribe();
    this.runner.cancel();
  }

  private observe(change: StoreChange): void {
    const { resource, object } = change;
    const key = objectKey(object.metadata.namespace, object.metadata.name);
    if (resource === "deployments") this.dirty.deployments.add(key);
    else if (resource === "replicasets" || resource === "daemonsets") {
      if (change.type === "DELETED") this.owners.delete(object.metadata.uid);
      else this.owners.set(object.metadata.uid, { resource, key });
      this.dirty[resource].add(key);
      const owner = controllerUid(object);
      if (resource === "replicasets" && owner) {
        const d = this.findDeployment(object);
        if (d) this.dirty.deployments.add(objectKey(d.metadata.namespace, d.metadata.name));
      }
    } else if (resource === "pods") {
      const owner = this.owners.get(controllerUid(object) ?? "");
      if (owner) this.dirty[owner.resource].add(owner.key);
    } else if (resource === "nodes" && change.type !== "MODIFIED") {
      for (const ds of this.o.store.all("daemonsets"))
        this.dirty.daemonsets.add(objectKey(ds.metadata.namespace, ds.metadata.name));
    } else return;
    this.runner.request();
  }

  private findDeployment(rs: KubeObject): KubeObject | undefined {
    const ref = rs.metadata.ownerReferences?.find((r) => r.controller && r.kind === "Deployment");
    return ref ? this.o.store.get("deployments", rs.metadata.namespace, ref.name) : undefined;
  }

  private pass(): void {
    // Deployments first (they set ReplicaSet sizes), then ReplicaSets and DaemonSets (they make pods).
    for (const resource of ["deployments", "replicasets", "daemonsets"] as const) {
      const keys = [...this.dirty[resource]];
      this.dirty[resource].clear();
      for (const key of keys) {
        const obj = this.o.store.byKey(resource, key);
        if (!obj) continue;
        if (resource === "deployments") this.syncDeployment(obj);
        else if (resource === "replicasets") this.syncReplicaSet(obj);
        else this.syncDaemonSet(obj);
      }
    }
    if (this.dirty.deployments.size || this.dirty.replicasets.size || this.dirty.daemonsets.size)
      this.runner.request();
  }

  private syncDeployment(d: KubeObject): void {
    syncDeployment(this.o, d);
  }

  private createPod(owner: KubeObject, extraLabels: Record<string, string>, nodeName?: string): KubeObject {
    for (;;) {
      const name = `${owner.metadata.name}-${nameSuffix(this.o.random)}`;
      try {
        const pod = podFromTemplate(owner, name, extraLabels, nodeName);
        admitPod(this.o.store, pod);
        return this.o.store.create("pods", pod);
      } catch (err) {
        if (!(err instanceof StoreError && err.reason === "AlreadyExists")) throw err;
      }
    }
  }

  private syncReplicaSet(rs: KubeObject): void {
    const { store, events, pods } = this.o;
    const ns = rs.metadata.namespace as string;
    let active = pods.ownedBy(rs.metadata.uid).filter(isActive);
    const want = rs.spec.replicas ?? 1;
    if (active.length < want) {
      for (let i = active.length; i < want; i++) {
        const pod = this.createPod(rs, {});
        events.record(rs, "Normal", "SuccessfulCreate", `Created pod: ${pod.metadata.name}`, {
          component: component.replicaset,
        });
      }
    } else if (active.length > want) {
      for (const victim of deletionOrder(active).slice(0, active.length - want)) {
        deletePod(store, ns, victim.metadata.name, "", null, false);
        events.record(rs, "Normal", "SuccessfulDelete", `Deleted pod: ${victim.metadata.name}`, {
          component: component.replicaset,
        });
      }
    }
    active = pods.ownedBy(rs.metadata.uid).filter(isActive);
    const ready = active.filter(isReady).length;
    const status = {
      replicas: active.length,
      fullyLabeledReplicas: active.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: rs.metadata.generation ?? 1,
    };
    if (!sameJson(rs.status, status))
      store.update("replicasets", ns, rs.metadata.name, (r) => (r.status = status));
  }

  /** RollingUpdate: pods of an older template go node by node while at most maxUnavailable nodes lack a
   * ready pod (the daemonset controller's rollingUpdate with maxSurge 0). */
  private rollDaemonSet(
    ds: KubeObject,
    byNode: Map<string, KubeObject>,
    desired: number,
    hash: string,
  ): void {
    const strategy = ds.spec.updateStrategy ?? {};
    if (strategy.type === "OnDelete") return;
    const old = [...byNode.values()].filter((p) => p.metadata.labels?.["controller-revision-hash"] !== hash);
    if (old.length === 0) return;
    const maxUnavailable = Math.max(
      1,
      scaledValue(strategy.rollingUpdate?.maxUnavailable ?? 1, desired, true),
    );
    let unavailable = desired - [...byNode.values()].filter(isReady).length;
    old.sort(
      (a, b) => Number(isReady(a)) - Number(isReady(b)) || a.spec.nodeName.localeCompare(b.spec.nodeName),
    );
    for (const pod of old) {
      if (isReady(pod) && unavailable >= maxUnavailable) break;
      deletePod(this.o.store, pod.metadata.namespace as string, pod.metadata.name, "", null, false);
      byNode.delete(pod.spec.nodeName);
      if (isReady(pod)) unavailable++;
      this.o.events.record(ds, "Normal", "SuccessfulDelete", `Deleted pod: ${pod.metadata.name}`, {
        component: component.daemonset,
      });
    }
  }

  private syncDaemonSet(ds: KubeObject): void {
    const { store, events, pods } = this.o;
    const selector: Record<string, string> = ds.spec.template.spec.nodeSelector ?? {};
    // The DaemonSet controller's node filter: the template's node selector and required node affinity
    // (the EKS add-ons' Linux affinity keeps them off Windows nodes), and no NoSchedule or NoExecute taint
    // that neither the template nor the tolerations it adds to every DaemonSet pod tolerate (Fargate's
    // NoSchedule taint keeps aws-node and kube-proxy off Fargate nodes).
    const affinity = podSchedulingFromSpec(ds.spec.template.spec).nodeAffinity;
    const tolerations = [
      ...(tolerationsFromSpec(ds.spec.template.spec.tolerations) ?? []),
      ...daemonSetTolerations(ds.spec.template.spec.hostNetwork === true),
    ];
    const nodes = [...store.all("nodes")].filter(
      (n) =>
        Object.entries(selector).every(([k, v]) => n.metadata.labels?.[k] === v) &&
        requiredAffinityMatches(affinity, { name: n.metadata.name, labels: n.metadata.labels ?? {} }) &&
        untoleratedTaint(taintsFromSpec(n.spec?.taints), tolerations) === undefined,
    );
    const byNode = new Map<string, KubeObject>();
    // A node whose pod is still stopping gets its new pod only once the old one is gone (maxSurge 0).
    const stopping = new Set<string>();
    for (const pod of pods.ownedBy(ds.metadata.uid)) {
      const node = pod.spec?.nodeName as string;
      if (!isActive(pod)) {
        if (pod.metadata.deletionTimestamp) stopping.add(node);
        continue;
      }
      if (byNode.has(node) || !store.get("nodes", undefined, node)) {
        deletePod(store, pod.metadata.namespace as string, pod.metadata.name, "", null, false);
      } else byNode.set(node, pod);
    }
    const hash = templateHash(ds.spec.template).slice(0, 10);
    const generation = String(ds.metadata.generation ?? 1);
    for (const node of nodes) {
      if (byNode.has(node.metadata.name) || stopping.has(node.metadata.name)) continue;
      const pod = this.createPod(
        ds,
        { "controller-revision-hash": hash, "pod-template-generation": generation },
        node.metadata.name,
      );
      byNode.set(node.metadata.name, pod);
      events.record(ds, "Normal", "SuccessfulCreate", `Created pod: ${pod.metadata.name}`, {
        component: component.daemonset,
      });
    }
    this.rollDaemonSet(ds, byNode, nodes.length, hash);
    const scheduled = [...byNode.values()];
    const ready = scheduled.filter(isReady).length;
    const status = {
      currentNumberScheduled: scheduled.length,
      desiredNumberScheduled: nodes.length,
      numberMisscheduled: 0,
      numberReady: ready,
      numberAvailable: ready,
      ...(nodes.length - ready > 0 ? { numberUnavailable: nodes.length - ready } : {}),
      updatedNumberScheduled: scheduled.filter(
        (p) => p.metadata.labels?.["controller-revision-hash"] === hash,
      ).length,
      observedGeneration: ds.metadata.generation ?? 1,
    };
    if (!sameJson(ds.status, status)) {
      store.update("daemonsets", ds.metadata.namespace, ds.metadata.name, (x) => (x.status = status));
    }
  }
}

/** The tolerations the DaemonSet controller adds to its pods (Kubernetes docs, "DaemonSet: Taints and
 * tolerations"): node conditions, cordon, and for hostNetwork pods an unavailable network. */
function daemonSetTolerations(hostNetwork: boolean): Toleration[] {
  const exists = (key: string, effect: string): Toleration => ({
    key: `node.kubernetes.io/${key}`,
    operator: "Exists",
    value: "",
    effect,
  });
  return [
    exists("not-ready", "NoExecute"),
    exists("unreachable", "NoExecute"),
    exists("disk-pressure", "NoSchedule"),
    exists("memory-pressure", "NoSchedule"),
    exists("pid-pressure", "NoSchedule"),
    exists("unschedulable", "NoSchedule"),
    ...(hostNetwork ? [exists("network-unavailable", "NoSchedule")] : []),
  ];
}
