// The OpenAPI documents the API server publishes: /openapi/v2 (one Swagger 2.0 document) and /openapi/v3
// (an index of group versions, one OpenAPI 3.0 document each). kubectl reads v3 to validate (the PATCH
// operations' fieldValidation parameter tells it the server validates), to build apply's strategic merge
// patches and for `kubectl explain`.
import { type ResourceDef, resources, type ServedFilter } from "../resources.ts";
import { closure, definitionName, type FieldSchema, type ModelSchema } from "./modelSchemas.ts";

type Json = Record<string, unknown>;

function schemaJson(field: FieldSchema, refPrefix: string): Json {
  const out: Json = {};
  if (field.ref) out.$ref = `${refPrefix}${definitionName(field.ref)}`;
  if (field.type) out.type = field.type;
  if (field.format) out.format = field.format;
  if (field.items) out.items = schemaJson(field.items, refPrefix);
  if (field.additionalProperties)
    out.additionalProperties = schemaJson(field.additionalProperties, refPrefix);
  if (field.anything) out["x-kubernetes-preserve-unknown-fields"] = true;
  if (field.patchMergeKey) out["x-kubernetes-patch-merge-key"] = field.patchMergeKey;
  if (field.patchStrategy) out["x-kubernetes-patch-strategy"] = field.patchStrategy;
  return out;
}

function definitionJson(model: ModelSchema, kinds: ResourceDef[], refPrefix: string): Json {
  if (model.scalar) return schemaJson(model.scalar, refPrefix);
  const properties: Json = {};
  for (const [name, field] of model.properties) properties[name] = schemaJson(field, refPrefix);
  const gvks = kinds
    .filter((def) => def.model === model.model)
    .map((def) => ({ group: def.group, kind: def.kind, version: def.version }));
  return {
    type: "object",
    properties,
    ...(gvks.length ? { "x-kubernetes-group-version-kind": gvks } : {}),
  };
}

function definitions(defs: ResourceDef[], refPrefix: string): Json {
  const out: Json = {};
  for (const model of closure(defs.map((d) => d.model))) {
    out[definitionName(model.model)] = definitionJson(model, defs, refPrefix);
  }
  return out;
}

function basePath(def: ResourceDef): string {
  return def.group === "" ? `/api/${def.version}` : `/apis/${def.group}/${def.version}`;
}

const writeParams = ["dryRun", "fieldManager", "fieldValidation"];

interface Operation {
  method: "get" | "post" | "put" | "patch" | "delete";
  action: string;
  verb: string;
  params: string[];
}

function operations(def: ResourceDef, item: boolean): Operation[] {
  const ops: Operation[] = [];
  const has = (verb: string) => def.verbs.includes(verb);
  if (item) {
    if (has("get")) ops.push({ method: "get", action: "get", verb: "get", params: [] });
    if (has("update")) ops.push({ method: "put", action: "put", verb: "update", params: writeParams });
    if (has("patch"))
      ops.push({ method: "patch", action: "patch", verb: "patch", params: [...writeParams, "force"] });
    if (has("delete"))
      ops.push({
        method: "delete",
        action: "delete",
        verb: "delete",
        params: ["dryRun", "gracePeriodSeconds", "propagationPolicy"],
      });
  } else {
    if (has("list"))
      ops.push({
        method: "get",
        action: "list",
        verb: "list",
        params: ["labelSelector", "fieldSelector", "limit", "continue", "resourceVersion", "watch"],
      });
    if (has("create")) ops.push({ method: "post", action: "post", verb: "create", params: writeParams });
  }
  return ops;
}

const patchTypes = [
  "application/apply-patch+yaml",
  "application/json-patch+json",
  "application/merge-patch+json",
  "application/strategic-merge-patch+json",
];

