// The three patch formats of the API server: JSON merge patch (RFC 7386), JSON patch (RFC 6902) and
// Kubernetes' strategic merge patch, where lists with a merge key (containers by name, env by name ...)
// merge item by item and `$patch`, `$setElementOrder/...`, `$deleteFromPrimitiveList/...` and
// `$retainKeys` directives steer it (k8s.io/apimachinery/pkg/util/strategicpatch).
import { type FieldSchema, type ModelSchema, modelSchema } from "./openapi/modelSchemas.ts";

// biome-ignore lint/suspicious/noExplicitAny: patches are open-ended JSON
type Json = any;

export class PatchError extends Error {}

function isObject(v: unknown): v is Record<string, Json> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function pointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw new PatchError(`invalid JSON pointer "${path}": must start with /`);
  return path
    .slice(1)
    .split("/")
    .map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"));
}

function parentOf(doc: Json, parts: string[], path: string): { parent: Json; key: string } {
  let node = doc;
  for (const part of parts.slice(0, -1)) {
    node = Array.isArray(node) ? node[Number(part)] : isObject(node) ? node[part] : undefined;
    if (node === undefined) throw new PatchError(`doc is missing path: "${path}": missing value`);
  }
  return { parent: node, key: parts[parts.length - 1] as string };
}

function getAt(doc: Json, path: string): Json {
  let node = doc;
  for (const part of pointer(path)) {
    node = Array.isArray(node) ? node[Number(part)] : isObject(node) ? node[part] : undefined;
    if (node === undefined) throw new PatchError(`doc is missing path: "${path}": missing value`);
  }
  return node;
}

function arrayIndex(arr: Json[], key: string, path: string, forAdd: boolean): number {
  if (forAdd && key === "-") return arr.length;
  const i = Number(key);
  if (!/^\d+$/.test(key) || i > arr.length || (!forAdd && i === arr.length)) {
    throw new PatchError(`Unable to access invalid index: ${key}: invalid index referenced in "${path}"`);
  }
  return i;
}

function addAt(doc: Json, path: string, value: Json): Json {
  const parts = pointer(path);
  if (parts.length === 0) return value;
  const { parent, key } = parentOf(doc, parts, path);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, path, true), 0, value);
  else if (isObject(parent)) parent[key] = value;
  else throw new PatchError(`doc is missing path: "${path}": missing value`);
  return doc;
}

function removeAt(doc: Json, path: string): Json {
  const parts = pointer(path);
  const { parent, key } = parentOf(doc, parts, path);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, path, false), 1);
  else if (isObject(parent) && key in parent) delete parent[key];
  else throw new PatchError(`Unable to remove nonexistent key: ${key}: missing value`);
  return doc;
}

export function jsonPatch(target: Json, ops: Json): Json {
  if (!Array.isArray(ops))
    throw new PatchError("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  let doc = structuredClone(target);
  for (const op of ops) {
    if (!isObject(op) || typeof op.path !== "string") throw new PatchError("operation missing path");
    switch (op.op) {
      case "add":
        doc = addAt(doc, op.path, structuredClone(op.value));
        break;
      case "remove":
        doc = removeAt(doc, op.path);
        break;
      case "replace":
        getAt(doc, op.path);
        doc = addAt(removeAt(doc, op.path), op.path, structuredClone(op.value));
        break;
      case "move":
      case "copy": {
        const value = structuredClone(getAt(doc, String(op.from)));
        if (op.op === "move") doc = removeAt(doc, String(op.from));
        doc = addAt(doc, op.path, value);
        break;
      }
      case "test":
        if (JSON.stringify(getAt(doc, op.path)) !== JSON.stringify(op.value))
          throw new PatchError(`testing value ${op.path} failed: test failed`);
        break;
      default:
        throw new PatchError(`Unexpected kind: ${String(op.op)}`);
    }
  }
  return doc;
}

function resolve(field: FieldSchema | undefined): ModelSchema | null {
  return field?.ref ? modelSchema(field.ref) : null;
}

const orderPrefix = "$setElementOrder/";
const deletePrefix = "$deleteFromPrimitiveList/";

/** Applies a strategic merge patch to `original` (not changed) for an object of the given model. */
export function strategicMergePatch(original: Json, patch: Json, model: ModelSchema | null): Json {
  if (!isObject(patch)) throw new PatchError("strategic merge patch must be a JSON object");
  return mergeMap(isObject(original) ? original : {}, patch, model);
}

function mergeMap(
  original: Record<string, Json>,
  patch: Record<string, Json>,
  model: ModelSchema | null,
): Json {
  if (patch.$patch === "delete") return undefined;
  if (patch.$patch === "replace") {
    const { $patch: _, ...rest } = patch;
    return structuredClone(rest);
  }
  const out: Record<string, Json> = { ...original };
  const retain = patch.$retainKeys;
  for (const [key, value] of Object.entries(patch)) {
    if (key === "$patch" || key === "$retainKeys" || key.startsWith(orderPrefix)) continue;
    if (key.startsWith(deletePrefix)) {
      const field = key.slice(deletePrefix.length);
      if (Array.isArray(out[field]) && Array.isArray(value)) {
        out[field] = out[field].filter((v: Json) => !value.includes(v));
      }
      continue;
    }
    if (value === null) {
      delete out[key];
      continue;
    }
    const field = model?.properties.get(key);
    const merged = mergeValue(out[key], value, field);
    if (merged === undefined) delete out[key];
    else out[key] = merged;
  }
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(orderPrefix)) continue;
    const field = key.slice(orderPrefix.length);
    if (Array.isArray(out[field])) out[field] = ordered(out[field], patch[key], model?.properties.get(field));
  }
  if (Array.isArray(retain)) {
    for (const key of Object.keys(out)) if (!retain.includes(key)) delete out[key];
  }
  return out;
}

