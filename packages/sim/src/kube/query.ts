// What a list or watch request asks for: namespace, selectors, paging and watch parameters.
import type { ResourceDef } from "./resources.ts";
import { type Matcher, parseFieldSelector, parseLabelSelector, SelectorError } from "./selectors.ts";
import { badRequest, invalidListOptions } from "./status.ts";
import type { IncludeObject } from "./table.ts";
import type { KubeObject } from "./types.ts";

export interface ListQuery {
  namespace: string | undefined;
  labels: Matcher;
  fields: Matcher;
  hasSelectors: boolean;
  /** A fieldSelector was given: only then are an object's field values worked out. */
  hasFieldSelector: boolean;
  limit: number;
  continueToken: string | null;
  resourceVersion: string | null;
  watch: boolean;
  allowBookmarks: boolean;
  /** The parameter as given: null when absent (a watch without it keeps the pre-WatchList meaning). */
  sendInitialEvents: boolean | null;
  resourceVersionMatch: string | null;
  timeoutSeconds: number | null;
  table: boolean;
  includeObject: IncludeObject;
}

const fieldLabels = new WeakMap<ResourceDef, Set<string>>();

function supportedFields(def: ResourceDef): Set<string> {
  let set = fieldLabels.get(def);
  if (!set) {
    const sample = {
      apiVersion: "",
      kind: "",
      metadata: { name: "", namespace: "", uid: "", resourceVersion: "", creationTimestamp: "" },
    };
    set = new Set(Object.keys(def.fields(sample)));
    fieldLabels.set(def, set);
  }
  return set;
}

function nonNegativeInt(params: URLSearchParams, name: string): number | null {
  const raw = params.get(name);
  if (raw === null || raw === "") return null;
  if (!/^\d+$/.test(raw))
    throw badRequest(`${name}: Invalid value: "${raw}": must be a non-negative integer`);
  return Number(raw);
}

/** Accept names a Table (`application/json;as=Table;v=v1;g=meta.k8s.io`) before any plain type. */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  for (const part of accept.split(",")) {
    const params = part.split(";").map((p) => p.trim());
    if (params.includes("as=Table") && params.includes("g=meta.k8s.io")) return true;
    if (params[0] === "application/json" || params[0] === "*/*") return false;
  }
  return false;
}

/** Boolean query parameters as the API server converts them: Go's strconv.ParseBool. */
export function goBool(params: URLSearchParams, name: string): boolean {
  const raw = params.get(name);
  if (raw === null || raw === "") return false;
  if (["1", "t", "T", "true", "TRUE", "True"].includes(raw)) return true;
  if (["0", "f", "F", "false", "FALSE", "False"].includes(raw)) return false;
  throw badRequest(`${name}: strconv.ParseBool: parsing ${JSON.stringify(raw)}: invalid syntax`);
}

export function parseListQuery(
  def: ResourceDef,
  namespace: string | undefined,
  params: URLSearchParams,
  accept: string | undefined,
): ListQuery {
  let labels: Matcher;
  let fields: Matcher;
  try {
    labels = parseLabelSelector(params.get("labelSelector"));
    fields = parseFieldSelector(params.get("fieldSelector"), supportedFields(def));
  } catch (err) {
    if (err instanceof SelectorError) throw badRequest(err.message);
    throw err;
  }
  const include = params.get("includeObject") ?? "Metadata";
  if (include !== "None" && include !== "Metadata" && include !== "Object") {
    throw badRequest(
      `includeObject: Unsupported value: "${include}": supported values: "None", "Metadata", "Object"`,
    );
  }
  return {
    namespace,
    labels,
    fields,
    hasSelectors: Boolean(params.get("labelSelector") || params.get("fieldSelector")),
    hasFieldSelector: Boolean(params.get("fieldSelector")),
    limit: nonNegativeInt(params, "limit") ?? 0,
    continueToken: params.get("continue") || null,
    resourceVersion: params.get("resourceVersion") || null,
    watch: goBool(params, "watch"),
    allowBookmarks: goBool(params, "allowWatchBookmarks"),
    sendInitialEvents: params.get("sendInitialEvents") ? goBool(params, "sendInitialEvents") : null,
    resourceVersionMatch: params.get("resourceVersionMatch") || null,
    timeoutSeconds: nonNegativeInt(params, "timeoutSeconds"),
    table: wantsTable(accept),
    includeObject: include,
  };
}

export function matchesQuery(def: ResourceDef, query: ListQuery, obj: KubeObject): boolean {
  if (query.namespace !== undefined && obj.metadata.namespace !== query.namespace) return false;
  if (!query.labels(obj.metadata.labels ?? {})) return false;
  return !query.hasFieldSelector || query.fields(def.fields(obj));
}

/** The API server's checks of a watch's streaming-list options (apimachinery's validateWatchOptions, and
 * its list side): sendInitialEvents needs resourceVersionMatch=NotOlderThan and a server whose WatchList
 * feature gate is on; anything else is 422 Invalid, which is how a client learns the server does not
 * stream lists. */
export function validateStreamingOptions(query: ListQuery, watchListEnabled: boolean): void {
  const causes: { field: string; reason: string; message: string }[] = [];
  const forbid = (field: string, message: string) =>
    causes.push({ field, reason: "FieldValueForbidden", message: `Forbidden: ${message}` });
  const match = query.resourceVersionMatch;
  if (!query.watch) {
    if (query.sendInitialEvents !== null)
      forbid("sendInitialEvents", "sendInitialEvents is forbidden for list");
  } else {
    if (query.sendInitialEvents !== null) {
      if (match !== "NotOlderThan")
        forbid(
          "resourceVersionMatch",
          "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan",
        );
      if (!watchListEnabled)
        forbid(
          "sendInitialEvents",
          "sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled",
        );
    }
    if (match !== null) {
      if (query.sendInitialEvents === null)
        forbid(
          "resourceVersionMatch",
          "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided",
        );
      if (match !== "NotOlderThan")
        causes.push({
          field: "resourceVersionMatch",
          reason: "FieldValueNotSupported",
          message: `Unsupported value: "${match}": supported values: "NotOlderThan"`,
        });
    }
  }
  if (causes.length > 0) throw invalidListOptions(causes);
}
