// Pod statuses as the kubelet reports them: ContainerCreating while the sandbox waits for an IP, then
// Running with podIP/podIPs. Shared by the kubelets and the large scenario, which builds pods already running.
import { createHash } from "node:crypto";
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

/** A stable digest per image, as a registry gives one image one digest. */
function imageDigest(image: string): string {
  let digest = imageDigests.get(image);
  if (!digest) {
    digest = `${image.split(":")[0]}@sha256:${createHash("sha256").update(image).digest("hex")}`;
    imageDigests.set(image, digest);
  }
  return digest;
}
const imageDigests = new Map<string, string>();

// Pods that start in the same second share their (never modified) condition list and container state:
// a 150,000-pod cluster then holds far fewer objects for the garbage collector to trace.
let shared: { now: string; conditions: object[]; running: object } | null = null;
const noState = Object.freeze({});

function sharedParts(now: string) {
  if (shared?.now !== now) {
    const conditions = [
      "PodReadyToStartContainers",
      "Initialized",
      "Ready",
      "ContainersReady",
      "PodScheduled",
    ].map((type) => Object.freeze({ type, status: "True", lastProbeTime: null, lastTransitionTime: now }));
    shared = {
      now,
      conditions: Object.freeze(conditions) as object[],
      running: Object.freeze({ running: Object.freeze({ startedAt: now }) }),
    };
  }
  return shared;
}

let sandboxShared: { at: string; condition: object } | null = null;

function sandboxReady(at: string): object {
  if (sandboxShared?.at !== at)
    sandboxShared = {
      at,
      condition: Object.freeze({
        type: "PodReadyToStartContainers",
        status: "True",
        lastProbeTime: null,
        lastTransitionTime: at,
      }),
    };
  return sandboxShared.condition;
}

/** The pod's status once its containers run. `networkAt`: when its sandbox got its network (the IP from
 * IPAMD), which is when the kubelet turns PodReadyToStartContainers true, before it starts containers. */
export function runningStatus(
  pod: KubeObject,
  nodeIp: string,
  podIp: string,
  now: string,
  random: SimRandom,
  networkAt: string = now,
) {
  const parts = sharedParts(now);
  const scheduled = (pod.status?.conditions ?? []).find((c: { type: string }) => c.type === "PodScheduled");
  let conditions = scheduled ? [...parts.conditions.slice(0, 4), scheduled] : parts.conditions;
  if (networkAt !== now) conditions = [sandboxReady(networkAt), ...conditions.slice(1)];
  return {
    phase: "Running",
    conditions,
    hostIP: nodeIp,
    hostIPs: [{ ip: nodeIp }],
    podIP: podIp,
    podIPs: [{ ip: podIp }],
    startTime: pod.status?.startTime ?? now,
    containerStatuses: containers(pod).map((c) => ({
      name: c.name,
      image: c.image,
      imageID: imageDigest(c.image),
      containerID: `containerd://${random.hex(64)}`,
      ready: true,
      restartCount: 0,
      started: true,
      state: parts.running,
      lastState: noState,
    })),
    qosClass: pod.status?.qosClass ?? "BestEffort",
  };
}
