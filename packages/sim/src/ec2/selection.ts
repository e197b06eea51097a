// What every Describe* action does before writing XML: explicit ids (all must exist, no MaxResults with
// them) or the whole collection in id order, then the filters, then one page.
import type { Ec2Error } from "./errors.ts";
import { compileFilters, type FilterFields } from "./filters.ts";
import { byKey, type Page, paginate } from "./paginate.ts";
import { filtersParam, listParam, maxResultsParam, type Params, refuseIdsWithMaxResults } from "./params.ts";

export interface Selection<T> {
  action: string;
  /** The id list parameter, e.g. "NetworkInterfaceId" for NetworkInterfaceId.1, .2, ... */
  idParam: string;
  items: ReadonlyMap<string, T>;
  key: (item: T) => string;
  filters: FilterFields<T>;
  notFound: (missing: string[]) => Ec2Error;
  /** An id that cannot be one of these (not `<prefix>-` and 8 or 17 hex digits): `...ID.Malformed`. */
  malformed?: (id: string) => Ec2Error | null;
  maxResults?: { min: number; max: number };
}

export function select<T>(params: Params, spec: Selection<T>): Page<T> {
  const ids = listParam(params, spec.idParam);
  const filters = filtersParam(params);
  const { min, max } = spec.maxResults ?? { min: 5, max: 1000 };
  const maxResults = maxResultsParam(params, min, max);
  refuseIdsWithMaxResults(ids, spec.idParam, maxResults);
  let items: T[];
  if (ids.length > 0) {
    for (const id of ids) {
      const error = spec.malformed?.(id);
      if (error) throw error;
    }
    const missing = ids.filter((id) => !spec.items.has(id));
    if (missing.length > 0) throw spec.notFound(missing);
    items = [...new Set(ids)].map((id) => spec.items.get(id) as T);
  } else {
    items = [...spec.items.values()].sort(byKey(spec.key));
  }
  const matches = compileFilters(filters, spec.filters);
  return paginate(items.filter(matches), spec.key, maxResults, params.get("NextToken"), spec.action);
}

/** EC2's id shape: the resource prefix, a dash, then 8 (older) or 17 lower-case hex digits. */
export function wellFormedId(id: string, prefix: string): boolean {
  return new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`).test(id);
}
