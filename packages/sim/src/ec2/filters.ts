// EC2 filters: every named filter must match (AND), any of its values may (OR); values take the
// `*` and `?` wildcards. Tag filters: `tag:<key>`, `tag-key`, `tag-value`.
import { invalidValue } from "./errors.ts";
import type { Filter } from "./params.ts";

type Values =
  | string
  | number
  | boolean
  | null
  | undefined
  | readonly (string | number | boolean | null | undefined)[];

export interface FilterFields<T> {
  fields: Record<string, (item: T) => Values>;
  tags?: (item: T) => Record<string, string>;
}

interface Matcher {
  exact: Set<string>;
  patterns: RegExp[];
}

// Most values carry no wildcard (ids, addresses): a set lookup, so 200 instance ids against 20,000 ENIs
// stay cheap; only `*` and `?` values become regular expressions.
function matcher(values: string[]): Matcher {
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  for (const value of values) {
    if (!/[*?]/.test(value)) {
      exact.add(value);
      continue;
    }
    const body = value
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".");
    patterns.push(new RegExp(`^${body}$`, "s"));
  }
  return { exact, patterns };
}

function anyMatches(m: Matcher, values: Values): boolean {
  const list = Array.isArray(values) ? values : [values];
  for (const v of list) {
    if (v === null || v === undefined) continue;
    const text = String(v);
    if (m.exact.has(text) || m.patterns.some((p) => p.test(text))) return true;
  }
  return false;
}

/** A predicate for `filters`; throws InvalidParameterValue naming a filter this action does not know. */
export function compileFilters<T>(filters: Filter[], spec: FilterFields<T>): (item: T) => boolean {
  const checks: ((item: T) => boolean)[] = [];
  for (const filter of filters) {
    const patterns = matcher(filter.values);
    const tags = spec.tags;
    if (tags && filter.name.startsWith("tag:")) {
      const key = filter.name.slice(4);
      checks.push((item) => anyMatches(patterns, tags(item)[key]));
    } else if (tags && filter.name === "tag-key") {
      checks.push((item) => anyMatches(patterns, Object.keys(tags(item))));
    } else if (tags && filter.name === "tag-value") {
      checks.push((item) => anyMatches(patterns, Object.values(tags(item))));
    } else {
      const field = spec.fields[filter.name];
      if (field === undefined) throw invalidValue(`The filter '${filter.name}' is invalid`);
      checks.push((item) => anyMatches(patterns, field(item)));
    }
  }
  return (item) => checks.every((check) => check(item));
}
