// Create, replace, patch and delete of whole objects, as the API server's generic registry does them:
// decode (with server-side field validation), defaults, admission (LimitRanger), validation, then store.
// Controllers react to the stored change; the garbage collector removes dependents of deleted owners.
import { admitPod } from "./admission.ts";
import { applyDefaults } from "./defaults.ts";
import {
  applyManagedFields,
  type ManagedFieldsEntry,
  managerName,
  removeFields,
  updateManagedFields,
} from "./fieldManagers.ts";
import { unknownFields } from "./fieldValidation.ts";
import { modelSchema } from "./openapi/modelSchemas.ts";
import { jsonPatch, mergePatch, PatchError, strategicMergePatch } from "./patch.ts";
import { deletePod } from "./podDeletion.ts";
import { goBool } from "./query.ts";
import { groupVersion, type ResourceDef, resourceDef } from "./resources.ts";
import { allocateService } from "./serviceAllocation.ts";
import { ApiError, badRequest, notFound } from "./status.ts";
import { kubeTime, type ObjectStore, StoreError } from "./store.ts";
import type { KubeObject, NewObject } from "./types.ts";
import { invalidError, validationErrors } from "./validation.ts";

// biome-ignore lint/suspicious/noExplicitAny: wire objects are open-ended JSON
type Json = any;

export interface WriteResult {
  status: number;
  object: KubeObject;
  warnings: string[];
}

export interface WriteRequest {
  def: ResourceDef;
  namespace: string | undefined;
  params: URLSearchParams;
  /** The client's User-Agent: names the field manager when the request gives no fieldManager. */
  userAgent?: string;
}

/** The managedFields an object gets from a write (fieldManagers.ts), given the object about to be stored. */
type Ownership = (next: Json) => ManagedFieldsEntry[];

/** Ownership for a create, update or patch: an Update entry for the request's manager. */
function updateOwnership(store: ObjectStore, req: WriteRequest, current: KubeObject | null): Ownership {
  const writer = { manager: managerName(req.params, req.userAgent), operation: "Update" as const };
  return (next) => updateManagedFields(current, next, req.def.model, writer, kubeTime(store.clock.now()));
}

/** Kinds whose status only controllers write: a create or update from a client leaves it alone. */
const statusByController = new Set([
  "deployments",
  "daemonsets",
  "replicasets",
  "pods",
  "services",
  "namespaces",
  "nodes",
]);
/** Kinds whose generation counts spec changes. */
const withGeneration = new Set(["deployments", "daemonsets", "replicasets"]);
/** Namespaces an EKS cluster's API server refuses to delete. */
const protectedNamespaces = new Set(["default", "kube-system", "kube-public"]);

function parseBody(body: string): Json {
  try {
    return JSON.parse(body);
  } catch (err) {
    throw badRequest(`json: ${(err as Error).message}`);
  }
}

function kindLabel(def: ResourceDef): string {
  return def.group === "" ? def.name : `${def.name}.${def.group}`;
}

function conflict(def: ResourceDef, name: string): ApiError {
  return new ApiError(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${kindLabel(def)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, ...(def.group ? { group: def.group } : {}), kind: def.name },
  );
}

function validationDirective(params: URLSearchParams): "Strict" | "Warn" | "Ignore" {
  const v = params.get("fieldValidation") ?? "Warn";
  if (v !== "Strict" && v !== "Warn" && v !== "Ignore") {
    throw badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", got "${v}"`);
  }
  return v;
}

/** Unknown fields: an error (Strict) or warnings (Warn). `prefixed`: create/update's decode wording. */
function checkFields(def: ResourceDef, obj: Json, params: URLSearchParams, prefixed: boolean): string[] {
  const directive = validationDirective(params);
  if (directive === "Ignore") return [];
  const unknown = unknownFields(obj, def.model).map((p) => `unknown field "${p}"`);
  if (unknown.length === 0) return [];
  if (directive === "Warn") return unknown;
  const strict = `strict decoding error: ${unknown.join(", ")}`;
  throw badRequest(
    prefixed
      ? `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: ${strict}`
      : strict,
  );
}

