// The deployment controller's sync (k8s.io/kubernetes pkg/controller/deployment): one ReplicaSet per pod
// template, a rolling update within maxSurge/maxUnavailable (or Recreate), revisions, and the status and
// conditions `kubectl rollout status` reads.
import type { ObjectStore } from "../kube/store.ts";
import { kubeTime } from "../kube/store.ts";
import type { KubeObject } from "../kube/types.ts";
import type { EventRecorder } from "./events.ts";
import type { PodIndex } from "./podIndex.ts";
import { isActive, replicaSetAnnotations, replicaSetObject, templateHash } from "./workloadRules.ts";

const source = { component: "deployment-controller" };
const revisionKey = "deployment.kubernetes.io/revision";

/** An int-or-percent of `total`, as intstr.GetScaledValueFromIntOrPercent does. */
export function scaledValue(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === "number") return value;
  const m = /^(\d+)%$/.exec(String(value ?? ""));
  if (!m) return 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

function revisionOf(rs: KubeObject): number {
  return Number(rs.metadata.annotations?.[revisionKey] ?? 0) || 0;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export interface DeploymentContext {
  store: ObjectStore;
  events: EventRecorder;
  pods: PodIndex;
}

function scale(ctx: DeploymentContext, d: KubeObject, rs: KubeObject, to: number): KubeObject {
  const from = rs.spec.replicas ?? 0;
  if (from === to) return rs;
  const want = d.spec.replicas ?? 1;
  const updated = ctx.store.update("replicasets", rs.metadata.namespace, rs.metadata.name, (r) => {
    r.spec.replicas = to;
    r.metadata.generation = (r.metadata.generation ?? 1) + 1;
    r.metadata.annotations = {
      ...r.metadata.annotations,
      ...replicaSetAnnotations(want, revisionOf(r)),
    };
  });
  ctx.events.record(
    d,
    "Normal",
    "ScalingReplicaSet",
    `Scaled ${to > from ? "up" : "down"} replica set ${rs.metadata.name} from ${from} to ${to}`,
    source,
  );
  return updated;
}

function ownedReplicaSets(store: ObjectStore, d: KubeObject): KubeObject[] {
  const out: KubeObject[] = [];
  for (const rs of store.all("replicasets")) {
    if (rs.metadata.namespace !== d.metadata.namespace) continue;
    if (rs.metadata.ownerReferences?.some((r) => r.controller && r.uid === d.metadata.uid)) out.push(rs);
  }
  return out.sort((a, b) => revisionOf(a) - revisionOf(b));
}

export function syncDeployment(ctx: DeploymentContext, d: KubeObject): void {
  const { store, events, pods } = ctx;
  const ns = d.metadata.namespace as string;
  const want: number = d.spec.replicas ?? 1;
  const hash = templateHash(d.spec.template);
  const owned = ownedReplicaSets(store, d);
  let newRs = owned.find((rs) => rs.metadata.name === `${d.metadata.name}-${hash}`);
  let old = owned.filter((rs) => rs !== newRs);
  const recreate = d.spec.strategy?.type === "Recreate";
  const oldPods = () => old.reduce((n, rs) => n + pods.ownedBy(rs.metadata.uid).filter(isActive).length, 0);
  const maxRevision = owned.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);

  if (!newRs) {
    const firstRollout = old.every((rs) => (rs.spec.replicas ?? 0) === 0) && oldPods() === 0;
    const fresh = replicaSetObject(d);
    const revision = maxRevision + 1;
    fresh.spec.replicas = firstRollout ? want : 0;
    fresh.metadata.annotations = replicaSetAnnotations(want, revision);
    newRs = store.create("replicasets", fresh);
    if (fresh.spec.replicas > 0) {
      events.record(
        d,
        "Normal",
        "ScalingReplicaSet",
        `Scaled up replica set ${newRs.metadata.name} from 0 to ${want}`,
        source,
      );
    }
  } else if (revisionOf(newRs) < maxRevision) {
    // A rollback to an older template: that ReplicaSet becomes the newest revision again.
    const revision = maxRevision + 1;
    newRs = store.update("replicasets", ns, newRs.metadata.name, (r) => {
      r.metadata.annotations = { ...r.metadata.annotations, [revisionKey]: String(revision) };
    });
  }
  const current = newRs;

  if (recreate) {
    old = old.map((rs) => scale(ctx, d, rs, 0));
    if (oldPods() === 0) newRs = scale(ctx, d, current, want);
  } else {
    let maxSurge = scaledValue(d.spec.strategy?.rollingUpdate?.maxSurge ?? "25%", want, true);
    let maxUnavailable = scaledValue(d.spec.strategy?.rollingUpdate?.maxUnavailable ?? "25%", want, false);
    if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
    maxSurge = Math.max(0, maxSurge);
    const specTotal = () => [newRs as KubeObject, ...old].reduce((n, rs) => n + (rs.spec.replicas ?? 0), 0);
    // Scale up the new ReplicaSet within the surge.
    if ((newRs.spec.replicas ?? 0) > want) newRs = scale(ctx, d, newRs, want);
    else if ((newRs.spec.replicas ?? 0) < want) {
      const room = want + maxSurge - specTotal();
      if (room > 0) newRs = scale(ctx, d, newRs, Math.min(want, (newRs.spec.replicas ?? 0) + room));
    }
    // Scale down old ReplicaSets while enough pods stay available: unhealthy ones first, then oldest first.
    const minAvailable = want - maxUnavailable;
    const podsNow = [newRs, ...old].reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0);
    const newUnavailable = (newRs.spec.replicas ?? 0) - (newRs.status?.availableReplicas ?? 0);
    let budget = podsNow - minAvailable - Math.max(0, newUnavailable);
    old = old.map((rs) => {
      const unhealthy = (rs.spec.replicas ?? 0) - (rs.status?.availableReplicas ?? 0);
      if (budget <= 0 || unhealthy <= 0) return rs;
      const cut = Math.min(budget, unhealthy);
      budget -= cut;
      return scale(ctx, d, rs, (rs.spec.replicas ?? 0) - cut);
    });
    const available = [newRs, ...old].reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
    let downBy = available - minAvailable;
    old = old.map((rs) => {
      if (downBy <= 0 || (rs.spec.replicas ?? 0) === 0) return rs;
      const cut = Math.min(downBy, rs.spec.replicas ?? 0);
      downBy -= cut;
      return scale(ctx, d, rs, (rs.spec.replicas ?? 0) - cut);
    });
  }
  writeStatus(store, d, newRs, old, want);
}