function paths(defs: ResourceDef[], v3: boolean, refPrefix: string): Json {
  const out: Json = {};
  for (const def of defs) {
    const ref = { $ref: `${refPrefix}${definitionName(def.model)}` };
    const collection = def.namespaced
      ? `${basePath(def)}/namespaces/{namespace}/${def.name}`
      : `${basePath(def)}/${def.name}`;
    for (const [path, item] of [
      [collection, false],
      [`${collection}/{name}`, true],
    ] as const) {
      const pathItem: Json = {};
      const pathParams = [...(def.namespaced ? ["namespace"] : []), ...(item ? ["name"] : [])].map((name) =>
        v3
          ? { name, in: "path", required: true, schema: { type: "string" } }
          : { name, in: "path", required: true, type: "string" },
      );
      if (pathParams.length) pathItem.parameters = pathParams;
      for (const op of operations(def, item)) {
        const body = op.method === "post" || op.method === "put" || op.method === "patch";
        const contentTypes = op.method === "patch" ? patchTypes : ["application/json"];
        const operation: Json = {
          operationId: `${op.verb}${def.namespaced ? "Namespaced" : ""}${def.kind}`,
          parameters: op.params.map((name) =>
            v3
              ? { name, in: "query", schema: { type: "string" }, uniqueItems: true }
              : { name, in: "query", type: "string", uniqueItems: true },
          ),
          responses: v3
            ? { "200": { description: "OK", content: { "application/json": { schema: ref } } } }
            : { "200": { description: "OK", schema: ref } },
          "x-kubernetes-action": op.action,
          "x-kubernetes-group-version-kind": { group: def.group, kind: def.kind, version: def.version },
        };
        if (body && v3) {
          operation.requestBody = {
            content: Object.fromEntries(
              contentTypes.map((t) => [t, { schema: op.method === "patch" ? { type: "object" } : ref }]),
            ),
            required: true,
          };
        } else if (body) {
          (operation.parameters as Json[]).push({
            name: "body",
            in: "body",
            required: true,
            schema: op.method === "patch" ? { type: "object" } : ref,
          });
          if (op.method === "patch") operation.consumes = patchTypes;
        }
        pathItem[op.method] = operation;
      }
      out[path] = pathItem;
    }
  }
  return out;
}

function servedDefs(served: ServedFilter): ResourceDef[] {
  return resources.filter(served);
}

/** The group-version key of a v3 document: "api/v1", "apis/apps/v1". */
export function v3Key(def: ResourceDef): string {
  return def.group === "" ? `api/${def.version}` : `apis/${def.group}/${def.version}`;
}

/** /openapi/v3: where each group version's document is; the hash changes when the served kinds do. */
export function openApiV3Index(served: ServedFilter) {
  const keys = [...new Set(servedDefs(served).map(v3Key))];
  const hash = (key: string) =>
    Buffer.from(
      servedDefs(served)
        .filter((d) => v3Key(d) === key)
        .map((d) => d.name)
        .join(","),
    )
      .toString("hex")
      .slice(0, 32);
  return {
    paths: Object.fromEntries(
      keys.map((k) => [k, { serverRelativeURL: `/openapi/v3/${k}?hash=${hash(k)}` }]),
    ),
  };
}

/** /openapi/v3/<key>: one group version's paths and schemas; null when not served. */
export function openApiV3Document(key: string, served: ServedFilter): Json | null {
  const defs = servedDefs(served).filter((d) => v3Key(d) === key);
  if (defs.length === 0) return null;
  const refPrefix = "#/components/schemas/";
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: "v1.31.4" },
    paths: paths(defs, true, refPrefix),
    components: { schemas: definitions(defs, refPrefix) },
  };
}

/** /openapi/v2: every served kind in one Swagger 2.0 document. */
export function openApiV2Document(served: ServedFilter): Json {
  const defs = servedDefs(served);
  const refPrefix = "#/definitions/";
  return {
    swagger: "2.0",
    info: { title: "Kubernetes", version: "v1.31.4" },
    paths: paths(defs, false, refPrefix),
    definitions: definitions(defs, refPrefix),
  };
}
