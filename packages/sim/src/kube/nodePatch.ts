// PATCH of a node, limited to what `kubectl cordon`, `uncordon`, `taint` and `label` send: spec.unschedulable,
// spec.taints (kubectl taint sends the whole list; the field has no merge key, so it replaces),
// metadata.labels and metadata.annotations. Cordoning adds the node.kubernetes.io/unschedulable taint,
// as the node lifecycle controller does.
import { resourceDef } from "./resources.ts";
import { ApiError, badRequest, invalid, notFound } from "./status.ts";
import { kubeTime, type ObjectStore } from "./store.ts";
import type { KubeObject } from "./types.ts";

const mergeTypes = ["application/merge-patch+json", "application/strategic-merge-patch+json"];

function stringMapPatch(value: unknown, field: string, name: string): Record<string, string | null> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalid("Node", name, field, "must be an object of strings");
  }
  for (const [k, v] of Object.entries(value)) {
    if (v !== null && typeof v !== "string")
      throw invalid("Node", name, `${field}.${k}`, "must be a string or null");
  }
  return value as Record<string, string | null>;
}

const EFFECTS = ["NoExecute", "NoSchedule", "PreferNoSchedule"];
const QUALIFIED_NAME =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** spec.taints as the API server validates them (ValidateNodeTaints): key a qualified name, value a label
 * value, effect one of three, unique by key and effect. */
function taintsPatch(value: unknown, name: string): Record<string, unknown>[] {
  if (value === null) return [];
  if (!Array.isArray(value)) throw invalid("Node", name, "spec.taints", "must be a list of taints");
  const seen = new Set<string>();
  return value.map((raw, i) => {
    const field = `spec.taints[${i}]`;
    if (typeof raw !== "object" || raw === null || Array.isArray(raw))
      throw invalid("Node", name, field, "must be an object");
    const t = raw as Record<string, unknown>;
    const key = typeof t.key === "string" ? t.key : "";
    const val = t.value === undefined ? "" : t.value;
    if (key === "") throw invalid("Node", name, `${field}.key`, "Required value");
    if (key.length > 316 || !QUALIFIED_NAME.test(key) || (key.split("/").pop() ?? "").length > 63)
      throw invalid(
        "Node",
        name,
        `${field}.key`,
        `Invalid value: ${JSON.stringify(key)}: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
      );
    if (typeof val !== "string" || val.length > 63 || !LABEL_VALUE.test(val))
      throw invalid(
        "Node",
        name,
        `${field}.value`,
        `Invalid value: ${JSON.stringify(val)}: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
      );
    if (t.effect === undefined || t.effect === "")
      throw invalid("Node", name, `${field}.effect`, "Required value");
    if (typeof t.effect !== "string" || !EFFECTS.includes(t.effect))
      throw invalid(
        "Node",
        name,
        `${field}.effect`,
        `Unsupported value: ${JSON.stringify(t.effect)}: supported values: ${EFFECTS.map((e) => `"${e}"`).join(", ")}`,
      );
    const pair = `${key}|${t.effect}`;
    if (seen.has(pair))
      throw invalid(
        "Node",
        name,
        field,
        `Duplicate value: ${JSON.stringify({ key, value: val, effect: t.effect })}: taints must be unique by key and effect pair`,
      );
    seen.add(pair);
    return {
      key,
      ...(val !== "" ? { value: val } : {}),
      effect: t.effect,
      ...(typeof t.timeAdded === "string" ? { timeAdded: t.timeAdded } : {}),
    };
  });
}

function applyMap(target: Record<string, string> | undefined, patch: Record<string, string | null>) {
  const out = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

export function patchNode(
  store: ObjectStore,
  name: string,
  contentType: string | undefined,
  body: string,
  dryRun: boolean,
): KubeObject {
  const type = (contentType ?? "").split(";")[0]?.trim() ?? "";
  if (!mergeTypes.includes(type)) {
    throw new ApiError(
      415,
      "UnsupportedMediaType",
      `the simulator patches nodes with ${mergeTypes.join(" or ")} only (got ${type || "no content type"})`,
    );
  }
  let patch: { spec?: Record<string, unknown>; metadata?: Record<string, unknown> };
  try {
    patch = JSON.parse(body);
  } catch {
    throw badRequest("the request body is not valid JSON");
  }
  if (typeof patch !== "object" || patch === null) throw badRequest("a merge patch must be a JSON object");
  const node = store.get("nodes", undefined, name);
  if (!node) throw notFound(resourceDef("nodes"), name);
  for (const key of Object.keys(patch)) {
    if (key !== "spec" && key !== "metadata") {
      throw invalid(
        "Node",
        name,
        key,
        "the simulator only changes spec.unschedulable, spec.taints, metadata.labels and metadata.annotations",
      );
    }
  }
  const spec = patch.spec ?? {};
  for (const key of Object.keys(spec)) {
    if (key !== "unschedulable" && key !== "taints")
      throw invalid(
        "Node",
        name,
        `spec.${key}`,
        "the simulator only changes spec.unschedulable and spec.taints",
      );
  }
  const newTaints = spec.taints === undefined ? null : taintsPatch(spec.taints, name);
  const unschedulable = spec.unschedulable;
  if (unschedulable !== undefined && unschedulable !== null && typeof unschedulable !== "boolean") {
    throw invalid(
      "Node",
      name,
      "spec.unschedulable",
      `Invalid value: ${JSON.stringify(unschedulable)}: must be a boolean`,
    );
  }
  const meta = patch.metadata ?? {};
  for (const key of Object.keys(meta)) {
    if (key !== "labels" && key !== "annotations" && key !== "resourceVersion") {
      throw invalid(
        "Node",
        name,
        `metadata.${key}`,
        "the simulator only changes metadata.labels and metadata.annotations",
      );
    }
  }
  const labels = meta.labels === undefined ? null : stringMapPatch(meta.labels, "metadata.labels", name);
  const annotations =
    meta.annotations === undefined ? null : stringMapPatch(meta.annotations, "metadata.annotations", name);
  const apply = (n: KubeObject) => {
    if (newTaints !== null) {
      if (newTaints.length > 0) n.spec.taints = newTaints;
      else delete n.spec.taints;
    }
    if (unschedulable !== undefined) {
      const on = unschedulable === true;
      const taints = (n.spec.taints ?? []).filter(
        (t: { key: string }) => t.key !== "node.kubernetes.io/unschedulable",
      );
      if (on)
        taints.push({
          key: "node.kubernetes.io/unschedulable",
          effect: "NoSchedule",
          timeAdded: kubeTime(store.clock.now()),
        });
      if (on) n.spec.unschedulable = true;
      else delete n.spec.unschedulable;
      if (taints.length) n.spec.taints = taints;
      else delete n.spec.taints;
    }
    if (labels) n.metadata.labels = applyMap(n.metadata.labels, labels);
    if (annotations) n.metadata.annotations = applyMap(n.metadata.annotations, annotations);
  };
  if (dryRun) {
    const copy = structuredClone(node);
    apply(copy);
    return copy;
  }
  return store.update("nodes", undefined, name, apply);
}
