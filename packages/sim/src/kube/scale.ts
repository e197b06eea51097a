// The scale subresource of deployments (autoscaling/v1 Scale): what `kubectl scale` reads and patches.

import { updateManagedFields } from "./fieldManagers.ts";
import { resourceDef } from "./resources.ts";
import { ApiError, badRequest, invalid, notFound } from "./status.ts";
import { kubeTime, type ObjectStore } from "./store.ts";
import type { KubeObject } from "./types.ts";

function scaleOf(d: KubeObject) {
  const labels: Record<string, string> = d.spec?.selector?.matchLabels ?? {};
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: {
      name: d.metadata.name,
      namespace: d.metadata.namespace,
      uid: d.metadata.uid,
      resourceVersion: d.metadata.resourceVersion,
      creationTimestamp: d.metadata.creationTimestamp,
    },
    spec: { replicas: d.spec?.replicas ?? 0 },
    status: {
      replicas: d.status?.replicas ?? 0,
      selector: Object.entries(labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(","),
    },
  };
}

function deployment(store: ObjectStore, namespace: string, name: string): KubeObject {
  const d = store.get("deployments", namespace, name);
  if (!d) throw notFound(resourceDef("deployments"), name);
  return d;
}

export function getScale(store: ObjectStore, namespace: string, name: string) {
  return scaleOf(deployment(store, namespace, name));
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw badRequest("the request body is not valid JSON");
  }
}

/** The requested replicas and resourceVersion precondition from a PUT Scale or a PATCH of any JSON kind. */
function requested(
  method: string,
  contentType: string | undefined,
  body: string,
): { replicas: unknown; rv?: string } {
  const type = (contentType ?? "application/json").split(";")[0]?.trim();
  if (
    method === "PATCH" &&
    type !== "application/json-patch+json" &&
    type !== "application/merge-patch+json" &&
    type !== "application/strategic-merge-patch+json"
  ) {
    throw new ApiError(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`,
    );
  }
  const doc = parseJson(body);
  if (method === "PATCH" && type === "application/json-patch+json") {
    if (!Array.isArray(doc)) throw badRequest("a JSON patch must be a list of operations");
    const op = doc.find((o) => o && o.path === "/spec/replicas" && (o.op === "replace" || o.op === "add"));
    if (!op)
      throw badRequest("the JSON patch changes nothing the scale subresource has: patch /spec/replicas");
    return { replicas: op.value };
  }
  const scale = doc as { spec?: { replicas?: unknown }; metadata?: { resourceVersion?: string } } | null;
  if (typeof scale !== "object" || scale === null)
    throw badRequest("the request body must be a Scale object");
  return { replicas: scale.spec?.replicas, rv: scale.metadata?.resourceVersion };
}

export function updateScale(
  store: ObjectStore,
  namespace: string,
  name: string,
  method: string,
  contentType: string | undefined,
  body: string,
  dryRun: boolean,
  manager: string,
) {
  const current = deployment(store, namespace, name);
  const { replicas, rv } = requested(method, contentType, body);
  if (rv && rv !== current.metadata.resourceVersion) {
    throw new ApiError(
      409,
      "Conflict",
      `Operation cannot be fulfilled on deployments.apps "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    );
  }
  if (method === "PUT" && replicas === undefined) {
    throw invalid("Scale.autoscaling", name, "spec.replicas", "Required value");
  }
  if (replicas === undefined) return scaleOf(current);
  if (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0) {
    throw invalid(
      "Scale.autoscaling",
      name,
      "spec.replicas",
      `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
    );
  }
  if (dryRun || replicas === current.spec?.replicas)
    return scaleOf({ ...current, spec: { ...current.spec, replicas } });
  // The scale subresource's writer owns spec.replicas under an Update entry with subresource "scale".
  const managedFields = updateManagedFields(
    current,
    { ...current, spec: { ...current.spec, replicas } },
    resourceDef("deployments").model,
    { manager, operation: "Update", subresource: "scale" },
    kubeTime(store.clock.now()),
  );
  const updated = store.update("deployments", namespace, name, (d) => {
    d.spec.replicas = replicas;
    d.metadata.managedFields = managedFields;
    d.metadata.generation = (d.metadata.generation ?? 1) + 1;
  });
  return scaleOf(updated);
}