function writeStatus(
  store: ObjectStore,
  d: KubeObject,
  newRs: KubeObject,
  old: KubeObject[],
  want: number,
): void {
  const all = [newRs, ...old];
  const sum = (f: (rs: KubeObject) => number) => all.reduce((n, rs) => n + f(rs), 0);
  const replicas = sum((rs) => rs.status?.replicas ?? 0);
  const updated = newRs.status?.replicas ?? 0;
  const available = sum((rs) => rs.status?.availableReplicas ?? 0);
  const ready = sum((rs) => rs.status?.readyReplicas ?? 0);
  const complete =
    updated === want && replicas === want && available === want && (newRs.spec.replicas ?? 0) === want;
  const now = kubeTime(store.clock.now());
  const oldConditions: {
    type: string;
    status: string;
    reason: string;
    lastUpdateTime: string;
    lastTransitionTime: string;
  }[] = d.status?.conditions ?? [];
  const condition = (type: string, status: string, reason: string, message: string) => {
    const before = oldConditions.find((c) => c.type === type);
    const sameStatus = before !== undefined && before.status === status;
    const sameReason = sameStatus && before.reason === reason;
    return {
      type,
      status,
      lastUpdateTime: sameReason ? before.lastUpdateTime : now,
      lastTransitionTime: sameStatus ? before.lastTransitionTime : now,
      reason,
      message,
    };
  };
  const maxUnavailable = scaledValue(d.spec.strategy?.rollingUpdate?.maxUnavailable ?? "25%", want, false);
  const minAvailable = d.spec.strategy?.type === "Recreate" ? want : want - maxUnavailable;
  const rsName = newRs.metadata.name;
  const status = {
    observedGeneration: d.metadata.generation ?? 1,
    replicas,
    updatedReplicas: updated,
    readyReplicas: ready,
    availableReplicas: available,
    ...(sum((rs) => rs.spec.replicas ?? 0) - available > 0
      ? { unavailableReplicas: Math.max(want, replicas) - available }
      : {}),
    conditions: [
      available >= minAvailable
        ? condition("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.")
        : condition(
            "Available",
            "False",
            "MinimumReplicasUnavailable",
            "Deployment does not have minimum availability.",
          ),
      complete
        ? condition(
            "Progressing",
            "True",
            "NewReplicaSetAvailable",
            `ReplicaSet "${rsName}" has successfully progressed.`,
          )
        : condition("Progressing", "True", "ReplicaSetUpdated", `ReplicaSet "${rsName}" is progressing.`),
    ],
  };
  const revision = newRs.metadata.annotations?.[revisionKey];
  const annotationsChanged = revision !== undefined && d.metadata.annotations?.[revisionKey] !== revision;
  if (!sameJson(d.status, status) || annotationsChanged) {
    store.update("deployments", d.metadata.namespace, d.metadata.name, (x) => {
      x.status = status;
      if (revision !== undefined)
        x.metadata.annotations = { ...x.metadata.annotations, [revisionKey]: revision };
    });
  }
}