function checkType(def: ResourceDef, obj: Json): void {
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) {
    throw badRequest(`the object provided is unrecognized (must be of type ${def.kind})`);
  }
  const gv = groupVersion(def);
  if (obj.apiVersion !== undefined && obj.apiVersion !== gv) {
    throw badRequest(
      `the API version in the data (${obj.apiVersion}) does not match the expected API version (${gv})`,
    );
  }
  if (obj.kind !== undefined && obj.kind !== def.kind) {
    throw badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${def.kind})`);
  }
}

function namespaceReady(
  store: ObjectStore,
  def: ResourceDef,
  namespace: string | undefined,
  name: string,
): void {
  if (!def.namespaced || namespace === undefined) return;
  const ns = store.get("namespaces", undefined, namespace);
  if (!ns) throw notFound(resourceDef("namespaces"), namespace);
  if (ns.metadata.deletionTimestamp) {
    throw new ApiError(
      403,
      "Forbidden",
      `${kindLabel(def)} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
    );
  }
}

function isDryRun(params: URLSearchParams): boolean {
  return params.getAll("dryRun").includes("All");
}

function prepareNew(store: ObjectStore, req: WriteRequest, obj: Json): Json {
  const { def, namespace } = req;
  obj.apiVersion = groupVersion(def);
  obj.kind = def.kind;
  obj.metadata = typeof obj.metadata === "object" && obj.metadata !== null ? obj.metadata : {};
  const meta = obj.metadata;
  if (def.namespaced) {
    if (meta.namespace !== undefined && meta.namespace !== "" && meta.namespace !== namespace) {
      throw badRequest(
        "the namespace of the provided object does not match the namespace sent on the request",
      );
    }
    meta.namespace = namespace;
  } else delete meta.namespace;
  for (const field of ["uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "selfLink"])
    delete meta[field];
  if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${store.random.hex(5)}`;
  if (withGeneration.has(def.name)) meta.generation = 1;
  if (statusByController.has(def.name)) obj.status = {};
  applyDefaults(def.name, obj);
  if (def.name === "pods") admitPod(store, obj);
  if (def.name === "services") allocateService(store, obj);
  const errs = validationErrors(def, obj);
  if (errs.length) throw invalidError(def, meta.name ?? "", errs);
  return obj;
}

function storeNew(store: ObjectStore, def: ResourceDef, obj: Json, dryRun: boolean): KubeObject {
  if (store.get(def.name, obj.metadata.namespace, obj.metadata.name)) {
    throw new ApiError(409, "AlreadyExists", `${kindLabel(def)} "${obj.metadata.name}" already exists`, {
      name: obj.metadata.name,
      ...(def.group ? { group: def.group } : {}),
      kind: def.name,
    });
  }
  if (dryRun) {
    return {
      ...obj,
      metadata: {
        ...obj.metadata,
        uid: "",
        resourceVersion: "",
        creationTimestamp: kubeTime(store.clock.now()),
      },
    };
  }
  return store.create(def.name, obj as NewObject);
}

export function createObject(store: ObjectStore, req: WriteRequest, body: string): WriteResult {
  const obj = parseBody(body);
  checkType(req.def, obj);
  const warnings = checkFields(req.def, obj, req.params, true);
  namespaceReady(store, req.def, req.namespace, obj.metadata?.name ?? "");
  const prepared = prepareNew(store, req, obj);
  prepared.metadata.managedFields = updateOwnership(store, req, null)(prepared);
  return { status: 201, object: storeNew(store, req.def, prepared, isDryRun(req.params)), warnings };
}

/** The next version of `current`: client fields from `next`, server-owned fields kept, then validated. */
function replaceWith(
  store: ObjectStore,
  def: ResourceDef,
  current: KubeObject,
  next: Json,
  dryRun: boolean,
  ownership: Ownership,
): KubeObject {
  next.apiVersion = current.apiVersion;
  next.kind = current.kind;
  next.metadata = {
    ...next.metadata,
    name: current.metadata.name,
    ...(current.metadata.namespace !== undefined ? { namespace: current.metadata.namespace } : {}),
    uid: current.metadata.uid,
    creationTimestamp: current.metadata.creationTimestamp,
    ...(current.metadata.deletionTimestamp ? { deletionTimestamp: current.metadata.deletionTimestamp } : {}),
    ...(current.metadata.generateName ? { generateName: current.metadata.generateName } : {}),
  };
  if (statusByController.has(def.name)) next.status = current.status;
  applyDefaults(def.name, next);
  if (def.name === "services") allocateService(store, next, current);
  const errs = validationErrors(def, next, current);
  if (errs.length) throw invalidError(def, current.metadata.name, errs);
  next.metadata.managedFields = ownership(next);
  if (next.metadata.managedFields.length === 0) delete next.metadata.managedFields;
  const specChanged = JSON.stringify(next.spec) !== JSON.stringify(current.spec);
  if (withGeneration.has(def.name)) {
    next.metadata.generation = (current.metadata.generation ?? 1) + (specChanged ? 1 : 0);
  }
  delete next.metadata.resourceVersion;
  if (
    JSON.stringify({ ...next, metadata: { ...next.metadata, resourceVersion: "" } }) ===
    JSON.stringify({ ...current, metadata: { ...current.metadata, resourceVersion: "" } })
  ) {
    return current;
  }
  if (dryRun)
    return { ...next, metadata: { ...next.metadata, resourceVersion: current.metadata.resourceVersion } };
  return store.update(def.name, current.metadata.namespace, current.metadata.name, (draft) => {
    for (const key of Object.keys(draft)) delete draft[key];
    Object.assign(draft, next);
  });
}

function existing(
  store: ObjectStore,
  def: ResourceDef,
  namespace: string | undefined,
  name: string,
): KubeObject {
  const current = store.get(def.name, namespace, name);
  if (!current) throw notFound(def, name);
  return current;
}

export function replaceObject(
  store: ObjectStore,
  req: WriteRequest,
  name: string,
  body: string,
): WriteResult {
  const obj = parseBody(body);
  checkType(req.def, obj);
  const warnings = checkFields(req.def, obj, req.params, true);
  if (obj.metadata?.name !== undefined && obj.metadata.name !== name) {
    throw badRequest(
      `the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`,
    );
  }
  const current = existing(store, req.def, req.namespace, name);
  const rv = obj.metadata?.resourceVersion;
  if (rv !== undefined && rv !== "" && rv !== current.metadata.resourceVersion) throw conflict(req.def, name);
  const object = replaceWith(
    store,
    req.def,
    current,
    obj,
    isDryRun(req.params),
    updateOwnership(store, req, current),
  );
  return { status: 200, object, warnings };
}

/** PatchOptions the API server refuses (422), worded as its field.ErrorList. */
function invalidPatchOptions(field: string, reason: string, message: string): ApiError {
  return new ApiError(422, "Invalid", `PatchOptions.meta.k8s.io "" is invalid: ${field}: ${message}`, {
    group: "meta.k8s.io",
    kind: "PatchOptions",
    causes: [{ reason, message, field }],
  });
}

const patchTypes = [
  "application/json-patch+json",
  "application/merge-patch+json",
  "application/strategic-merge-patch+json",
  "application/apply-patch+yaml",
];

export function patchObject(
  store: ObjectStore,
  req: WriteRequest,
  name: string,
  contentType: string | undefined,
  body: string,
): WriteResult {
  const { def } = req;
  const type = (contentType ?? "").split(";")[0]?.trim() ?? "";
  const accepted = def.crd ? patchTypes.filter((t) => !t.includes("strategic")) : patchTypes;
  if (!accepted.includes(type)) {
    throw new ApiError(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(", ")}`,
    );
  }
  const patch = parseBody(body);
  const current = store.get(def.name, req.namespace, name);
  if (type === "application/apply-patch+yaml") {
    checkType(def, patch);
    if (patch.metadata?.name !== undefined && patch.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${patch.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    const warnings = checkFields(def, patch, req.params, false);
    const manager = req.params.get("fieldManager");
    if (!manager)
      throw invalidPatchOptions(
        "fieldManager",
        "FieldValueRequired",
        "Required value: is required for apply patch",
      );
    const force = goBool(req.params, "force");
    const time = kubeTime(store.clock.now());
    const config = { ...patch, apiVersion: groupVersion(def) };
    const writer = { manager, operation: "Apply" as const };
    const owners = applyManagedFields(current ?? null, config, def.model, writer, force, time);
    if (!current) {
      namespaceReady(store, def, req.namespace, name);
      const obj = prepareNew(store, req, {
        ...structuredClone(patch),
        metadata: { ...patch.metadata, name },
      });
      obj.metadata.managedFields = owners.managedFields;
      return { status: 201, object: storeNew(store, def, obj, isDryRun(req.params)), warnings };
    }
    // Fields this applier dropped from its configuration, and no one else owns, go (then defaults refill).
    const next = structuredClone(strategicMergePatch(current, patch, modelSchema(def.model)));
    removeFields(next, owners.prune);
    return {
      status: 200,
      object: replaceWith(store, def, current, next, isDryRun(req.params), () => owners.managedFields),
      warnings,
    };
  }
  if (req.params.has("force")) {
    throw invalidPatchOptions(
      "force",
      "FieldValueForbidden",
      "Forbidden: may not be specified for non-apply patch",
    );
  }
  if (!current) throw notFound(def, name);
  let next: Json;
  try {
    if (type === "application/json-patch+json") next = jsonPatch(current, patch);
    else if (type === "application/merge-patch+json") next = mergePatch(current, patch);
    else next = strategicMergePatch(current, patch, modelSchema(def.model));
  } catch (err) {
    if (err instanceof PatchError) throw new ApiError(422, "Invalid", err.message);
    throw err;
  }
  const warnings = checkFields(def, next, req.params, false);
  const rv = patch?.metadata?.resourceVersion;
  if (typeof rv === "string" && rv !== current.metadata.resourceVersion) throw conflict(def, name);
  return {
    status: 200,
    object: replaceWith(
      store,
      def,
      current,
      next,
      isDryRun(req.params),
      updateOwnership(store, req, current),
    ),
    warnings,
  };
}

function deleteOptions(body: string): Json {
  if (body.trim() === "") return {};
  const parsed = parseBody(body);
  if (typeof parsed !== "object" || parsed === null)
    throw badRequest("the request body is not a DeleteOptions JSON object");
  return parsed;
}

export function deleteObject(store: ObjectStore, req: WriteRequest, name: string, body: string): WriteResult {
  const { def, namespace, params } = req;
  const dryRun = isDryRun(params);
  if (def.name === "pods") {
    const grace = params.get("gracePeriodSeconds");
    return {
      status: 200,
      object: deletePod(store, namespace as string, name, body, grace, dryRun),
      warnings: [],
    };
  }
  const options = deleteOptions(body);
  const current = existing(store, def, namespace, name);
  const pre = options.preconditions;
  if (
    (pre?.uid && pre.uid !== current.metadata.uid) ||
    (pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion)
  ) {
    throw conflict(def, name);
  }
  if (def.name === "namespaces") {
    if (protectedNamespaces.has(name)) {
      throw new ApiError(
        403,
        "Forbidden",
        `namespaces "${name}" is forbidden: this namespace may not be deleted`,
        {
          name,
          kind: "namespaces",
        },
      );
    }
    if (dryRun || current.metadata.deletionTimestamp) return { status: 200, object: current, warnings: [] };
    // The namespace controller empties it, then removes it (controllers/garbageCollector.ts).
    const object = store.update("namespaces", undefined, name, (ns) => {
      ns.metadata.deletionTimestamp = kubeTime(store.clock.now());
      ns.status = { ...ns.status, phase: "Terminating" };
    });
    return { status: 200, object, warnings: [] };
  }
  if (dryRun) return { status: 200, object: current, warnings: [] };
  const policy = options.propagationPolicy ?? params.get("propagationPolicy") ?? "Background";
  if (policy === "Orphan") orphanDependents(store, current.metadata.uid);
  try {
    return { status: 200, object: store.remove(def.name, namespace, name), warnings: [] };
  } catch (err) {
    if (err instanceof StoreError) throw notFound(def, name);
    throw err;
  }
}

function orphanDependents(store: ObjectStore, uid: string): void {
  for (const resource of ["replicasets", "pods"]) {
    for (const obj of [...store.all(resource)]) {
      if (!obj.metadata.ownerReferences?.some((r) => r.uid === uid)) continue;
      store.update(resource, obj.metadata.namespace, obj.metadata.name, (o) => {
        o.metadata.ownerReferences = o.metadata.ownerReferences?.filter((r) => r.uid !== uid);
        if (o.metadata.ownerReferences?.length === 0) delete o.metadata.ownerReferences;
      });
    }
  }
}
