// Field ownership for server-side apply (metadata.managedFields), as the API server's field manager keeps
// it: every write records which manager set which fields. An apply (Apply entry) owns exactly the fields of
// its configuration; a create, update or patch (Update entry) takes the fields it changed from every other
// manager. An apply that would change a field another manager owns fails with 409 unless forced; applying
// the value already there shares the field instead. Tracked: labels, annotations, spec (lists with a merge
// key item by item, other lists whole); status and the rest of metadata are not (see README "Server-side apply").
import { type FieldSchema, type ModelSchema, modelSchema } from "./openapi/modelSchemas.ts";
import { ApiError } from "./status.ts";
import type { KubeObject } from "./types.ts";

// biome-ignore lint/suspicious/noExplicitAny: wire objects are open-ended JSON
type Json = any;

export interface ManagedFieldsEntry {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  time: string;
  fieldsType: "FieldsV1";
  fieldsV1: Record<string, Json>;
  subresource?: string;
}

/** Who writes, and how: the manager name, the operation and (for /scale) the subresource. */
export interface Writer {
  manager: string;
  operation: "Apply" | "Update";
  subresource?: string;
}

/** Leaf paths (JSON arrays of fieldsV1 segments such as `f:spec`, `k:{"name":"app"}`) to their values. */
type FieldSet = Map<string, string>;

function isObject(v: unknown): v is Record<string, Json> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The fieldsV1 segment of a list item: its merge key and value, as `k:{"name":"app"}`. */
function itemSegment(key: string, item: Json): string {
  return `k:${JSON.stringify({ [key]: item[key] })}`;
}

function walk(value: Json, schema: ModelSchema | null, path: string[], out: FieldSet): void {
  if (!isObject(value) || schema?.scalar) {
    out.set(JSON.stringify(path), JSON.stringify(value));
    return;
  }
  for (const [name, child] of Object.entries(value)) {
    const field: FieldSchema | undefined = schema?.properties.get(name);
    const at = [...path, `f:${name}`];
    if (schema && !field && schema.properties.size > 0) continue;
    walkField(child, field, at, out);
  }
}

function walkField(value: Json, field: FieldSchema | undefined, path: string[], out: FieldSet): void {
  if (value === null || value === undefined) return;
  const key = field?.patchMergeKey;
  if (Array.isArray(value) && key && value.every((item) => isObject(item) && item[key] !== undefined)) {
    const items = field?.items?.ref ? modelSchema(field.items.ref) : null;
    for (const item of value) {
      const at = [...path, itemSegment(key, item)];
      out.set(JSON.stringify([...at, "."]), "");
      walk(item, items, at, out);
    }
    return;
  }
  if (field?.additionalProperties && isObject(value)) {
    for (const [k, v] of Object.entries(value))
      out.set(JSON.stringify([...path, `f:${k}`]), JSON.stringify(v));
    return;
  }
  walk(value, field?.ref ? modelSchema(field.ref) : null, path, out);
}

/** The tracked fields an object (or an apply configuration) sets, with their values. */
export function fieldSet(obj: Json, model: string): FieldSet {
  const out: FieldSet = new Map();
  const meta = modelSchema("V1ObjectMeta");
  for (const name of ["labels", "annotations"]) {
    walkField(obj?.metadata?.[name], meta?.properties.get(name), ["f:metadata", `f:${name}`], out);
  }
  const spec = modelSchema(model)?.properties.get("spec");
  walkField(obj?.spec, spec, ["f:spec"], out);
  if (model === "V1ConfigMap")
    walkField(obj?.data, { additionalProperties: { type: "string" } }, ["f:data"], out);
  return out;
}

/** The fieldsV1 tree of a set of leaf paths: `{"f:spec": {"f:replicas": {}}}`. */
export function toFieldsV1(paths: Iterable<string>): Record<string, Json> {
  const root: Record<string, Json> = {};
  for (const key of paths) {
    let node = root;
    for (const seg of JSON.parse(key) as string[]) {
      node[seg] ??= {};
      node = node[seg];
    }
  }
  return root;
}

function fromFieldsV1(tree: Json, path: string[] = [], out: Set<string> = new Set()): Set<string> {
  const entries = isObject(tree) ? Object.entries(tree) : [];
  if (entries.length === 0 && path.length > 0) out.add(JSON.stringify(path));
  for (const [seg, child] of entries) {
    if (seg === ".") out.add(JSON.stringify([...path, "."]));
    else fromFieldsV1(child, [...path, seg], out);
  }
  return out;
}

