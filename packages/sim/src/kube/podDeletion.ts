// DELETE of a pod, graceful as the API server does it: a pod on a node gets a deletionTimestamp and
// stays (Terminating) until its kubelet has stopped it; an unscheduled pod, or grace period 0, goes now.

import { resourceDef } from "./resources.ts";
import { ApiError, badRequest, notFound } from "./status.ts";
import { kubeTime, type ObjectStore } from "./store.ts";
import type { KubeObject } from "./types.ts";

interface DeleteOptions {
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

function parseOptions(body: string): DeleteOptions {
  if (body.trim() === "") return {};
  try {
    const parsed = JSON.parse(body);
    if (typeof parsed === "object" && parsed !== null) return parsed;
  } catch {}
  throw badRequest("the request body is not a DeleteOptions JSON object");
}

export function deletePod(
  store: ObjectStore,
  namespace: string,
  name: string,
  body: string,
  graceParam: string | null,
  dryRun: boolean,
): KubeObject {
  const options = parseOptions(body);
  const pod = store.get("pods", namespace, name);
  if (!pod) throw notFound(resourceDef("pods"), name);
  const pre = options.preconditions;
  if (
    (pre?.uid && pre.uid !== pod.metadata.uid) ||
    (pre?.resourceVersion && pre.resourceVersion !== pod.metadata.resourceVersion)
  ) {
    throw new ApiError(
      409,
      "Conflict",
      `Operation cannot be fulfilled on pods "${name}": the object has been modified or precondition failed`,
    );
  }
  const raw = graceParam ?? options.gracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
  const grace = Number(raw);
  if (!Number.isInteger(grace) || grace < 0)
    throw badRequest(`gracePeriodSeconds: Invalid value: ${JSON.stringify(raw)}`);
  if (dryRun || pod.metadata.deletionTimestamp) return pod;
  const finished = pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
  if (!pod.spec?.nodeName || grace === 0 || finished) return store.remove("pods", namespace, name);
  return store.update("pods", namespace, name, (p) => {
    p.metadata.deletionTimestamp = kubeTime(store.clock.now() + grace * 1000);
    p.metadata.deletionGracePeriodSeconds = grace;
  });
}

/** POST pods/<name>/eviction (policy/v1 Eviction), what `kubectl drain` sends: a graceful delete, since
 * the simulator has no PodDisruptionBudgets to refuse it. */
export function evictPod(store: ObjectStore, namespace: string, name: string, body: string, dryRun: boolean) {
  let eviction: { kind?: string; metadata?: { name?: string }; deleteOptions?: DeleteOptions };
  try {
    eviction = JSON.parse(body);
  } catch {
    throw badRequest("the request body is not a policy/v1 Eviction JSON object");
  }
  if (typeof eviction !== "object" || eviction === null || eviction.kind !== "Eviction") {
    throw badRequest("the request body is not a policy/v1 Eviction JSON object");
  }
  if (eviction.metadata?.name !== name) {
    throw badRequest(
      `name in URL does not match name in Eviction object (${eviction.metadata?.name} vs ${name})`,
    );
  }
  deletePod(store, namespace, name, JSON.stringify(eviction.deleteOptions ?? {}), null, dryRun);
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 };
}
