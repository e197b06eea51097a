// Strategic merge patch keys of the built-in types (the Go struct tags `patchMergeKey`/`patchStrategy` of
// k8s.io/api, served as x-kubernetes-patch-merge-key / x-kubernetes-patch-strategy): lists merged by key
// instead of replaced, as `kubectl apply`, `set env` and `edit` expect.
const keys: Record<string, { patchMergeKey?: string; patchStrategy: string }> = {
  "V1ObjectMeta.finalizers": { patchStrategy: "merge" },
  "V1ObjectMeta.ownerReferences": { patchMergeKey: "uid", patchStrategy: "merge" },
  "V1PodSpec.containers": { patchMergeKey: "name", patchStrategy: "merge" },
  "V1PodSpec.initContainers": { patchMergeKey: "name", patchStrategy: "merge" },
  "V1PodSpec.ephemeralContainers": { patchMergeKey: "name", patchStrategy: "merge" },
  "V1PodSpec.volumes": { patchMergeKey: "name", patchStrategy: "merge,retainKeys" },
  "V1PodSpec.imagePullSecrets": { patchMergeKey: "name", patchStrategy: "merge" },
  "V1PodSpec.hostAliases": { patchMergeKey: "ip", patchStrategy: "merge" },
  "V1PodSpec.topologySpreadConstraints": { patchMergeKey: "topologyKey", patchStrategy: "merge" },
  "V1Container.env": { patchMergeKey: "name", patchStrategy: "merge" },
  "V1Container.ports": { patchMergeKey: "containerPort", patchStrategy: "merge" },
  "V1Container.volumeMounts": { patchMergeKey: "mountPath", patchStrategy: "merge" },
  "V1Container.volumeDevices": { patchMergeKey: "devicePath", patchStrategy: "merge" },
  "V1ServiceSpec.ports": { patchMergeKey: "port", patchStrategy: "merge" },
  "V1DeploymentSpec.strategy": { patchStrategy: "retainKeys" },
  "V1DeploymentStatus.conditions": { patchMergeKey: "type", patchStrategy: "merge" },
  "V1DaemonSetStatus.conditions": { patchMergeKey: "type", patchStrategy: "merge" },
  "V1ReplicaSetStatus.conditions": { patchMergeKey: "type", patchStrategy: "merge" },
  "V1PodStatus.conditions": { patchMergeKey: "type", patchStrategy: "merge" },
  "V1NodeStatus.conditions": { patchMergeKey: "type", patchStrategy: "merge" },
  "V1NodeStatus.addresses": { patchMergeKey: "type", patchStrategy: "merge" },
  "V1NamespaceStatus.conditions": { patchMergeKey: "type", patchStrategy: "merge" },
  "V1NodeSpec.podCIDRs": { patchStrategy: "merge" },
};

export function patchKeyOf(model: string, field: string): { patchMergeKey?: string; patchStrategy?: string } {
  return keys[`${model}.${field}`] ?? {};
}
