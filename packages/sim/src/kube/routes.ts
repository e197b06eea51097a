// Which resource a request path names: /api/v1/..., /apis/<group>/<version>/..., namespaced or not.
import { builtInOnly, type ResourceDef, resources, type ServedFilter } from "./resources.ts";

export interface Route {
  def: ResourceDef;
  namespace: string | undefined;
  name: string | undefined;
  subresource: string | undefined;
}

export function resolveRoute(
  segments: string[],
  served: ServedFilter = builtInOnly,
): Route | "discovery" | null {
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === "api") {
    if (segments[1] !== "v1") return null;
    group = "";
    version = "v1";
    rest = segments.slice(2);
  } else if (segments[0] === "apis" && segments.length >= 3) {
    group = segments[1] as string;
    version = segments[2] as string;
    rest = segments.slice(3);
  } else return null;
  if (rest.length === 0) return "discovery";
  let namespace: string | undefined;
  if (rest[0] === "namespaces" && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, subresource, ...extra] = rest;
  if (extra.length > 0) return null;
  const def = resources.find((r) => r.name === resource && r.group === group && r.version === version);
  if (!def || !served(def)) return null;
  if (def.namespaced === false && namespace !== undefined) return null;
  if (def.namespaced && namespace === undefined && name !== undefined) return null;
  return { def, namespace, name, subresource };
}
