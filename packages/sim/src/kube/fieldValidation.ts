// Server-side field validation (the fieldValidation query parameter kubectl sends): fields the kind's
// schema does not have are errors under Strict, warnings under Warn, as the API server's strict decoding
// reports them (`unknown field "spec.template.spec.containers[0].imagee"`).
import { type FieldSchema, type ModelSchema, modelSchema } from "./openapi/modelSchemas.ts";

function walk(value: unknown, schema: FieldSchema | undefined, path: string, out: string[]): void {
  if (!schema || schema.anything || value === null || value === undefined) return;
  if (schema.ref) {
    const model = modelSchema(schema.ref);
    if (model && !model.scalar) walkObject(value, model, path, out);
    return;
  }
  if (schema.items && Array.isArray(value)) {
    value.forEach((item, i) => {
      walk(item, schema.items, `${path}[${i}]`, out);
    });
  } else if (schema.additionalProperties && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) walk(v, schema.additionalProperties, `${path}.${k}`, out);
  }
}

function walkObject(value: unknown, model: ModelSchema, path: string, out: string[]): void {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return;
  for (const [key, v] of Object.entries(value)) {
    const field = model.properties.get(key);
    const at = path ? `${path}.${key}` : key;
    if (!field) out.push(at);
    else walk(v, field, at, out);
  }
}

/** Paths of the fields `obj` has that its model does not, in document order. */
export function unknownFields(obj: unknown, model: string): string[] {
  const schema = modelSchema(model);
  const out: string[] = [];
  if (schema) walkObject(obj, schema, "", out);
  return out;
}