/** A leaf path as the API server prints it in conflicts: `.spec.template.spec.containers[name="app"].image`. */
export function printPath(key: string): string {
  return (JSON.parse(key) as string[])
    .filter((seg) => seg !== ".")
    .map((seg) => {
      if (seg.startsWith("f:")) return `.${seg.slice(2)}`;
      const fields = JSON.parse(seg.slice(2)) as Record<string, Json>;
      return `[${Object.entries(fields)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(",")}]`;
    })
    .join("");
}

function sameWriter(entry: ManagedFieldsEntry, w: Writer): boolean {
  return (
    entry.manager === w.manager &&
    entry.operation === w.operation &&
    (entry.subresource ?? "") === (w.subresource ?? "")
  );
}

/** How the API server names a manager in a conflict: Update managers add the subresource and apiVersion. */
function printManager(entry: ManagedFieldsEntry): string {
  let text = JSON.stringify(entry.manager);
  if (entry.subresource) text += ` with subresource ${JSON.stringify(entry.subresource)}`;
  return entry.operation === "Update" ? `${text} using ${entry.apiVersion}` : text;
}

interface Owned {
  entry: ManagedFieldsEntry;
  paths: Set<string>;
}

function owned(obj: KubeObject | null): Owned[] {
  const entries: ManagedFieldsEntry[] = obj?.metadata.managedFields ?? [];
  return entries.map((entry) => ({ entry, paths: fromFieldsV1(entry.fieldsV1) }));
}

/** The entries after `writer` took `taken` (from everyone else) and now owns `mine`; empty entries go. */
function rebuild(
  before: Owned[],
  writer: Writer,
  mine: Set<string>,
  taken: Set<string>,
  apiVersion: string,
  time: string,
): ManagedFieldsEntry[] {
  const out: ManagedFieldsEntry[] = [];
  let placed = false;
  for (const { entry, paths } of before) {
    if (sameWriter(entry, writer)) {
      placed = true;
      if (mine.size === 0) continue;
      const unchanged = mine.size === paths.size && [...mine].every((p) => paths.has(p));
      out.push(unchanged ? entry : { ...entry, apiVersion, time, fieldsV1: toFieldsV1(mine) });
      continue;
    }
    const kept = [...paths].filter((p) => !taken.has(p));
    if (kept.length === 0) continue;
    out.push(kept.length === paths.size ? entry : { ...entry, fieldsV1: toFieldsV1(kept) });
  }
  if (!placed && mine.size > 0) {
    out.push({
      manager: writer.manager,
      operation: writer.operation,
      apiVersion,
      time,
      fieldsType: "FieldsV1",
      fieldsV1: toFieldsV1(mine),
      ...(writer.subresource ? { subresource: writer.subresource } : {}),
    });
  }
  return out;
}

/** managedFields after a create, update or patch: the writer takes every field whose value it changed. */
export function updateManagedFields(
  current: KubeObject | null,
  next: Json,
  model: string,
  writer: Writer,
  time: string,
): ManagedFieldsEntry[] {
  const before = owned(current);
  const was = current ? fieldSet(current, model) : new Map<string, string>();
  const now = fieldSet(next, model);
  const changed = new Set([...now].filter(([p, v]) => was.get(p) !== v).map(([p]) => p));
  const removed = [...was.keys()].filter((p) => !now.has(p));
  const taken = new Set([...changed, ...removed]);
  const mine = new Set(before.find((o) => sameWriter(o.entry, writer))?.paths ?? []);
  for (const p of removed) mine.delete(p);
  for (const p of changed) mine.add(p);
  return rebuild(before, writer, mine, taken, next.apiVersion, time);
}

/** An apply's outcome: the new managedFields and the fields to remove from the object, which the applier
 * dropped from its configuration and no other manager owns. */
export interface ApplyOwnership {
  managedFields: ManagedFieldsEntry[];
  prune: string[];
}

