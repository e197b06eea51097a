// The rules the workload controllers share with the large scenario's builder: pod-template-hash, which
// pods count, which go first on scale-down, and the ReplicaSet a Deployment owns.
import type { KubeObject, NewObject } from "../kube/types.ts";

/** pod-template-hash as the deployment controller writes it: FNV-32a of the template, safe-encoded. */
export function templateHash(template: unknown): string {
  let hash = 0x811c9dc5;
  const text = JSON.stringify(template);
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  const alphabet = "bcdfghjklmnpqrstvwxz2456789";
  return [...String(hash)].map((c) => alphabet[c.charCodeAt(0) % alphabet.length]).join("");
}

export function isActive(pod: KubeObject): boolean {
  return (
    !pod.metadata.deletionTimestamp && pod.status?.phase !== "Succeeded" && pod.status?.phase !== "Failed"
  );
}

export function isReady(pod: KubeObject): boolean {
  return (pod.status?.conditions ?? []).some(
    (c: { type: string; status: string }) => c.type === "Ready" && c.status === "True",
  );
}

const phaseRank: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** Which pods a ReplicaSet deletes first when scaled down (controller.ActivePodsWithRanks). */
export function deletionOrder(pods: KubeObject[]): KubeObject[] {
  const perNode = new Map<string, number>();
  for (const p of pods)
    if (p.spec?.nodeName) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
  return [...pods].sort((a, b) => {
    const assigned = Number(Boolean(a.spec?.nodeName)) - Number(Boolean(b.spec?.nodeName));
    if (assigned !== 0) return assigned;
    const phase = (phaseRank[a.status?.phase] ?? 1) - (phaseRank[b.status?.phase] ?? 1);
    if (phase !== 0) return phase;
    const ready = Number(isReady(a)) - Number(isReady(b));
    if (ready !== 0) return ready;
    const crowd = (perNode.get(b.spec?.nodeName) ?? 0) - (perNode.get(a.spec?.nodeName) ?? 0);
    if (crowd !== 0) return crowd;
    return (
      b.metadata.creationTimestamp.localeCompare(a.metadata.creationTimestamp) ||
      b.metadata.name.localeCompare(a.metadata.name)
    );
  });
}

export function replicaSetAnnotations(replicas: number, revision = 1): Record<string, string> {
  return {
    "deployment.kubernetes.io/desired-replicas": String(replicas),
    "deployment.kubernetes.io/max-replicas": String(replicas + Math.ceil(replicas * 0.25)),
    "deployment.kubernetes.io/revision": String(revision),
  };
}

/** The ReplicaSet the deployment controller makes for a Deployment's template: <name>-<template hash>. */
export function replicaSetObject(d: KubeObject): NewObject {
  const hash = templateHash(d.spec.template);
  const labels = { ...d.spec.template.metadata.labels, "pod-template-hash": hash };
  const replicas = d.spec.replicas ?? 1;
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      generation: 1,
      labels,
      annotations: replicaSetAnnotations(replicas),
      ownerReferences: [
        {
          apiVersion: "apps/v1",
          kind: "Deployment",
          name: d.metadata.name,
          uid: d.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      replicas,
      selector: { matchLabels: { ...d.spec.selector.matchLabels, "pod-template-hash": hash } },
      template: { metadata: { ...d.spec.template.metadata, labels }, spec: d.spec.template.spec },
    },
    status: { replicas: 0, observedGeneration: 0 },
  };
}