function mergeValue(current: Json, value: Json, field: FieldSchema | undefined): Json {
  if (isObject(value)) {
    if (field?.additionalProperties) {
      const inner = resolve(field.additionalProperties);
      const out: Record<string, Json> = isObject(current) ? { ...current } : {};
      if (value.$patch === "replace") {
        const { $patch: _, ...rest } = value;
        return structuredClone(rest);
      }
      for (const [k, v] of Object.entries(value)) {
        if (k === "$patch") continue;
        if (v === null) delete out[k];
        else
          out[k] =
            inner || isObject(v) ? mergeValue(out[k], v, field.additionalProperties) : structuredClone(v);
      }
      return out;
    }
    if (field?.anything || (field && !field.ref)) return mergePatch(current, value);
    return mergeMap(isObject(current) ? current : {}, value, resolve(field));
  }
  if (Array.isArray(value) && field?.type === "array" && field.patchStrategy?.includes("merge")) {
    return mergeList(Array.isArray(current) ? current : [], value, field);
  }
  return structuredClone(value);
}

function mergeList(current: Json[], patch: Json[], field: FieldSchema): Json[] {
  const key = field.patchMergeKey;
  if (!key) {
    // A merged list of scalars (finalizers): the union, in order.
    const out = [...current];
    for (const v of patch) if (!out.includes(v)) out.push(v);
    return out;
  }
  if (patch.some((item) => isObject(item) && item.$patch === "replace")) {
    return patch
      .filter((item) => !(isObject(item) && item.$patch === "replace"))
      .map((i) => structuredClone(i));
  }
  const items = resolve(field.items);
  const out = [...current];
  for (const item of patch) {
    if (!isObject(item))
      throw new PatchError(
        `merging an object in json but data type is not map, this is a list of ${typeof item}`,
      );
    if (!(key in item))
      throw new PatchError(`map: ${JSON.stringify(item)} does not contain declared merge key: ${key}`);
    const at = out.findIndex((o) => isObject(o) && o[key] === item[key]);
    if (item.$patch === "delete") {
      if (at >= 0) out.splice(at, 1);
      continue;
    }
    if (at >= 0) out[at] = mergeMap(out[at], item, items);
    else out.push(mergeMap({}, item, items));
  }
  return out;
}

function ordered(list: Json[], order: Json, field: FieldSchema | undefined): Json[] {
  if (!Array.isArray(order)) return list;
  const key = field?.patchMergeKey;
  const id = (v: Json) => (key && isObject(v) ? v[key] : v);
  const wanted = order.map(id);
  const rank = (v: Json) => {
    const i = wanted.indexOf(id(v));
    return i < 0 ? wanted.length : i;
  };
  return [...list].sort((a, b) => rank(a) - rank(b));
}