/** managedFields after an apply of `config` onto `current`; throws the API server's 409 on conflicts. */
export function applyManagedFields(
  current: KubeObject | null,
  config: Json,
  model: string,
  writer: Writer,
  force: boolean,
  time: string,
): ApplyOwnership {
  const before = owned(current);
  const live = current ? fieldSet(current, model) : new Map<string, string>();
  const applied = fieldSet(config, model);
  const mine = new Set(applied.keys());
  const changing = new Set([...applied].filter(([p, v]) => live.has(p) && live.get(p) !== v).map(([p]) => p));
  const conflicts: { entry: ManagedFieldsEntry; path: string }[] = [];
  for (const { entry, paths } of before) {
    if (sameWriter(entry, writer)) continue;
    for (const p of paths) if (changing.has(p)) conflicts.push({ entry, path: p });
  }
  const upgradable = writer.manager === "kubectl" ? clientSideApplied(current, live, model) : null;
  const left = upgradable ? conflicts.filter((c) => !upgradable.has(c.path)) : conflicts;
  if (left.length > 0 && !force) throw conflictError(left);
  const applier = { ...writer, operation: "Apply" as const };
  const managedFields = rebuild(before, applier, mine, changing, config.apiVersion, time);
  const stillOwned = new Set(managedFields.flatMap((e) => [...fromFieldsV1(e.fieldsV1)]));
  const dropped = before.find((o) => sameWriter(o.entry, applier))?.paths ?? new Set<string>();
  return { managedFields, prune: [...dropped].filter((p) => !stillOwned.has(p)) };
}

/** Removes the fields at `paths` (fieldsV1 leaf paths) from `obj`, in place; a path ending in "." removes
 * its list item. Paths already gone are skipped. */
export function removeFields(obj: Json, paths: string[]): void {
  for (const key of paths) {
    const segs = JSON.parse(key) as string[];
    const last = segs[segs.length - 1] === "." ? segs.length - 2 : segs.length - 1;
    let parent: Json = obj;
    for (const seg of segs.slice(0, last)) {
      parent = step(parent, seg);
      if (parent === undefined) break;
    }
    const seg = segs[last] as string;
    if (seg.startsWith("f:") && isObject(parent)) delete parent[seg.slice(2)];
    else if (seg.startsWith("k:") && Array.isArray(parent)) {
      const at = parent.findIndex((item) => matches(item, seg));
      if (at >= 0) parent.splice(at, 1);
    }
  }
}

function matches(item: Json, seg: string): boolean {
  const fields = JSON.parse(seg.slice(2)) as Record<string, Json>;
  return isObject(item) && Object.entries(fields).every(([k, v]) => item[k] === v);
}

function step(node: Json, seg: string): Json {
  if (seg.startsWith("f:")) return isObject(node) ? node[seg.slice(2)] : undefined;
  return Array.isArray(node) ? node.find((item) => matches(item, seg)) : undefined;
}

const lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";

/** The fields of a client-side apply's last-applied configuration, when the live object still matches it:
 * the API server lets `kubectl apply --server-side` (manager "kubectl") take those over without conflict,
 * so an object made with client-side apply can move to server-side apply. Null when it may not. */
function clientSideApplied(current: KubeObject | null, live: FieldSet, model: string): Set<string> | null {
  const text = current?.metadata.annotations?.[lastAppliedAnnotation];
  if (!text) return null;
  let last: FieldSet;
  try {
    last = fieldSet(JSON.parse(text), model);
  } catch {
    return null;
  }
  for (const [p, v] of last) if (live.get(p) !== v) return null;
  return new Set(last.keys());
}

/** The API server's apply conflict: reason Conflict, one FieldManagerConflict cause per field. */
function conflictError(conflicts: { entry: ManagedFieldsEntry; path: string }[]): ApiError {
  const causes = conflicts.map((c) => ({
    type: "FieldManagerConflict",
    message: `conflict with ${printManager(c.entry)}`,
    field: printPath(c.path),
  }));
  const first = conflicts[0] as { entry: ManagedFieldsEntry; path: string };
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(first.entry)}: ${printPath(first.path)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) {
      const name = printManager(c.entry);
      byManager.set(name, [...(byManager.get(name) ?? []), printPath(c.path)]);
    }
    const lines = [...byManager.keys()]
      .sort()
      .flatMap((name) => [`conflicts with ${name}:`, ...(byManager.get(name) ?? []).map((p) => `- ${p}`)]);
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join("\n")}`;
  }
  return new ApiError(409, "Conflict", message, { causes });
}

/** The manager of a write: the fieldManager parameter, else the client's user agent up to its first "/". */
export function managerName(params: URLSearchParams, userAgent: string | undefined): string {
  const given = params.get("fieldManager");
  if (given) return given;
  return (userAgent ?? "").split("/")[0]?.slice(0, 128) || "unknown";
}
