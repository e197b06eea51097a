// Schemas of the built-in kinds, read from the typed models of @kubernetes/client-node (generated from the
// API server's own OpenAPI document): every field, its type and format. The simulator serves them as
// OpenAPI v2 and v3 and checks request bodies against them (fieldValidation=Strict). What the models do not
// carry, the strategic-merge keys, is listed in patchKeys.ts from the API's Go struct tags.
import * as models from "@kubernetes/client-node";
import { crdDefinitionName, crdModels } from "./crdSchemas.ts";
import { patchKeyOf } from "./patchKeys.ts";

interface Attribute {
  name: string;
  baseName: string;
  type: string;
  format: string;
}

/** A schema in the shape both OpenAPI versions share; `$ref` names a definition by its model name. */
export interface FieldSchema {
  type?: "string" | "integer" | "number" | "boolean" | "object" | "array";
  format?: string;
  ref?: string;
  items?: FieldSchema;
  additionalProperties?: FieldSchema;
  /** Any JSON (RawExtension, JSONSchemaProps fields). */
  anything?: boolean;
  patchMergeKey?: string;
  patchStrategy?: string;
}

export interface ModelSchema {
  model: string;
  /** The kind's (or type's) own scalar form: Time, Quantity, IntOrString. */
  scalar?: FieldSchema;
  properties: Map<string, FieldSchema>;
}

const modelTable = models as unknown as Record<string, { attributeTypeMap?: Attribute[] } | undefined>;

// Types the models spell as plain strings or maps of strings but the API names: resource quantities.
const quantityMaps = new Set([
  "V1ResourceRequirements.limits",
  "V1ResourceRequirements.requests",
  "V1NodeStatus.capacity",
  "V1NodeStatus.allocatable",
  "V1LimitRangeItem.default",
  "V1LimitRangeItem.defaultRequest",
  "V1LimitRangeItem.max",
  "V1LimitRangeItem.min",
  "V1LimitRangeItem.maxLimitRequestRatio",
  "V1ResourceQuotaSpec.hard",
  "V1ResourceQuotaStatus.hard",
  "V1ResourceQuotaStatus.used",
  "V1PodStatus.allocatedResources",
]);

export const scalarModels: Record<string, FieldSchema> = {
  Time: { type: "string", format: "date-time" },
  MicroTime: { type: "string", format: "date-time" },
  Quantity: { type: "string" },
  IntOrString: { type: "string", format: "int-or-string" },
};

function fieldType(owner: string, attr: Attribute, type: string = attr.type): FieldSchema {
  if (type.startsWith("Array<") && type.endsWith(">")) {
    return { type: "array", items: fieldType(owner, attr, type.slice(6, -1)) };
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    const value = quantityMaps.has(`${owner}.${attr.baseName}`)
      ? { ref: "Quantity" }
      : fieldType(owner, attr, map[1] as string);
    return { type: "object", additionalProperties: value };
  }
  switch (type) {
    case "string":
      return attr.format === "byte" ? { type: "string", format: "byte" } : { type: "string" };
    case "number":
      return attr.format === "double"
        ? { type: "number", format: "double" }
        : { type: "integer", format: attr.format || "int32" };
    case "boolean":
      return { type: "boolean" };
    case "Date":
      return { ref: attr.format === "date-time-micro" ? "MicroTime" : "Time" };
    case "IntOrString":
      return { ref: "IntOrString" };
    case "any":
      return { anything: true };
    default:
      return modelTable[type]?.attributeTypeMap || crdModels[type] ? { ref: type } : { anything: true };
  }
}

const cache = new Map<string, ModelSchema | null>();

/** One model's schema, or null when the client models have no such type. */
export function modelSchema(model: string): ModelSchema | null {
  const hit = cache.get(model);
  if (hit !== undefined) return hit;
  const scalar = scalarModels[model];
  let schema: ModelSchema | null = crdModels[model] ?? null;
  if (!schema && scalar) schema = { model, scalar, properties: new Map() };
  else if (!schema) {
    const attrs = modelTable[model]?.attributeTypeMap;
    if (attrs) {
      const properties = new Map<string, FieldSchema>();
      for (const attr of attrs) {
        properties.set(attr.baseName, { ...fieldType(model, attr), ...patchKeyOf(model, attr.baseName) });
      }
      schema = { model, properties };
    }
  }
  cache.set(model, schema);
  return schema;
}

/** Every model reachable from the given ones, each once. */
export function closure(roots: readonly string[]): ModelSchema[] {
  const seen = new Map<string, ModelSchema>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    const schema = modelSchema(name);
    if (!schema) return;
    seen.set(name, schema);
    for (const field of schema.properties.values()) walkRefs(field, visit);
  };
  for (const root of roots) visit(root);
  return [...seen.values()];
}

function walkRefs(field: FieldSchema, visit: (name: string) => void): void {
  if (field.ref) visit(field.ref);
  if (field.items) walkRefs(field.items, visit);
  if (field.additionalProperties) walkRefs(field.additionalProperties, visit);
}

const metaModels = new Set([
  "ObjectMeta",
  "ListMeta",
  "LabelSelector",
  "LabelSelectorRequirement",
  "OwnerReference",
  "ManagedFieldsEntry",
  "Condition",
  "Time",
  "MicroTime",
  "Status",
  "StatusDetails",
  "StatusCause",
  "DeleteOptions",
  "Preconditions",
]);
const appsModel = /^(Deployment|DaemonSet|ReplicaSet|StatefulSet|ControllerRevision|RollingUpdate)/;

/** The definition name the API server gives a model: io.k8s.api.apps.v1.Deployment, io.k8s.apimachinery... */
export function definitionName(model: string): string {
  if (model === "Quantity") return "io.k8s.apimachinery.pkg.api.resource.Quantity";
  if (model === "IntOrString") return "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
  if (model === "Time" || model === "MicroTime") return `io.k8s.apimachinery.pkg.apis.meta.v1.${model}`;
  const crd = crdDefinitionName(model);
  if (crd) return crd;
  const m = /^(?:CoreV1|V1)(.+)$/.exec(model);
  if (!m) return model;
  const name = m[1] as string;
  if (metaModels.has(name)) return `io.k8s.apimachinery.pkg.apis.meta.v1.${name}`;
  if (appsModel.test(name)) return `io.k8s.api.apps.v1.${name}`;
  if (name.startsWith("Lease")) return `io.k8s.api.coordination.v1.${name}`;
  return `io.k8s.api.core.v1.${name}`;
}
