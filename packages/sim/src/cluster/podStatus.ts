// Pod statuses as the kubelet reports them: ContainerCreating while the sandbox waits for an IP, then
// Running with podIP/podIPs. Shared by the kubelets and the large scenario, which builds pods already running.
import type { SimRandom } from "../contracts.ts";
import type { KubeObject } from "../kube/types.ts";

function containers(pod: KubeObject): { name: string; image: string }[] {
  return pod.spec?.containers ?? [];
}

function scheduledCondition(pod: KubeObject, now: string) {
  return (
    (pod.status?.conditions ?? []).find((c: { type: string }) => c.type === "PodScheduled") ?? {
      type: "PodScheduled",
      status: "True",
      lastProbeTime: null,
      lastTransitionTime: now,
    }
  );
}

export function containerCreatingStatus(pod: KubeObject, nodeIp: string, now: string) {
  const names = containers(pod).map((c) => c.name);
  const notReady = {
    status: "False",
    lastProbeTime: null,
    lastTransitionTime: now,
    reason: "ContainersNotReady",
    message: `containers with unready status: [${names.join(" ")}]`,
  };
  return {
    phase: "Pending",
    conditions: [
      { type: "PodReadyToStartContainers", status: "False", lastProbeTime: null, lastTransitionTime: now },
      { type: "Initialized", status: "True", lastProbeTime: null, lastTransitionTime: now },
      { type: "Ready", ...notReady },
      { type: "ContainersReady", ...notReady },
      scheduledCondition(pod, now),
    ],
    hostIP: nodeIp,
    hostIPs: [{ ip: nodeIp }],
    startTime: now,
    containerStatuses: containers(pod).map((c) => ({
      name: c.name,
      image: c.image,
      imageID: "",
      ready: false,
      restartCount: 0,
      started: false,
      state: { waiting: { reason: "ContainerCreating" } },
      lastState: {},
    })),
    qosClass: pod.status?.qosClass ?? "BestEffort",
  };
}

export function runningStatus(
  pod: KubeObject,
  nodeIp: string,
  podIp: string,
  now: string,
  random: SimRandom,
) {
  const conditions = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady"].map((type) => ({
    type,
    status: "True",
    lastProbeTime: null,
    lastTransitionTime: now,
  }));
  return {
    phase: "Running",
    conditions: [...conditions, scheduledCondition(pod, now)],
    hostIP: nodeIp,
    hostIPs: [{ ip: nodeIp }],
    podIP: podIp,
    podIPs: [{ ip: podIp }],
    startTime: pod.status?.startTime ?? now,
    containerStatuses: containers(pod).map((c) => ({
      name: c.name,
      image: c.image,
      imageID: `${c.image.split(":")[0]}@sha256:${random.hex(64)}`,
      containerID: `containerd://${random.hex(64)}`,
      ready: true,
      restartCount: 0,
      started: true,
      state: { running: { startedAt: now } },
      lastState: {},
    })),
    qosClass: pod.status?.qosClass ?? "BestEffort",
  };
}
